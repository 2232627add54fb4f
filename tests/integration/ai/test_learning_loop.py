"""Feedback, per-variant performance, the feedback analyzer and the optimizer report on a real Postgres."""
import pytest
from sqlalchemy import select

from core.ai.experiment_stats import two_proportion_z_test
from core.ai.experiments import analyze_feedback, optimizer_report, run_learning_loop, variant_performance
from core.ai.prompts import active_variants, ensure_seed_variants
from core.networking.feedback import FeedbackError, record_connection_feedback, record_recommendation_feedback
from db.models import Connection, ConnectionFeedback, Event, FeedbackReport, Person, Recommendation


@pytest.fixture
def world(db, clock):
    """40 viewers; control recommendations connect 12 of 40 times, goal_focused 20 of 40 times."""
    ensure_seed_variants(db)
    variants = {v.name: v for v in active_variants(db)}
    event = Event(slug="expo", name="Expo")
    people = [Person(email=f"p{i}@x.io", first_name="P", last_name=str(i), company="C", role="R",
                     interests=["x"], goals=["LEARN"]) for i in range(42)]
    db.add(event)
    db.add_all(people)
    db.flush()
    for i, viewer in enumerate(people[:40]):
        for variant, connected in (("control", i < 12), ("goal_focused", i < 20)):
            target = people[40] if variant == "control" else people[41]
            db.add(Recommendation(event_id=event.id, user_id=viewer.id, kind="person", target_person_id=target.id,
                                  rank=1, score=95 if connected else 65, chips=["Offers Rust"] if connected else [],
                                  strategy="llm", prompt_variant_id=variants[variant].id, generated_at=clock.now(),
                                  expires_at=clock.now(), connected_at=clock.now() if connected else None))
    db.commit()
    return variants, people


def test_the_connection_rates_and_test_against_control_match_the_hand_computation(db, world):
    rows = {r.label: r for r in variant_performance(db)}
    control, goal = rows["control v1"], rows["goal_focused v1"]
    assert (control.n, control.rates["connected"].successes) == (40, 12)
    assert goal.rates["connected"].value == 0.5
    assert goal.connect_lift == pytest.approx((0.5 - 0.3) / 0.3)
    assert goal.connect_p_value == pytest.approx(two_proportion_z_test(20, 40, 12, 40).p_value)


def test_the_optimizer_names_a_winner_only_when_the_difference_is_significant(db, world):
    report = optimizer_report(variant_performance(db))
    assert report["winner"] is None and "No significant winner" in report["verdict"]  # p ≈ 0.07 at n = 40


def test_the_analyzer_groups_recommendations_by_score_band(db, world):
    analysis = analyze_feedback(db)
    assert analysis["score_bands"]["90-100"] == {"count": 32, "connection_rate": 1.0, "avg_rating": None}
    assert analysis["score_bands"]["60-69"]["count"] == 48
    assert analysis["success_factors"][0]["factor"] == "Offers"


def test_the_learning_loop_stores_an_analysis_and_an_optimizer_report(db, world, clock):
    run_learning_loop(db, clock)
    assert sorted(db.scalars(select(FeedbackReport.kind))) == ["analysis", "optimizer"]


def test_a_rating_outside_one_to_five_is_refused(db, world, clock):
    rec = db.scalar(select(Recommendation).limit(1))
    with pytest.raises(FeedbackError, match="1 to 5"):
        record_recommendation_feedback(db, recommendation_id=rec.id, person_id=rec.user_id, rating=6, clock=clock)


def test_feedback_on_someone_elses_recommendation_is_refused(db, world, clock):
    rec = db.scalar(select(Recommendation).limit(1))
    with pytest.raises(FeedbackError, match="not one of yours"):
        record_recommendation_feedback(db, recommendation_id=rec.id, person_id=rec.user_id + 1, rating=4,
                                       clock=clock)


def test_ratings_feed_the_mean_rating_of_their_variant(db, world, clock):
    variants, _ = world
    for rec in db.scalars(select(Recommendation).where(
            Recommendation.prompt_variant_id == variants["control"].id).limit(2)).all():
        record_recommendation_feedback(db, recommendation_id=rec.id, person_id=rec.user_id, rating=4, clock=clock)
    control = next(r for r in variant_performance(db) if r.label == "control v1")
    assert control.ratings == 2 and control.mean_rating == 4.0


def test_connection_feedback_is_stored_once_per_person_and_can_be_revised(db, world, clock):
    _, people = world
    connection = Connection(person_a_id=people[0].id, person_b_id=people[1].id)
    db.add(connection)
    db.commit()
    for rating in (3, 5):
        record_connection_feedback(db, connection_id=connection.id, person_id=people[0].id, rating=rating,
                                   valuable=True, will_follow_up=True, positive_factors=["Shared goals"],
                                   negative_factors=[], comment="Great chat", clock=clock)
    analysis = analyze_feedback(db)
    assert analysis["failure_patterns"] == []
    assert db.scalars(select(ConnectionFeedback.rating)).all() == [5]
