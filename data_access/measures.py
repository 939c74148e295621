"""The catalogue of what the scorecard can compute: a fixed, tested list in code.

A year's plan (data_access/plans.py, tables plan_lines …) chooses measures from this catalogue
by code and parameterises them: the rule it is judged by, the target, the unit of measure, the
name shown. What a measure is, is code; what the notice asks of it, is data.

Kinds of measure, and the rules a plan line may judge each by:
- ratio       a ratio of two counts (e.g. trained ÷ registered major hazard sources):
              rate (at or above the target) or progress (the target by year end, read against
              the share of the year elapsed);
- obligation  the share of units that met an obligation (e.g. one comprehensive drill a year,
              one meeting a month): annual (due once a year by 31 December, judged by that
              deadline: 未到期 until 30 September, 预警 in the last quarter, 未达标 on 31
              December), progress or rate;
- zero_count  a count of events or entities that must not exceed the target (0 for 零控制):
              zero;
- indicator   a count against a number the plan sets (e.g. 40 intelligent faces): progress,
              the count ÷ the target against time;
- control     accidents or deaths against the year's control indicator entered in 目标管理
              (targets, per unit), not a number of the plan: control, the 事故控制 page's rule
              and words (正常/预警/超进度/超标/未设定); 重特大事故 is controlled at zero.
"""

from __future__ import annotations

from dataclasses import dataclass

from data_access import vocab

RULES_BY_KIND = {
    "ratio": ("rate", "progress"),
    "obligation": ("progress", "rate", "annual"),
    "zero_count": ("zero",),
    "indicator": ("progress",),
    "control": ("control",),
}


@dataclass(frozen=True)
class Measure:
    code: str
    kind: str
    query: str  # the query in data_access.scorecard.MEASURES that computes it
    uom: str = "%"  # the unit of measure a plan line uses unless it names another
    has_history: bool = True  # False: the data keeps no dates, the value is the current state

    @property
    def rules(self) -> tuple[str, ...]:
        return RULES_BY_KIND[self.kind]

    @property
    def is_share(self) -> bool:
        """A share (read in %), not a count."""
        return self.kind in ("ratio", "obligation")


CATALOGUE: tuple[Measure, ...] = (
    Measure("major_accidents", "control", "accident_control", "起"),
    Measure("larger_accidents", "control", "accident_control", "起"),
    Measure("general_accidents", "control", "accident_control", "起"),
    Measure("accident_deaths", "control", "accident_control", "人"),
    Measure("monthly_meetings", "obligation", "leadership"),
    Measure("leader_visits", "obligation", "leadership"),
    Measure("gas_over_limit", "zero_count", "gas", "起"),
    Measure("coal_outburst", "zero_count", "gas", "起"),
    Measure("oil_gas_high_risk", "zero_count", "oil_gas", "家"),
    Measure("mhs_training", "ratio", "major_hazard_sources"),
    Measure("mhs_inspection", "ratio", "major_hazard_sources"),
    Measure("inspection_plan", "ratio", "inspection_plan"),
    Measure("risk_census", "ratio", "risk_census"),
    Measure("comprehensive_drills", "obligation", "drills"),
    Measure("township_staffing", "ratio", "township_staffing"),
    Measure("hazchem_commitment", "ratio", "monitoring"),
    Measure("hazchem_connection", "ratio", "monitoring"),
    Measure("hazchem_online", "ratio", "monitoring"),
    Measure("hazchem_alarm_clearance", "ratio", "monitoring"),
    Measure("hazchem_alarms_over_24h", "zero_count", "monitoring", "条"),
    Measure("standardization", "ratio", "standardization", has_history=False),
    Measure("cyber_incidents", "zero_count", "cyber", "起"),
    Measure("intelligent_faces", "indicator", "faces", "处"),
    Measure("hazard_closure", "ratio", "hazards"),
)
BY_CODE = {measure.code: measure for measure in CATALOGUE}


def rule_problem(measure: str, rule: str) -> str | None:
    """Why a plan line cannot judge `measure` by `rule` (Chinese), or None when it can."""
    found = BY_CODE.get(measure)
    if found is None:
        return f"计算口径“{measure}”不在口径目录中"
    if rule not in found.rules:
        allowed = "、".join(vocab.PLAN_RULES[r] for r in found.rules)
        return f"该口径只能按“{allowed}”判定"
    return None
