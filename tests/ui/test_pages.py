"""Every page renders for its role from the demo data, and its main actions work."""
import json

import pytest
from sqlalchemy import select

from core.ingest.pipeline import ProgressWriter
from core.jobs.uploads import import_dataset
from core.platform.clock import SystemClock
from core.platform.queue import claim_upload
from db.models import Account, Alumnus, DatasetUpload, JobRun, Person, ProgramSession
from tests.samples import SCHEDULE
from tests.ui.conftest import page_app, texts
from ui.navigation import PAGES

PAGE_OWNER = {spec.path: role.value for role, specs in PAGES.items() for spec in specs}


@pytest.mark.parametrize("page", sorted(PAGE_OWNER))
def test_each_page_renders_for_its_role_without_errors(demo, page):
    at = page_app(PAGE_OWNER[page], page)
    assert not at.exception, at.exception
    assert at.title and "do not have access" not in texts(at)


def test_the_profile_page_shows_the_attendee_and_saves_an_edit(demo):
    at = page_app("attendee", "pages/profile.py")
    bio = at.text_area[0]
    bio.input("I build payment rails and look for a data engineer.")
    at.button[0].click().run()
    assert not at.exception
    assert any("Saved" in s.value for s in at.success)
    assert demo.scalar(select(Person.bio).join(Account, Account.person_id == Person.id)
                       .where(Account.username == "attendee")) == "I build payment rails and look for a data engineer."


def test_the_profile_page_explains_an_invalid_edit_and_keeps_the_old_profile(demo):
    at = page_app("attendee", "pages/profile.py")
    before = demo.scalar(select(Person.interests).join(Account, Account.person_id == Person.id)
                         .where(Account.username == "attendee"))
    at.multiselect(key="profile_interests").set_value([])
    next(b for b in at.button if b.label == "Save profile").click().run()
    assert any("Not saved" in e.value and "interests" in e.value for e in at.error)
    demo.expire_all()
    assert demo.scalar(select(Person.interests).join(Account, Account.person_id == Person.id)
                       .where(Account.username == "attendee")) == before


def test_the_program_page_lists_the_demo_sessions(demo):
    at = page_app("attendee", "pages/program.py")
    assert any("sessions" in c.value for c in at.caption)
    assert len(at.expander) >= 30


def test_the_event_overview_shows_registration_metrics(demo):
    at = page_app("organizer", "pages/event_overview.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Registered"] == "60"
    assert len(at.get("plotly_chart")) == 3  # goals, industries, interests; the one registration day is a number


def test_the_jobs_page_runs_a_job_now_and_records_it(demo):
    at = page_app("admin", "pages/jobs.py")
    at.button[0].click().run()
    assert not at.exception
    assert any("finished" in s.value for s in at.success)
    assert demo.scalar(select(JobRun.status)) == "succeeded"


def test_the_jobs_page_lists_the_jobs_an_upload_queued(demo, clock):
    import_dataset(demo, kind="alumni", data=b"email,name,location\nz@x.io,Zed,Lisbon\n", filename="a.csv",
                   event_slug=None, actor_id=None, clock=clock, max_mb=5)
    demo.commit()
    at = page_app("admin", "pages/jobs.py")
    waiting = next(d.value for d in at.dataframe if "why" in d.value.columns)
    after_upload = waiting[waiting["why"].str.startswith("after upload #1")]  # the demo seed queues its own
    assert list(after_upload["job"]) == ["Geocode locations", "Rebuild talent hubs", "Skill graph", "Career model"]


def test_the_users_page_refuses_to_change_nothing_without_confirmation(demo):
    at = page_app("admin", "pages/users.py")
    at.multiselect[0].set_value(["attendee", "organizer"])
    at.button[0].click().run()
    assert any("confirmation" in w.value for w in at.warning)


def test_the_users_page_changes_another_accounts_roles_after_confirmation(demo):
    at = page_app("admin", "pages/users.py")
    target_id = at.selectbox[0].value
    at.multiselect[0].set_value(["attendee", "organizer"])
    at.checkbox[1].check()
    at.button[0].click().run()
    assert not at.exception
    demo.expire_all()
    assert demo.scalar(select(Account.roles).where(Account.id == target_id)) == ["attendee", "organizer"]


def test_the_audit_log_page_shows_the_demo_seeding(demo):
    at = page_app("admin", "pages/audit_log.py")
    assert "Demo seeded" in set(at.dataframe[0].value["action"])


def test_the_prompt_variants_page_says_the_algorithmic_matcher_is_in_use_without_a_key(demo, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    at = page_app("staff", "pages/prompt_variants.py")
    assert any("algorithmic matcher" in w.value for w in at.warning)


HEADER = ("email,first_name,last_name,company,role,industry,company_size,years_experience,interests,goals,"
          "skills_offered,skills_needed,bio,problem_statement,city,country,allow_enrichment\n")


def submit_file(at, name: str, content: bytes):
    """Upload a file on the page and press the button: the file is queued for the worker."""
    at.file_uploader[0].upload(name, content, "text/csv")
    at.run()
    next(b for b in at.button if b.label == "Validate and load").click()
    return at.run()


def upload_file(at, name: str, content: bytes, worker_pass):
    """Submit a file, let one worker pass process the queue, and show the page again."""
    at = submit_file(at, name, content)
    assert worker_pass()["uploads"] == 1
    return at.run()


def test_the_uploads_page_loads_good_rows_and_reports_bad_ones(demo, worker_pass):
    at = page_app("admin", "pages/uploads.py")
    data = (HEADER + "new.person@x.io,Nia,Costa,Acme,CTO,,,,ai,HIRE,,,,,Lisbon,Portugal,false\n"
            + "broken,Bo,Li,Acme,CTO,,,,ai,HIRE,,,,,Lisbon,Portugal,false\n").encode()
    at = upload_file(at, "people.csv", data, worker_pass)
    assert not at.exception
    assert any("1 valid, 1 with errors" in w.value for w in at.warning)
    problems = at.dataframe[0].value
    assert list(problems["line"]) == [3] and list(problems["column"]) == ["email"]
    assert demo.scalar(select(Person.first_name).where(Person.email == "new.person@x.io")) == "Nia"


def test_the_uploads_page_rejects_a_binary_file_with_a_clear_message(demo, worker_pass):
    at = page_app("admin", "pages/uploads.py")
    at = upload_file(at, "people.csv", bytes(range(256)) * 50, worker_pass)
    assert any("rejected and nothing was loaded" in e.value and "not a text table" in e.value for e in at.error)


def test_the_uploads_page_loads_a_pretalx_schedule_as_the_program(demo, worker_pass):
    at = page_app("admin", "pages/uploads.py")
    at.selectbox[0].select("sessions").run()
    at = upload_file(at, "schedule.json", json.dumps(SCHEDULE).encode(), worker_pass)
    assert not at.exception
    assert any("3 new" in s.value for s in at.success)
    assert demo.scalar(select(ProgramSession.title).where(ProgramSession.external_id == "a1")) == "Opening keynote"


def test_a_submitted_file_is_queued_and_the_page_says_when_no_worker_is_running(demo):
    at = submit_file(page_app("admin", "pages/uploads.py"), "people.csv",
                     (HEADER + "q@x.io,Qi,Wu,Acme,CTO,,,,ai,HIRE,,,,,,,false\n").encode())
    assert demo.scalar(select(DatasetUpload.status)) == "queued"
    assert any("No jobs worker has checked in" in w.value for w in at.warning)
    assert demo.scalar(select(Person.id).where(Person.email == "q@x.io")) is None


def test_a_queued_file_shows_no_worker_warning_while_a_worker_is_alive(demo, clock):
    from core.platform.queue import record_heartbeat

    record_heartbeat(demo, worker_id="w1", clock=SystemClock())
    demo.commit()
    at = submit_file(page_app("admin", "pages/uploads.py"), "people.csv",
                     (HEADER + "q@x.io,Qi,Wu,Acme,CTO,,,,ai,HIRE,,,,,,,false\n").encode())
    assert not any("No jobs worker" in w.value for w in at.warning)


def test_without_a_worker_the_admin_processes_the_queued_file_on_the_page(demo):
    at = submit_file(page_app("admin", "pages/uploads.py"), "people.csv",
                     (HEADER + "q@x.io,Qi,Wu,Acme,CTO,,,,ai,HIRE,,,,,,,false\n").encode())
    next(b for b in at.button if b.label == "Process it here now").click().run()
    assert any("1 valid, 0 with errors; 1 new" in s.value for s in at.success)
    assert demo.scalar(select(Person.first_name).where(Person.email == "q@x.io")) == "Qi"


def test_the_page_shows_the_stage_and_counts_the_worker_has_stored(demo, engine, clock):
    at = submit_file(page_app("admin", "pages/uploads.py"), "people.csv",
                     (HEADER + "q@x.io,Qi,Wu,Acme,CTO,,,,ai,HIRE,,,,,,,false\n").encode())
    upload_id = claim_upload(demo, clock)
    demo.commit()
    ProgressWriter(engine, upload_id)("cleaning", 0.5, 120, 3)
    at.run()
    bar = at.get("progress")[0].proto
    assert round(bar.value) == 55 and "cleaning" in bar.text and "120 valid rows, 3 with errors" in bar.text


def test_an_admin_places_an_unresolved_location_from_the_uploads_page(demo, clock):
    import_dataset(demo, kind="alumni", data=b"email,name,location\nz@x.io,Zed,Atlantis Station\n",
                   filename="a.csv", event_slug=None, actor_id=None, clock=clock, max_mb=5)
    demo.commit()
    at = page_app("admin", "pages/uploads.py")
    next(t for t in at.text_input if t.label == "Place it at").input("Lisbon, Portugal")
    next(b for b in at.button if b.label == "Apply to every row with this location").click().run()
    assert any("Placed 1 rows" in s.value for s in at.success)
    assert demo.scalar(select(Alumnus.lat).where(Alumnus.email == "z@x.io")) is not None


def test_saving_the_profile_keeps_the_public_profiles_and_an_unknown_experience(demo):
    person = demo.scalar(select(Person).join(Account, Account.person_id == Person.id)
                         .where(Account.username == "attendee"))
    person.linkedin_url, person.github_username, person.twitter_handle = "https://linkedin.com/in/x", "xgit", "xtw"
    person.years_experience = None
    demo.commit()
    at = page_app("attendee", "pages/profile.py")
    next(t for t in at.text_input if t.label == "Company").input("Renamed Co")
    next(b for b in at.button if b.label == "Save profile").click().run()
    demo.expire_all()
    saved = demo.get(Person, person.id)
    assert saved.company == "Renamed Co"
    assert (saved.linkedin_url, saved.github_username, saved.twitter_handle) == (
        "https://linkedin.com/in/x", "xgit", "xtw")
    assert saved.years_experience is None
