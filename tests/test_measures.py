"""The catalogue of measures and how a plan's parameters judge them (pure, no database)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_access import measures, plans, scorecard, vocab
from ui.figures.overview import format_target, rule_text, split_sections
from ui.labels import SCORECARD_DEFINITIONS, SCORECARD_RULES

AS_OF = dt.date(2023, 2, 24)  # day 55 of 365


def line(measure: str, rule: str, target: float, uom: str = "%") -> plans.Line:
    return plans.make_line(code=measure, name=measure, measure=measure, rule=rule,
                           target=target, uom=uom, section="一")


def test_every_measure_is_named_defined_and_computed():
    assert set(measures.BY_CODE) == set(vocab.PLAN_MEASURES)
    assert set(measures.BY_CODE) <= set(SCORECARD_DEFINITIONS)
    assert {m.query for m in measures.CATALOGUE} == set(scorecard.MEASURES)
    assert set(vocab.MEASURE_KINDS) == set(measures.RULES_BY_KIND)


@pytest.mark.parametrize(("measure", "rule", "allowed"), [
    ("gas_over_limit", "zero", True), ("gas_over_limit", "rate", False),
    ("mhs_training", "progress", True), ("mhs_training", "zero", False),
    ("intelligent_faces", "progress", True), ("intelligent_faces", "rate", False),
    ("comprehensive_drills", "annual", True), ("monthly_meetings", "annual", True),
    ("mhs_training", "annual", False), ("gas_over_limit", "annual", False),
    ("intelligent_faces", "annual", False),
    ("larger_accidents", "control", True), ("accident_deaths", "control", True),
    ("larger_accidents", "zero", False), ("gas_over_limit", "control", False),
    ("no_such_measure", "rate", False),
])
def test_a_plan_line_may_only_use_the_rules_its_measure_allows(measure, rule, allowed):
    assert (measures.rule_problem(measure, rule) is None) == allowed


def test_a_share_target_is_stored_in_percent_and_a_count_as_is():
    assert line("hazchem_online", "rate", 98).target == pytest.approx(0.98)
    assert line("gas_over_limit", "zero", 0, "起").target == 0
    assert line("intelligent_faces", "progress", 30, "处").target == 30


def test_rate_with_a_target_below_100_percent():
    online = line("hazchem_online", "rate", 98)
    assert scorecard.line_status(online, 0.98, as_of=AS_OF) == "met"
    assert scorecard.line_status(online, 0.98 * 0.95, as_of=AS_OF) == "warning"
    assert scorecard.line_status(online, 0.98 * 0.95 - 0.001, as_of=AS_OF) == "missed"


def test_annual_obligation_with_a_target_below_100_percent_is_judged_by_its_deadline():
    drills = line("comprehensive_drills", "annual", 90)
    assert scorecard.line_status(drills, 0.9, as_of=dt.date(2023, 3, 1)) == "met"
    assert scorecard.line_status(drills, 0.5, as_of=dt.date(2023, 9, 30)) == "pending"
    assert scorecard.line_status(drills, 0.89, as_of=dt.date(2023, 10, 1)) == "warning"
    assert scorecard.line_status(drills, 0.89, as_of=dt.date(2023, 12, 31)) == "missed"


def test_zero_count_allows_up_to_its_target():
    limit = line("cyber_incidents", "zero", 2, "起")
    assert scorecard.line_status(limit, 2, as_of=AS_OF) == "met"
    assert scorecard.line_status(limit, 3, as_of=AS_OF) == "missed"
    assert scorecard.line_status(line("cyber_incidents", "zero", 0, "起"), 1,
                                 as_of=AS_OF) == "missed"


def test_indicator_is_its_count_over_the_target_against_time():
    faces = line("intelligent_faces", "progress", 30, "处")
    share = 55 / 365
    assert scorecard.line_status(faces, 30 / 30, as_of=AS_OF) == "met"
    assert scorecard.line_status(faces, share, as_of=AS_OF) == "warning"
    assert scorecard.line_status(faces, share - 0.001, as_of=AS_OF) == "missed"


def test_without_a_target_nothing_is_judged():
    for entry in plans.catalogue_lines():
        assert scorecard.line_status(entry, 0.5, as_of=AS_OF) == "no_data"


def row(**values) -> pd.Series:
    return pd.Series({"kind": "ratio", "unit": "%", **values}, dtype=object)


def test_target_text_keeps_the_plan_unit_and_the_standard_rules_keep_their_words():
    assert format_target(row(rule="rate", target=1.0)) == "100%"
    assert format_target(row(rule="rate", target=0.98)) == "98%"
    assert format_target(row(rule="zero", target=0, kind="zero_count", unit="起")) == "0起"
    assert format_target(row(rule="progress", target=30, kind="indicator", unit="处")) == "30处"
    assert format_target(row(rule="rate", target=None)) == "—"
    assert rule_text(row(rule="rate", target=1.0)) == SCORECARD_RULES["rate"]
    assert "98%" in rule_text(row(rule="rate", target=0.98))
    assert "2起" in rule_text(row(rule="zero", target=2, kind="zero_count", unit="起"))
    assert rule_text(row(rule="annual", target=1.0, kind="obligation")) == SCORECARD_RULES["annual"]
    assert "90%" in rule_text(row(rule="annual", target=0.9, kind="obligation"))


def test_sections_split_in_two_columns_of_about_equal_lines():
    sections = ["一"] * 2 + ["二"] * 5 + ["三", "四", "五"] + ["六"] * 8
    assert split_sections(pd.DataFrame({"section": sections})) == (
        ("一", "二", "三", "四"), ("五", "六"))
    assert split_sections(pd.DataFrame({"section": ["一"] * 3})) == (("一",), ())
