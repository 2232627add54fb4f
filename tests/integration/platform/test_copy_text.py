"""copy_text + copy_data store every value exactly as a row COPYed by the driver would."""
import math
from datetime import UTC, datetime

from sqlalchemy import text

from db.bulk import copy_data, copy_text


def test_copy_text_round_trips_awkward_values(db):
    db.execute(text("CREATE TEMP TABLE awkward (t text, i bigint, f double precision, b boolean, "
                    "at timestamptz, j jsonb)"))
    moment = datetime(2026, 5, 4, 3, 2, 1, 123456, tzinfo=UTC)
    rows = [("tab\there, newline\nthere, return\rand a back\\slash \\N", -7, 0.1, True, moment,
             '{"quote": "say \\"hi\\"\\n"}'),
            (None, None, None, None, None, None),
            ("", 2**40, float("nan"), False, moment, "[]"),
            ("ünïcødé ✓", 0, float("-inf"), None, None, '["a\\\\b"]')]
    copy_data(db, "awkward", ("t", "i", "f", "b", "at", "j"), copy_text(rows))
    stored = db.execute(text("SELECT t, i, f, b, at, j FROM awkward")).all()
    assert [r[:2] for r in stored] == [r[:2] for r in rows]
    assert stored[0][2] == 0.1 and math.isnan(stored[2][2]) and stored[3][2] == -math.inf
    assert [r[3] for r in stored] == [True, None, False, None]
    assert stored[0][4] == moment and stored[1][4] is None
    assert [r[5] for r in stored] == [{"quote": 'say "hi"\n'}, None, [], ["a\\b"]]
