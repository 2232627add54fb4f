"""COPY text and JSON text of bulk rows, formatted fast but exactly as the slow way would."""
import json
from datetime import UTC, datetime
from enum import StrEnum

import pytest

from db.bulk import copy_text, json_text


class Colour(StrEnum):
    RED = "red"


@pytest.mark.parametrize("value", [
    [], ["Ana brings Kubernetes."], ['a "quoted" word', "tab\there", "line\nbreak", "back\\slash", "é — ü", "😀"],
    [Colour.RED], ["mixed", 1], [None], {"a": [1, "b"]}, "plain", 3.5, None,
])
def test_json_text_is_what_json_dumps_gives(value):
    assert json_text(value) == json.dumps(value)


def test_a_value_shared_with_the_row_above_is_written_again_in_every_row():
    at = datetime(2026, 12, 1, 12, tzinfo=UTC)
    rows = [[7, "person", at, 1.5, None], [7, "person", at, 2.5, None], [8, "person", at, 2.5, "x"]]
    assert copy_text(rows).decode().splitlines() == [
        "7\tperson\t2026-12-01T12:00:00+00:00\t1.5\t\\N", "7\tperson\t2026-12-01T12:00:00+00:00\t2.5\t\\N",
        "8\tperson\t2026-12-01T12:00:00+00:00\t2.5\tx"]
