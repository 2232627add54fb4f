"""Salary strings as job boards write them become a yearly min and max."""
import pytest

from core.alumni.job_market import parse_salary


@pytest.mark.parametrize("raw, expected", [
    ("$53K-$91K (est.)", (53_000, 91_000)),
    ("$120,000 - $180,000", (120_000, 180_000)),
    ("€45k", (45_000, 45_000)),
    ("95000", (95_000, 95_000)),
    ("$25/hr", (52_000, 52_000)),
    ("$20-$30 Per Hour(Glassdoor est.)", (41_600, 62_400)),
    ("", (None, None)),
])
def test_salary_strings_become_a_yearly_range(raw, expected):
    assert parse_salary(raw) == expected


def test_a_salary_without_any_amount_is_an_error():
    with pytest.raises(ValueError):
        parse_salary("competitive")
