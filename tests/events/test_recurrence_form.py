"""The "Repeats" choices of the event form and the RRULE they stand for, both ways."""

import datetime as dt

import pytest

from events.recurrence_form import RuleChoices, choices_from_rule, rule_from_choices

CASES = [
    (RuleChoices(), ""),
    (RuleChoices(repeats="daily"), "FREQ=DAILY"),
    (
        RuleChoices(repeats="daily", interval=3, ends="after_count", count=10),
        "FREQ=DAILY;INTERVAL=3;COUNT=10",
    ),
    (RuleChoices(repeats="weekly"), "FREQ=WEEKLY"),
    (RuleChoices(repeats="weekly", weekdays=("TU", "TH")), "FREQ=WEEKLY;BYDAY=TU,TH"),
    (
        RuleChoices(
            repeats="weekly", interval=2, weekdays=("MO",), ends="on_date", until=dt.date(2031, 12, 31)
        ),
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;UNTIL=20311231",
    ),
    (RuleChoices(repeats="monthly_date"), "FREQ=MONTHLY"),
    (RuleChoices(repeats="monthly_weekday", week_of_month=2, weekday="TU"), "FREQ=MONTHLY;BYDAY=2TU"),
    (RuleChoices(repeats="monthly_weekday", week_of_month=-1, weekday="FR"), "FREQ=MONTHLY;BYDAY=-1FR"),
    (RuleChoices(repeats="yearly", ends="after_count", count=5), "FREQ=YEARLY;COUNT=5"),
]


@pytest.mark.parametrize(("choices", "rule"), CASES)
def test_rule_from_choices_composes_the_rrule(choices, rule):
    assert rule_from_choices(choices) == rule


@pytest.mark.parametrize(("choices", "rule"), CASES)
def test_choices_from_rule_reads_the_pattern_back(choices, rule):
    assert choices_from_rule(rule) == choices


def test_rule_from_choices_orders_weekdays_monday_first():
    assert (
        rule_from_choices(RuleChoices(repeats="weekly", weekdays=("TH", "MO", "TU")))
        == "FREQ=WEEKLY;BYDAY=MO,TU,TH"
    )


def test_choices_from_rule_reads_a_prefixed_lower_case_rule():
    assert choices_from_rule("RRULE:freq=weekly;byday=tu,th") == RuleChoices(
        repeats="weekly", weekdays=("TU", "TH")
    )


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",  # the same as 2TU, but said otherwise
        "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "FREQ=MONTHLY;BYMONTHDAY=15",
        "FREQ=MONTHLY;BYDAY=1MO,3MO",
        "FREQ=DAILY;UNTIL=20311231T225959Z",  # an instant, as calendar files write it
        "FREQ=WEEKLY;BYDAY=WE;INTERVAL=2",  # parts in another order
        "FREQ=DAILY;INTERVAL=1",
        "FREQ=WEEKLY;WKST=SU;BYDAY=TU",
        "FREQ=DAILY;BYDAY=MO,TU",
        "FREQ=MONTHLY;BYDAY=6TU",
    ],
)
def test_choices_from_rule_leaves_rules_the_form_cannot_say_to_the_expert_field(rule):
    assert choices_from_rule(rule) is None
