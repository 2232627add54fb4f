"""The staff Prompt Lab: versions, preview, dry run, promotion; refused for everyone else."""
from sqlalchemy import select

from db.models import AuditLog, PromptVariant
from tests.conftest import ROOT
from tests.ui.conftest import logged_in_app, page_app

NEW_TEMPLATE = "Rank the top {k} for this attendee.\n\n{attendee}\n\nCandidates:\n\n{candidates}\n"


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_a_non_staff_user_is_refused(demo):
    at = logged_in_app("attendee", str(ROOT / "pages/prompt_variants.py")).run()
    assert at.error and "do not have access" in at.error[0].value
    assert not at.tabs and not at.text_area


def test_staff_create_preview_dry_run_and_promote_a_variant(demo, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    at = page_app("staff", "pages/prompt_variants.py")
    assert not at.exception

    new_form = [t for t in at.text_input if t.label == "Name"][0]
    new_form.input("short_intro")
    at.text_area(key="new_template").input(NEW_TEMPLATE)
    button(at, "Create draft").click()
    at.run()
    assert any("Created short_intro v1" in s.value for s in at.success)
    created = demo.scalar(select(PromptVariant).where(PromptVariant.name == "short_intro"))
    assert created.status == "draft" and created.version == 1

    at.selectbox(key="lab_preview_variant").select(next(
        o for o in at.selectbox(key="lab_preview_variant").options if o.startswith("short_intro")))
    at.run()
    button(at, "Preview the prompt").click()
    at.run()
    prompt = next(c.value for c in at.code if "Candidates:" in c.value)
    assert "- ID: ME" in prompt and "@" not in prompt

    button(at, "Dry-run against control").click()
    at.run()
    assert any("Algorithmic path" in i.value for i in at.info)
    assert at.dataframe[-1].value.shape[0] == 5

    weights = {"control": 50.0, "goal_focused": 25.0, "conversation_optimized": 0.0, "short_intro": 25.0}
    for variant in demo.scalars(select(PromptVariant)):
        at.number_input(key=f"weight-{variant.id}").set_value(weights[variant.name])
        if variant.name == "short_intro":
            at.selectbox(key=f"status-{variant.id}").select("active")
        if variant.name == "conversation_optimized":
            at.selectbox(key=f"status-{variant.id}").select("retired")
    at.run()
    at.checkbox[0].check()
    at.run()
    button(at, "Apply traffic changes").click()
    at.run()
    assert any("Traffic updated" in s.value for s in at.success)
    demo.expire_all()
    assert demo.get(PromptVariant, created.id).status == "active"
    assert demo.scalar(select(AuditLog).where(AuditLog.action == "prompt_variant.traffic")) is not None
