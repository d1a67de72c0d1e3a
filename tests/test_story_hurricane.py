"""A made-up hurricane story of three articles (tests/data/stories/hurricane),
read as a new user reads it: one row per happening told in other words, reports
as reports, the page's title and opening view."""
from pathlib import Path

import pandas as pd
import pytest

import timeline
from timeline import merge, render

STORY = Path(__file__).parent / "data" / "stories" / "hurricane"


@pytest.fixture(scope="module")
def tl():
    return timeline.build([STORY])


def row(tl, words):
    hits = [r for r in tl.events.itertuples() if words in r.text or words in r.title]
    assert len(hits) == 1, [r.title for r in tl.events.itertuples()]
    return hits[0]


def test_the_landfall_in_three_wordings_is_one_row(tl):
    # "made landfall", "came ashore", "hit the coast": one kind of the pack
    assert "#landfall" in merge.tokens("The storm came ashore at about 11 p.m.")
    landfall = row(tl, "hit the coast")
    assert len(landfall.members.split("; ")) == 3 and landfall.n_sources == 2
    assert landfall.start == pd.Timestamp("2026-10-07 23:00")


def test_the_tornado_is_one_row_with_two_outlets(tl):
    tornado = [r for r in tl.events.itertuples() if "tornado" in r.text.lower()]
    assert len(tornado) == 1 and tornado[0].n_sources == 2


def test_a_trailing_attribution_is_a_report(tl):
    sheriff = row(tl, "four people died")
    assert (sheriff.role, sheriff.title) == (
        "report", "Sheriff's office says at least four people died in the storm")


def test_a_declaration_and_the_next_act_of_its_subject_are_the_event(tl):
    emergency = row(tl, "state of emergency")
    assert emergency.role == "event" and emergency.title.startswith("Gov. Linda Ruiz declared")


def test_the_page_names_the_storm_and_opens_on_its_first_day(tl):
    assert render.default_title(tl.events) == "Timeline of 3 articles: Hurricane Mara"
    lo = pd.Timestamp(render.figure(tl.events).layout.xaxis.range[0])
    assert lo < pd.Timestamp("2026-10-05")  # the state of emergency, three days before


def test_the_company_is_the_body_named_before(tl):
    # "..., Duke Energy said Friday. The company said it expects ...": not "company"
    work = row(tl, "finish the work")
    assert (work.title, work.attribution) == ("Duke Energy expects to finish the work",
                                              "Duke Energy")
