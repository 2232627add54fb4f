"""Blocking from a For you card: after the confirmation the person is blocked, and on the rerun their card is gone;
reporting from a card puts a report in the moderators' queue."""
from sqlalchemy import select

from db.models import Block, Report
from tests.ui.conftest import for_you, opened
from tests.ui.test_for_you import first_recommendation, recommended  # noqa: F401  (the fixture)


def test_blocking_from_a_card_removes_the_person_on_the_rerun(recommended):  # noqa: F811
    first = first_recommendation(recommended)
    at = opened(for_you("People"), f"connect-open-{first.id}", f"safety-card-{first.id}-open")
    assert [t for t in at.text_area if t.key == f"connect-note-{first.id}"]
    assert at.button(key=f"safety-card-{first.id}-block").disabled  # not before the confirmation
    at.checkbox(key=f"safety-card-{first.id}-confirm").check().run()
    at.button(key=f"safety-card-{first.id}-block").click().run()
    assert not at.exception
    assert recommended.scalar(select(Block.blocked_id).where(Block.blocker_id == first.user_id)) \
        == first.target_person_id
    assert not [t for t in at.text_area if t.key == f"connect-note-{first.id}"]


def test_reporting_from_a_card_with_also_block_queues_a_report_and_blocks(recommended):  # noqa: F811
    first = first_recommendation(recommended)
    at = opened(for_you("People"), f"safety-card-{first.id}-open")
    at.selectbox(key=f"safety-card-{first.id}-reason").set_value("harassment")
    at.text_area(key=f"safety-card-{first.id}-details").input("Keeps messaging after I said no")
    at.checkbox(key=f"safety-card-{first.id}-also-block").check()
    next(b for b in at.button if b.label == "Send report" and f"card-{first.id}" in (b.form_id or "")).click().run()
    assert not at.exception
    report = recommended.scalar(select(Report))
    assert (report.reported_id, report.reason, report.context, report.details) == (
        first.target_person_id, "harassment", "card", "Keeps messaging after I said no")
    assert recommended.scalar(select(Block.blocked_id)) == first.target_person_id
