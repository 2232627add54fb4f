"""Looking up the connection requests made from a recommendation is served by an index (refresh and analytics)."""
from sqlalchemy import text


def test_requests_made_from_a_recommendation_are_found_through_an_index(db):
    db.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(db.scalars(text(
        "EXPLAIN SELECT 1 FROM connection_requests WHERE recommendation_id = 42")))
    assert "ix_connection_requests_recommendation" in plan
