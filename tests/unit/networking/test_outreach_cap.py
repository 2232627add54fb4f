"""The daily outreach cap: account age and the answered share of earlier outreach set it."""
from core.networking.outreach import OutreachLimits, OutreachRecord, daily_cap

LIMITS = OutreachLimits(daily=20, new_account_daily=5, new_account_days=7, low_response_share=0.2,
                        low_response_min_sent=10)


def test_an_established_account_with_good_answers_gets_the_full_cap():
    assert daily_cap(OutreachRecord(90, 40, 20, 0), LIMITS) == 20


def test_an_account_younger_than_a_week_gets_the_new_account_cap():
    assert daily_cap(OutreachRecord(2, 0, 0, 0), LIMITS) == 5


def test_a_sender_whose_outreach_is_rarely_answered_gets_half_the_cap():
    assert daily_cap(OutreachRecord(90, 40, 4, 0), LIMITS) == 10


def test_too_little_earlier_outreach_never_halves_the_cap():
    assert daily_cap(OutreachRecord(90, 9, 0, 0), LIMITS) == 20


def test_a_halved_new_account_cap_never_drops_below_two():
    assert daily_cap(OutreachRecord(1, 12, 0, 0), OutreachLimits(new_account_daily=3)) == 2
