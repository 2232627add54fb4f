"""The dataset-kind registry: follow-up jobs exist, and behavioural parts are recognised."""
import pytest

from core.ingest.tabular import FileRejected
from core.jobs.registry import JOBS
from core.jobs.upload_kinds import DATASET_KINDS
from core.reengagement.behavioral import read_behavioral, validate_record


@pytest.mark.parametrize("kind", sorted(DATASET_KINDS))
def test_every_follow_up_job_of_a_kind_is_a_defined_job(kind):
    assert set(DATASET_KINDS[kind].follow_up_jobs) <= set(JOBS)


@pytest.mark.parametrize("filename, header, part", [
    ("export.csv", "id,name,date,attendees", "events"),
    ("export.csv", "message_id,user,body,status", "messages"),
    ("export.csv", "order_id,user_id,total", "orders"),
    ("export.csv", "id,e-mail,occupation", "users"),
    ("Orders 2024.csv", "id,user_id", "orders"),
])
def test_a_behavioural_file_is_recognised_by_its_name_or_its_columns(filename, header, part):
    table = read_behavioral(f"{header}\n1,2,3,4\n".encode(), filename, 10_000)
    assert table.rows[0].values["section"] == part


def test_an_unrecognisable_behavioural_file_is_rejected_with_what_to_do():
    with pytest.raises(FileRejected, match="Name it users, orders, events or messages"):
        read_behavioral(b"foo,bar\n1,2\n", "data.csv", 10_000)


def test_a_behavioural_user_without_an_email_is_invalid():
    clean, errors = validate_record({"section": "users", "id": "u1", "email": ""})
    assert clean is None and [e.column for e in errors] == ["email"]
