"""Where an event is (timeline/places.py) and what it does to merging: two
reports of one act in two cities are two happenings."""
import importlib.util
import json
from pathlib import Path

import timeline
from timeline.places import agree, clash, places

ROOT = Path(__file__).resolve().parents[1]


def names(text):
    return sorted(p[1] or p[0] for p in places(text))  # region codes


def test_a_name_after_a_preposition_of_place_is_a_place():
    assert places("Explosions were heard in Kherson on Monday.") == {("UA", "08", "706448")}
    assert names("Crews worked near the Port of Baltimore.") == ["MD"]
    assert names("The ship sailed from Baltimore to Norfolk.") == ["MD", "VA"]
    assert names("Drones struck targets in Kherson and Odesa overnight.") == ["08", "17"]
    assert names("A tornado hit Moore, Oklahoma, on Monday.") == ["OK"]
    assert names("Divers from agencies across Maryland searched the river.") == ["MD"]


def test_a_name_elsewhere_is_no_place():
    assert places("The Dali left port on Monday.") == frozenset()  # a ship (Dali is a city)
    assert places("Maryland Gov. Wes Moore said the search would resume.") == frozenset()
    assert places("The decision was made in Moscow’s interest.") == frozenset()  # possessive
    assert places("Officials in Mobile said the storm had passed.") == frozenset()  # pack list


def test_a_capital_after_to_or_from_is_its_government():
    assert places("Iran denied sending drones to Moscow.") == frozenset()
    assert names("Iranian officials held meetings in Moscow on Sept. 15.") == ["48"]


def test_places_agree_when_every_part_both_know_is_the_same():
    baltimore, = places("in Baltimore")
    maryland, = places("in Maryland")
    norfolk, = places("in Norfolk")
    assert agree(baltimore, maryland) and not agree(baltimore, norfolk)
    assert not clash(frozenset({baltimore}), frozenset({maryland}))
    assert clash(frozenset({baltimore}), frozenset({norfolk}))
    assert not clash(frozenset(), frozenset({norfolk}))  # one names no place: no evidence


def _build(tmp_path, articles):
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps({"id": i, "published": "2022-10-18", "source": s,
                                        "title": t[:30], "text": t}) + "\n"
                            for i, s, t in articles))
    return timeline.build([path]).events


def test_one_act_reported_in_two_cities_is_two_rows(tmp_path):
    ev = _build(tmp_path, [
        ("a1", "Kyiv Post", "Russian drones struck a power plant in Kherson on Monday, officials said."),
        ("a2", "Reuters", "Russian drones struck a power plant in Odesa on Monday, the governor said."),
        ("a3", "AP", "Russian drones hit a power plant in Kherson on Monday, the regional governor said."),
    ])
    rows = {t: s for t, s in zip(ev["title"], ev["sources"])}
    assert len(ev) == 2
    assert sorted(rows.values()) == ["Kyiv Post; AP", "Reuters"]


def test_one_place_at_two_levels_is_one_row(tmp_path):
    ev = _build(tmp_path, [
        ("a1", "WBAL", "A water main burst in Baltimore on Monday, flooding streets."),
        ("a2", "AP", "A water main burst in Maryland on Monday, flooding streets downtown."),
    ])
    assert len(ev) == 1 and ev.iloc[0]["n_sources"] == 2


def test_the_place_table_is_what_its_script_writes():
    spec = importlib.util.spec_from_file_location("places_table", ROOT / "scripts/places_table.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert (ROOT / "timeline/lang/en/places.tsv").read_text("utf-8") == script.text("en")
