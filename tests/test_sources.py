"""The input readers: formats, metadata, encodings and reported problems."""
from __future__ import annotations

import json
import sys
import types
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from timeline.model import Document
from timeline.sources import NO_DATE, ReadResult, Skipped, iter_inputs, read_inputs
from timeline.sources.encoding import SourceError, decode, repair_mojibake
from timeline.sources.records import parse_published

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "sources"
SEEDS = ROOT / "seeds"
NEWS = ROOT.parent / "shared" / "corpora" / "news" / "articles.jsonl"


def write(path: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode(encoding)
    path.write_bytes(content)
    return path


def only_doc(result: ReadResult) -> Document:
    assert result.skipped == []
    assert len(result.documents) == 1
    return result.documents[0]


def reasons(result: ReadResult) -> dict[str, str]:
    return {s.input: s.reason for s in result.skipped}


# --- text files: manifest and front matter ---------------------------------

def test_seeds_take_metadata_from_manifest():
    result = read_inputs([SEEDS])
    assert result.skipped == []
    a, b = result.documents
    assert (a.id, a.published, a.source) == (
        "000_28ca36ce2e4e94c5", date(2022, 10, 20), "Reuters")
    assert a.title == ("Ukraine war: Iranian military assists Russia in "
                       "drone strikes – U.S.")
    assert (b.id, b.published, b.source) == (
        "003_28bf6bd65512fe70", date(2022, 11, 3), "Al Arabiya")
    assert b.title.startswith("US to continue exposing Iran")
    assert a.url is None and a.path.endswith("000_28ca36ce2e4e94c5.txt")
    # the text is the file, byte for byte
    raw = (SEEDS / "000_28ca36ce2e4e94c5.txt").read_bytes().decode("utf-8")
    assert a.text == raw


def test_front_matter_is_metadata_and_removed_from_text(tmp_path):
    body = "Line one.\r\n\r\nThe vote is due on Friday.\r\n"
    write(tmp_path / "a.md", "---\r\npublished: 2023-05-02\r\n"
          "title: \"Vote due\"\r\nsource: Example News\r\n"
          "url: https://news.example.org/vote\r\n---\r\n" + body)
    doc = only_doc(read_inputs([tmp_path / "a.md"]))
    assert doc.text == body  # CRLF and all, untouched
    assert doc.published == date(2023, 5, 2)
    assert (doc.title, doc.source, doc.url) == (
        "Vote due", "Example News", "https://news.example.org/vote")


def test_front_matter_wins_over_manifest_which_fills_the_rest(tmp_path):
    write(tmp_path / "a.txt", "---\ntitle: Own title\n---\nSome text.\n")
    write(tmp_path / "manifest.json", json.dumps({
        "_about": "comment",
        "a.txt": {"published": "2023-01-09", "title": "Manifest title",
                  "source": "Wire", "url": None}}))
    doc = only_doc(read_inputs([tmp_path]))
    assert (doc.title, doc.published, doc.source, doc.url) == (
        "Own title", date(2023, 1, 9), "Wire", None)
    assert doc.text == "Some text.\n"


def test_title_falls_back_to_first_nonempty_line(tmp_path):
    write(tmp_path / "a.md", "\n\n# Storm hits coast\n\nText follows.\n")
    doc = only_doc(read_inputs([tmp_path / "a.md"], published=date(2023, 1, 1)))
    assert doc.title == "Storm hits coast"
    assert doc.text == "\n\n# Storm hits coast\n\nText follows.\n"


def test_unclosed_front_matter_is_text(tmp_path):
    write(tmp_path / "a.txt", "---\nnot closed\n")
    doc = only_doc(read_inputs([tmp_path / "a.txt"], allow_undated=True))
    assert doc.text == "---\nnot closed\n"


def test_bad_date_in_manifest_names_value_and_place(tmp_path):
    write(tmp_path / "a.txt", "Text.\n")
    write(tmp_path / "manifest.json", '{"a.txt": {"published": "2022-13-45"}}')
    result = read_inputs([tmp_path])
    assert result.documents == []
    reason = reasons(result)[str(tmp_path / "a.txt")]
    assert "'2022-13-45'" in reason and "manifest.json" in reason


def test_broken_manifest_reported_once_and_files_still_read(tmp_path):
    write(tmp_path / "a.txt", "---\npublished: 2023-01-01\n---\nA.\n")
    write(tmp_path / "b.txt", "---\npublished: 2023-01-02\n---\nB.\n")
    write(tmp_path / "manifest.json", '{"a.txt": ')
    result = read_inputs([tmp_path])
    assert [d.id for d in result.documents] == ["a", "b"]
    [skip] = result.skipped
    assert skip.input == str(tmp_path / "manifest.json")
    assert "not valid JSON" in skip.reason


# --- HTML ------------------------------------------------------------------

def test_html_page_main_text_and_metadata():
    doc = only_doc(read_inputs([DATA / "page.html"]))
    assert "reopened to traffic on Tuesday" in doc.text
    assert "second phase of work" in doc.text
    for boilerplate in ("Subscribe", "Sport", "Most read", "recipes",
                        "Copyright", "Privacy", "Cookie"):
        assert boilerplate not in doc.text
    assert doc.title == "Harbour bridge reopens after repairs"
    assert doc.url == "https://gazette.example.org/2023/03/harbour-bridge-reopens"
    assert doc.source == "The Example Gazette"
    assert doc.published == date(2023, 3, 14)
    assert doc.id == "page"


def test_html_own_date_wins_over_published_option():
    doc = only_doc(read_inputs([DATA / "page.html"], published=date(2020, 1, 1)))
    assert doc.published == date(2023, 3, 14)


def test_html_without_date_uses_published_option(tmp_path):
    html = ("<html><head><title>Quiet day</title></head><body><article>"
            + "<p>Nothing much happened in the town square this afternoon, "
              "residents said, as the market closed early for the holiday.</p>"
              * 3 + "</article></body></html>")
    write(tmp_path / "p.htm", html)
    assert reasons(read_inputs([tmp_path / "p.htm"])) == {
        str(tmp_path / "p.htm"): NO_DATE}
    doc = only_doc(read_inputs([tmp_path / "p.htm"], published=date(2023, 6, 1)))
    assert doc.published == date(2023, 6, 1)
    assert doc.title == "Quiet day"


def test_html_declared_legacy_charset(tmp_path):
    html = ('<html><head><meta charset="windows-1252"><title>Caf\u00e9 reopens'
            '</title><meta property="article:published_time" '
            'content="2023-02-02"></head><body><article><p>'
            + "The caf\u00e9 \u201cLe Parc\u201d reopened on Monday after a "
              "long renovation, its owner told reporters at the door. " * 3
            + "</p></article></body></html>")
    write(tmp_path / "p.html", html, encoding="cp1252")
    doc = only_doc(read_inputs([tmp_path / "p.html"]))
    assert "The caf\u00e9 \u201cLe Parc\u201d reopened" in doc.text
    assert doc.title == "Caf\u00e9 reopens"


def test_html_without_article_text_is_skipped(tmp_path):
    write(tmp_path / "p.html", "<html><body><nav><a href='/'>Home</a></nav>"
          "</body></html>")
    reason = reasons(read_inputs([tmp_path / "p.html"]))[str(tmp_path / "p.html")]
    assert reason.startswith("no article text found")


# --- records ----------------------------------------------------------------

@pytest.fixture(scope="module")
def news_records():
    if not NEWS.is_file():
        pytest.skip(f"{NEWS} is absent")
    lines = NEWS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_real_jsonl_reads_all_articles(news_records):
    result = read_inputs([NEWS])
    assert result.skipped == []
    assert len(result.documents) == len(news_records) == 28
    for doc, rec in zip(result.documents, news_records):
        assert doc.id == rec["id"]
        assert doc.published == date.fromisoformat(rec["published"])
        assert doc.title == rec["title"] and doc.url == rec["url"]
        assert doc.path == str(NEWS)
    assert min(d.published for d in result.documents) == date(2022, 9, 8)
    assert max(d.published for d in result.documents) == date(2022, 12, 14)


def test_real_jsonl_texts_left_as_they_are(news_records):
    # The crawler's " date YYYY-MM-DD" lines stay (the events stage uses
    # them); curly quotes stay curly. This copy has no mojibake, so repair
    # must not change a single text.
    docs = read_inputs([NEWS]).documents
    assert [d.text for d in docs] == [r["text"] for r in news_records]
    assert sum(d.text.startswith(" date 20") for d in docs) >= 10
    for rec in news_records:
        assert repair_mojibake(rec["text"]) == rec["text"]
        assert repair_mojibake(rec["title"]) == rec["title"]
    damaged = [r["id"] for r in news_records if "β€" in r["text"]]
    for doc in docs:
        assert "β€" not in doc.text and "â€" not in doc.text
    assert damaged == []  # if a later copy has some, they are repaired above


@pytest.mark.parametrize("damaged, clean", [
    ("He said β€œwe will respond” on Monday.",  # cp1253 with cp1252's œ
     "He said “we will respond” on Monday."),
    ("Kirby said itâ€™s â€œclearâ€\x9d.", "Kirby said it’s “clear”."),
    ("вЂњHelloвЂќ", "“Hello”"),
    ("cafÃ© au lait â€“ 5 â‚¬", "café au lait – 5 €"),
])
def test_mojibake_repaired(damaged, clean):
    assert repair_mojibake(damaged) == clean


@pytest.mark.parametrize("text", [
    "Clean “quotes”, it’s – fine … café, 5 €",
    "Η Αθήνα και η Κρήτη. Το κόστος ήταν 5€.",
    "Министр заявил во вторник.",
    "ASCII only, with 'straight' quotes.",
])
def test_clean_text_left_alone(text):
    assert repair_mojibake(text) == text


def test_mojibake_repaired_in_records_and_files(tmp_path):
    rec = {"id": "m1", "published": "2022-10-20",
           "title": "Iranβ€™s drones", "text": "Kirby said β€œno” today."}
    write(tmp_path / "a.jsonl", json.dumps(rec, ensure_ascii=False) + "\n")
    doc = only_doc(read_inputs([tmp_path / "a.jsonl"]))
    assert doc.title == "Iran’s drones"
    assert doc.text == "Kirby said “no” today."
    write(tmp_path / "b.txt", "---\npublished: 2022-10-20\n---\nitâ€™s\n")
    assert only_doc(read_inputs([tmp_path / "b.txt"])).text == "it’s\n"


def test_csv_with_field_mapping():
    result = read_inputs([DATA / "outlets.csv"], fields={
        "id": "key", "title": "headline", "published": "date", "url": "link",
        "source": "outlet", "text": "body"})
    a, b = result.documents
    assert a.id == "gazette-1" and a.published == date(2023, 2, 1)
    assert a.text == ("The council approved the budget on Tuesday.\n\n"
                      "Spending on roads rises by a tenth, the treasurer said, "
                      "and the next review is due in June.")
    assert (a.title, a.url, a.source) == (
        "Council approves budget", "https://gazette.example.org/budget",
        "The Example Gazette")
    assert b.id == "outlets:2"  # no key: file stem and row
    assert b.published == date(2023, 3, 3) and b.url is None
    assert '"from the first weekend of April"' in b.text
    [skip] = result.skipped
    assert skip.input == f"{DATA / 'outlets.csv'}:row 3"
    assert "'03/04/2023'" in skip.reason and "ambiguous" in skip.reason


def test_csv_without_text_column_says_how_to_map_it():
    result = read_inputs([DATA / "outlets.csv"])
    [skip] = result.skipped
    assert skip.input == str(DATA / "outlets.csv")
    assert "--field text=NAME" in skip.reason and "body" in skip.reason


def test_jsonl_record_without_text_field_lists_fields(tmp_path):
    write(tmp_path / "a.jsonl", '{"id": "x", "body": "Text", '
                                '"published": "2023-01-01"}\n')
    [skip] = read_inputs([tmp_path / "a.jsonl"]).skipped
    assert skip.input == f"{tmp_path / 'a.jsonl'}:line 1"
    assert "body" in skip.reason and "--field text=NAME" in skip.reason
    doc = only_doc(read_inputs([tmp_path / "a.jsonl"], fields={"text": "body"}))
    assert doc.text == "Text" and doc.title == "Text"


def test_unknown_field_name_raises_at_once():
    with pytest.raises(ValueError, match="unknown field name"):
        iter_inputs([SEEDS], fields={"body": "text"})


# --- a bad batch: every problem reported, every good document read --------

def test_bad_batch(tmp_path):
    good = write(tmp_path / "good.txt", "---\npublished: 2023-01-05\n---\nFine.\n")
    binary = write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    empty = write(tmp_path / "empty.txt", b"")
    blank = write(tmp_path / "blank.md", "  \n\n")
    records = write(tmp_path / "recs.jsonl", "\n".join([
        '{"id": "r1", "published": "2023-01-02", "text": "One."}',
        '{"id": "r2", "published": "2023-01-03", "text": "Two."',
        "",
        '{"id": "r3", "published": "2022-13-45", "text": "Three."}',
        '{"id": "r4", "published": "yesterday", "text": "Four."}',
        '{"id": "r5", "published": "2023-01-04", "text": ""}',
        '["not", "an", "object"]',
        '{"id": "r6", "published": "2023-01-06T10:00:00Z", "text": "Six."}',
    ]) + "\n")
    pdf = write(tmp_path / "paper.pdf", b"%PDF-1.4 ...")
    missing = tmp_path / "missing.txt"
    result = read_inputs([good, binary, empty, blank, records, pdf, missing])

    assert [d.id for d in result.documents] == ["good", "r1", "r6"]
    assert result.documents[2].published == datetime(2023, 1, 6, 10, 0)
    got = reasons(result)
    rec = f"{records}:line "
    assert got[str(binary)].startswith("not a text file")
    assert got[str(empty)].startswith("empty file")
    assert got[str(blank)].startswith("empty file")
    assert got[rec + "2"].startswith("not valid JSON")
    assert "'2022-13-45'" in got[rec + "4"] and "not a valid date" in got[rec + "4"]
    assert "'yesterday'" in got[rec + "5"]
    assert got[rec + "6"].startswith("no text")
    assert got[rec + "7"].startswith("not a JSON object")
    assert got[str(pdf)].startswith("unsupported file type '.pdf'")
    assert got[str(missing)] == "no such file or folder"
    assert len(result.skipped) == 10
    for skip in result.skipped:  # one sentence that says what to do or why
        assert isinstance(skip, Skipped) and len(skip.reason) > 15


def test_iter_inputs_streams_the_same_items(tmp_path):
    write(tmp_path / "a.txt", "---\npublished: 2023-01-05\n---\nA.\n")
    items = list(iter_inputs([tmp_path / "a.txt", tmp_path / "nope"]))
    assert isinstance(items[0], Document) and isinstance(items[1], Skipped)


# --- encodings --------------------------------------------------------------

def test_utf8_bom_is_stripped(tmp_path):
    write(tmp_path / "a.txt", b"\xef\xbb\xbf---\npublished: 2023-01-05\n---\n"
          + "Caf\u00e9 “open”.\n".encode("utf-8"))
    doc = only_doc(read_inputs([tmp_path / "a.txt"]))
    assert doc.text == "Caf\u00e9 “open”.\n" and doc.published == date(2023, 1, 5)


def test_utf16_with_bom(tmp_path):
    write(tmp_path / "a.txt", "\ufeffZürich “talks” – Monday.\n", "utf-16-le")
    doc = only_doc(read_inputs([tmp_path / "a.txt"], allow_undated=True))
    assert doc.text == "Zürich “talks” – Monday.\n"


@pytest.mark.parametrize("encoding, text", [
    ("cp1252", "The caf\u00e9 “Zum L\u00f6wen” reopened – prices rose to 5 €.\n"),
    ("cp1252", "Le ministre a d\u00e9clar\u00e9 \u00e0 la presse que la "
               "r\u00e9union aura lieu \u00e0 Gen\u00e8ve en f\u00e9vrier.\n"),
    ("latin-1", "Stra\u00dfe, M\u00fcller, Gr\u00f6\u00dfe: die Sitzung fand "
                "am 3. M\u00e4rz statt.\n"),
    ("latin-1", "Z\u00fcrich\n"),
    ("cp1251", "Министр иностранных дел заявил во вторник, что Киев "
               "разорвёт отношения.\n"),
])
def test_legacy_encodings(tmp_path, encoding, text):
    write(tmp_path / "a.txt", text, encoding)
    doc = only_doc(read_inputs([tmp_path / "a.txt"], published=date(2023, 1, 1)))
    assert doc.text == text


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1),
       st.booleans())
def test_utf8_decodes_exactly(text, bom):
    if not text.strip() or text.startswith("\ufeff"):  # that would be a BOM
        return
    data = ("\ufeff" if bom else "").encode() + text.encode("utf-8")
    assert decode(data) == text


def test_control_characters_mean_binary():
    with pytest.raises(SourceError, match="not a text file"):
        decode(bytes(range(1, 32)) * 20)


# --- dates ------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("2022-10-20", date(2022, 10, 20)),
    (" 2022-10-20 ", date(2022, 10, 20)),
    ("2022-10-20T14:03:00Z", datetime(2022, 10, 20, 14, 3)),
    ("2022-10-20T23:30:00-04:00", datetime(2022, 10, 20, 23, 30)),  # wall time
    ("2022-10-20 14:03", datetime(2022, 10, 20, 14, 3)),
    ("October 20, 2022", date(2022, 10, 20)),
    ("20 October 2022", date(2022, 10, 20)),
    ("Thursday, 20th October, 2022", date(2022, 10, 20)),
    ("Oct 20, 2022 2:03 PM", datetime(2022, 10, 20, 14, 3)),
    ("", None),
    (None, None),
    ("null", None),
    (date(2022, 1, 2), date(2022, 1, 2)),
])
def test_parse_published(value, expected):
    got = parse_published(value)
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize("value", [
    "2022-13-45", "2022-02-30", "20/10/2022", "03/11/2022", "October 2022",
    "2022", "yesterday", "3 days ago", "February 30, 2022", "soon", 20221020,
])
def test_parse_published_refuses(value):
    with pytest.raises(SourceError, match=repr(value).replace("(", r"\(")):
        parse_published(value)


def test_undated_skipped_unless_allowed(tmp_path):
    path = write(tmp_path / "a.txt", "No date here.\n")
    assert reasons(read_inputs([path])) == {str(path): NO_DATE}
    doc = only_doc(read_inputs([path], allow_undated=True))
    assert doc.published is None
    doc = only_doc(read_inputs([path], published=date(2023, 4, 5)))
    assert doc.published == date(2023, 4, 5)


def test_own_date_wins_over_published_option(tmp_path):
    path = write(tmp_path / "a.txt", "---\npublished: 2023-01-05\n---\nA.\n")
    doc = only_doc(read_inputs([path], published=date(2020, 1, 1)))
    assert doc.published == date(2023, 1, 5)


# --- folders and ids --------------------------------------------------------

def test_folder_walk_order_ignored_files_and_ids(tmp_path):
    fm = "---\npublished: 2023-01-05\n---\n"
    write(tmp_path / "b.txt", fm + "B.\n")
    write(tmp_path / "a.md", fm + "A.\n")
    write(tmp_path / "sub" / "a.txt", fm + "Sub A.\n")
    write(tmp_path / ".hidden.txt", fm + "Hidden.\n")
    write(tmp_path / ".git" / "x.txt", fm + "Git.\n")
    write(tmp_path / "README.md", "About this folder.\n")
    write(tmp_path / "notes.docx", b"PK\x03\x04")
    write(tmp_path / "manifest.json", "{}")
    result = read_inputs([tmp_path])
    assert result.skipped == []
    assert [d.id for d in result.documents] == ["a", "b", "sub/a"]
    # named explicitly, the unknown file is reported; the manifest explained
    got = reasons(read_inputs([tmp_path / "notes.docx",
                               tmp_path / "manifest.json"]))
    assert got[str(tmp_path / "notes.docx")].startswith(
        "unsupported file type '.docx'")
    assert "metadata" in got[str(tmp_path / "manifest.json")]


def test_repeated_ids_made_unique(tmp_path):
    fm = "---\npublished: 2023-01-05\n---\n"
    write(tmp_path / "one" / "a.txt", fm + "A1.\n")
    write(tmp_path / "two" / "a.txt", fm + "A2.\n")
    result = read_inputs([tmp_path / "one", tmp_path / "two", tmp_path / "one"])
    assert [d.id for d in result.documents] == ["a", "a-2", "a-3"]


def test_timeml_files_go_to_the_timeml_reader(tmp_path, monkeypatch):
    seen = []

    def fake_reader(path):
        seen.append(Path(path))
        return Document(id="ABC19980108", text="Text.", published=date(1998, 1, 8))

    module = types.ModuleType("timeline.sources.timeml")
    module.read_timeml_document = fake_reader
    monkeypatch.setitem(sys.modules, "timeline.sources.timeml", module)
    path = write(tmp_path / "ABC19980108.tml", "<TimeML/>")
    doc = only_doc(read_inputs([tmp_path]))
    assert seen == [path] and doc.id == "ABC19980108"

    def broken(path):
        raise ValueError("no TEXT element")

    module.read_timeml_document = broken
    [skip] = read_inputs([path]).skipped
    assert skip.input == str(path) and "no TEXT element" in skip.reason


def test_outlet_from_host_or_site_name_when_a_record_names_none(tmp_path):
    from timeline.sources import iter_inputs
    from timeline.sources.outlet import host_outlet
    f = tmp_path / "feed.jsonl"
    recs = [{"id": "a", "url": "https://www.keyt.com/news/x", "published": "2022-09-08", "text": "A."},
            {"id": "b", "url": "https://apnews.com/y", "site_name": "AP News",
             "published": "2022-09-08", "text": "B."},
            {"id": "c", "url": "https://x.org/z", "source": "Reuters", "published": "2022-09-08",
             "text": "C."},
            {"id": "d", "url": "javascript:alert(1)", "published": "2022-09-08", "text": "D."}]
    f.write_text("\n".join(json.dumps(r) for r in recs), encoding="utf-8")
    docs = {d.id: d for d in iter_inputs([f])}
    assert [docs[k].source for k in "abcd"] == ["keyt.com", "AP News", "Reuters", None]
    assert host_outlet("https://m.bbc.co.uk/news") == "bbc.co.uk"
    assert host_outlet("https://co.uk/") == "co.uk"


# --- timeline's own outputs in an input folder ------------------------------

def test_outputs_written_into_the_input_folder_are_not_read_back(tmp_path):
    """A page, an event table (CSV, Parquet) or a Markdown timeline that a build
    wrote beside its articles is skipped with the reason on the next build: its
    "text" column is events, its page a list of them, not articles."""
    import shutil
    import timeline
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    first = timeline.build([folder])
    first.to_html(folder / "timeline.html")
    for name in ("timeline.csv", "timeline.md"):
        first.save(folder / name)
    (folder / "fragment.html").write_text(first.to_html(full_html=False), "utf-8")
    again = timeline.build([folder])
    why = {Path(s.input).name: s.reason for s in again.skipped}
    assert set(why) == {"timeline.html", "fragment.html", "timeline.csv", "timeline.md"}
    assert all("timeline's own output" in r for r in why.values())
    assert why["timeline.csv"].startswith("an event table")
    assert list(again.events["event_id"]) == list(first.events["event_id"])
    # the parallel engine's readers (Parquet is read there only) skip them too
    first.save(tmp_path / "events.parquet")
    with timeline.build([folder, tmp_path / "events.parquet"], workers=1,
                        store=tmp_path / "store") as big:
        why = {Path(s.input).name: s.reason for s in big.skipped}
        assert set(why) == {"timeline.html", "fragment.html", "timeline.csv", "timeline.md",
                            "events.parquet"}
        assert why["events.parquet"].startswith("an event table")
        assert big.event_count == len(first.events)
