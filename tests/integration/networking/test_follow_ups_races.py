"""Two sends of one follow-up draft at the same moment (two tabs, a double click) on a real Postgres: one message,
one notification, and a friendly refusal for the other."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.networking.follow_ups import FollowUpError, generate_follow_up_drafts, send_follow_up
from db.models import FollowUpDraft, Message, Notification
from tests.integration.agenda.test_meeting_races import count, race
from tests.integration.networking.test_follow_ups import summit  # noqa: F401  (the fixture)


def test_two_sends_of_one_draft_at_once_send_one_message(db, engine, clock, summit):  # noqa: F811
    event_id, ids = summit
    generate_follow_up_drafts(db, event_id=event_id, clock=clock)
    db.commit()
    draft_id = db.scalar(select(FollowUpDraft.id).where(FollowUpDraft.author_id == ids["ana"],
                                                        FollowUpDraft.recipient_id == ids["bo"]))

    def send(body: str):
        def act(session: Session) -> int:
            return send_follow_up(session, draft_id=draft_id, person_id=ids["ana"], clock=clock, body=body)
        return act

    outcomes = race(engine, send("First tab"), send("Second tab"), refusal=FollowUpError)
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    assert "already sent" in next(text for kind, text in outcomes if kind == "refused")
    assert count(db, Message) == 1
    assert count(db, Notification, Notification.person_id == ids["bo"]) == 1
