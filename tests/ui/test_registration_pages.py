"""Sign-up, invitations, password pages and the organizer's Registration page, under AppTest."""
from urllib.parse import parse_qs, urlparse

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.accounts.sessions import log_in
from core.accounts.tokens import create_reset_link, generate_invitations
from core.demo.seed import DEMO_EVENT_SLUG
from core.events.events import get_event, set_registration
from core.platform.settings import Settings
from db.models import Account, JobRequest, Person
from tests.conftest import ROOT
from tests.ui.conftest import page_app, texts

KEY = Settings().cookie_key.get_secret_value()


def public_page(name: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / f"pages/{name}.py"), default_timeout=60)
    at.query_params.update(query)
    return at.run()


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def open_registration(db, clock) -> str:
    event = get_event(db, DEMO_EVENT_SLUG)
    set_registration(db, event_id=event.id, open_=True, capacity=None, closes_at=None, actor_id=None, clock=clock)
    db.commit()
    return event.registration_code


def test_a_visitor_signs_up_in_five_steps_and_can_log_in(demo, clock):
    at = public_page("sign_up", code=open_registration(demo, clock))
    at.text_input[0].input("newbie")
    at.text_input[1].input("newbie@x.io")
    at.text_input[2].input("a-good-password")
    at.text_input[3].input("a-good-password")
    at = button(at, "Next").click().run()
    inputs = {t.label: t for t in at.text_input}
    for label, value in (("First name", "Nia"), ("Last name", "Obi"), ("Company", "Acme"), ("Role", "CTO")):
        inputs[label].input(value)
    at.multiselect(key="signup_interests").set_value(["AI/ML", "Fintech"])
    at.multiselect(key="signup_goals").set_value(["HIRE", "GET_MENTORED"])
    assert "Find a mentor" in at.multiselect(key="signup_goals").format_func("GET_MENTORED")
    at = button(at, "Next").click().run()
    assert "What's your biggest challenge right now?" in texts(at)
    at.button_group(key="signup_challenge_chip").set_value("Raising our next funding round").run()
    assert at.text_area(key="signup_challenge_text").value == "Raising our next funding round"
    at = button(at, "Next").click().run()
    assert "Supercharge your networking" in texts(at)
    at.toggle[0].set_value(True)
    at = button(at, "Next").click().run()
    at = button(at, "Create my account").click().run()
    assert any("registered for GlobalTech Summit 2026" in s.value for s in at.success), [e.value for e in at.error]
    person = demo.scalar(select(Person).where(Person.email == "newbie@x.io"))
    assert person.problem_statement == "Raising our next funding round" and person.allow_enrichment
    assert person.goals == ["HIRE", "GET_MENTORED"] and person.years_experience is None
    assert log_in(demo, username="newbie", password="a-good-password", client="t", clock=clock).ok
    assert demo.scalar(select(JobRequest.job_id).where(JobRequest.job_id == "refresh-recommendations"))


def test_the_sign_up_page_says_when_registration_is_closed(demo, clock):
    code = open_registration(demo, clock)
    event = get_event(demo, DEMO_EVENT_SLUG)
    set_registration(demo, event_id=event.id, open_=False, capacity=None, closes_at=None, actor_id=None, clock=clock)
    demo.commit()
    at = public_page("sign_up", code=code)
    assert any("closed" in w.value for w in at.warning) and not at.text_input


def test_an_invited_attendee_chooses_a_password_and_is_logged_in(demo, clock):
    event = get_event(demo, DEMO_EVENT_SLUG)
    links = generate_invitations(demo, event_id=event.id, actor_id=None, clock=clock, key=KEY,
                                 base_url="http://x", days=14, send=False)
    demo.commit()
    token = parse_qs(urlparse(links[0].link).query)["token"][0]
    at = public_page("accept_invitation", token=token)
    assert links[0].email in [t.value for t in at.text_input]
    inputs = [t for t in at.text_input if not t.disabled]
    inputs[0].input("invited")
    inputs[1].input("a-good-password")
    inputs[2].input("a-good-password")
    at = button(at, "Create my account").click().run()
    assert at.session_state["session_token"]
    account = demo.scalar(select(Account).where(Account.username == "invited"))
    assert account.person.email == links[0].email


def test_a_used_or_forged_invitation_link_says_what_to_do(demo):
    at = public_page("accept_invitation", token="forged.token")
    assert any("not valid" in w.value for w in at.warning) and not at.text_input


def test_a_reset_link_sets_a_new_password(demo, clock):
    admin = demo.scalar(select(Account).where(Account.username == "admin"))
    link = create_reset_link(demo, account_id=admin.id, actor_id=None, clock=clock, key=KEY, base_url="http://x",
                             hours=24)
    demo.commit()
    at = public_page("reset_password", token=parse_qs(urlparse(link).query)["token"][0])
    at.text_input[0].input("brand-new-pass-1")
    at.text_input[1].input("brand-new-pass-1")
    at = button(at, "Set the new password").click().run()
    assert any("password is set" in s.value for s in at.success)
    demo.expire_all()
    assert log_in(demo, username="admin", password="brand-new-pass-1", client="t", clock=clock).ok


def test_a_user_changes_their_own_password_on_the_account_page(demo, clock):
    at = page_app("organizer", "pages/account.py")
    at.text_input[0].input("organizer-demo-1")
    at.text_input[1].input("organizer-new-1")
    at.text_input[2].input("organizer-new-1")
    at = button(at, "Change password").click().run()
    assert any("Password changed" in s.value for s in at.success)
    assert log_in(demo, username="organizer", password="organizer-new-1", client="t", clock=clock).ok


def test_an_organizer_opens_registration_and_gets_the_sign_up_link(demo):
    at = page_app("organizer", "pages/registration.py")
    at.toggle[0].set_value(True)
    at = button(at, "Save").click().run()
    assert any("saved" in s.value for s in at.success)
    demo.expire_all()
    code = get_event(demo, DEMO_EVENT_SLUG).registration_code
    assert any(f"sign-up?code={code}" in c.value for c in at.code)


def test_an_organizer_generates_invitations_for_attendees_without_an_account(demo):
    at = page_app("organizer", "pages/registration.py")
    at = button(at, "Generate invitations").click().run()
    assert any("invitation links created" in s.value for s in at.success)
    assert any(b.label == "Download invitations (CSV)" for b in at.get("download_button"))
