"""The learning loop: per-variant performance with confidence intervals, the feedback analyzer (seed 000
§10.4) and the variant optimizer report (§10.6)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Integer, case, func, select
from sqlalchemy.orm import Session

from core.ai.experiment_stats import Interval, mean_interval, relative_lift, two_proportion_z_test, wilson_interval
from core.platform.clock import Clock
from core.platform.job_context import JobContext
from db.models import (
    ConnectionFeedback,
    FeedbackReport,
    LLMCall,
    PromptVariant,
    Recommendation,
    RecommendationFeedback,
    RecommendationKind,
)

RATES = ("viewed", "pinged", "connected", "skipped")
SCORE_BANDS = [("90-100", 90), ("80-89", 80), ("70-79", 70), ("60-69", 60), ("below 60", float("-inf"))]
MIN_SAMPLE = 30  # below this a variant's rates are too noisy to call a winner


@dataclass
class Rate:
    successes: int
    trials: int
    interval: Interval

    @property
    def value(self) -> float:
        return self.successes / self.trials if self.trials else 0.0


@dataclass
class VariantPerformance:
    variant_id: int | None  # None: the algorithmic matcher
    label: str
    status: str
    weight: float
    n: int
    rates: dict[str, Rate]
    mean_rating: float | None
    rating_interval: Interval | None
    ratings: int
    cost_per_recommendation: float | None
    connect_lift: float | None = None  # relative to control
    connect_p_value: float | None = None


def variant_performance(session: Session) -> list[VariantPerformance]:
    """Every variant that produced people recommendations (plus the algorithmic path), control first."""
    flags = {
        "viewed": Recommendation.viewed_at.is_not(None), "pinged": Recommendation.pinged_at.is_not(None),
        "connected": Recommendation.connected_at.is_not(None), "skipped": Recommendation.dismissed_at.is_not(None)}
    counts = session.execute(
        select(Recommendation.prompt_variant_id, func.count(),
               *(func.sum(case((condition, 1), else_=0)).cast(Integer) for condition in flags.values()))
        .where(Recommendation.kind == RecommendationKind.PERSON)
        .group_by(Recommendation.prompt_variant_id)).all()
    ratings: dict[int | None, list[float]] = {}
    for variant_id, rating in session.execute(
            select(Recommendation.prompt_variant_id, RecommendationFeedback.rating)
            .join(Recommendation, Recommendation.id == RecommendationFeedback.recommendation_id)
            .where(RecommendationFeedback.rating.is_not(None))):
        ratings.setdefault(variant_id, []).append(float(rating))
    costs = dict(session.execute(select(LLMCall.prompt_variant_id, func.sum(LLMCall.cost_usd))
                                 .group_by(LLMCall.prompt_variant_id)).all())
    variants = {v.id: v for v in session.scalars(select(PromptVariant))}
    rows = []
    for variant_id, n, *successes in counts:
        variant = variants.get(variant_id)
        mean = mean_interval(ratings.get(variant_id, []))
        rows.append(VariantPerformance(
            variant_id, f"{variant.name} v{variant.version}" if variant else "algorithmic (no LLM)",
            variant.status if variant else "-", variant.weight if variant else 0.0, n,
            {name: Rate(s, n, wilson_interval(s, n)) for name, s in zip(flags, successes, strict=False)},
            mean[0] if mean else None, mean[1] if mean else None, len(ratings.get(variant_id, [])),
            costs.get(variant_id, 0.0) / n if variant else None))
    control = _control(rows, variants)
    for row in rows:
        if control is not None and row is not control:
            test = two_proportion_z_test(row.rates["connected"].successes, row.n,
                                         control.rates["connected"].successes, control.n)
            row.connect_lift = relative_lift(row.rates["connected"].value, control.rates["connected"].value)
            row.connect_p_value = test.p_value
    return sorted(rows, key=lambda r: (r is not control, r.variant_id is None, r.label))


def _control(rows: list[VariantPerformance], variants: dict[int, PromptVariant]) -> VariantPerformance | None:
    """The newest 'control' version with data, else the algorithmic path."""
    controls = [r for r in rows if r.variant_id in variants and variants[r.variant_id].name == "control"]
    if controls:
        return max(controls, key=lambda r: variants[r.variant_id].version)
    return next((r for r in rows if r.variant_id is None), None)


def optimizer_report(performance: list[VariantPerformance]) -> dict:
    """Which variant wins on connection rate against control, by how much, and whether that is significant."""
    if not performance:
        return {"verdict": "No recommendations yet: nothing to compare.", "winner": None, "rows": []}
    control = performance[0]
    challengers = [r for r in performance[1:] if r.variant_id is not None and r.connect_lift is not None]
    best = max(challengers, key=lambda r: r.rates["connected"].value, default=None)
    rows = [{"variant": r.label, "n": r.n, "connect_rate": round(r.rates["connected"].value, 4),
             "lift": r.connect_lift, "p_value": r.connect_p_value} for r in performance]
    if best is None:
        verdict = f"Only {control.label} has data; give other variants traffic to compare."
        winner = None
    elif min(best.n, control.n) < MIN_SAMPLE:
        verdict = (f"Too early: {best.label} and {control.label} need at least {MIN_SAMPLE} recommendations each "
                   f"(they have {best.n} and {control.n}).")
        winner = None
    elif best.connect_p_value is not None and best.connect_p_value < 0.05 and (best.connect_lift or 0) > 0:
        verdict = (f"{best.label} beats {control.label}: connection rate {best.rates['connected'].value:.1%} vs "
                   f"{control.rates['connected'].value:.1%} "
                   f"({best.connect_lift:+.0%}, p = {best.connect_p_value:.3f}). "
                   "Consider promoting it.")
        winner = best.label
    else:
        verdict = (f"No significant winner: the best challenger, {best.label}, is at "
                   f"{(best.connect_lift or 0):+.0%} against {control.label} (p = {best.connect_p_value:.2f}). "
                   "Keep collecting data.")
        winner = None
    return {"verdict": verdict, "winner": winner, "control": control.label, "rows": rows}


def _band(score: float) -> str:
    return next(name for name, floor in SCORE_BANDS if score >= floor)


def _factors(chips: list[str]) -> list[str]:
    """A recommendation's factors: its chips without the topic ('Offers Kubernetes' -> 'Offers')."""
    kinds = []
    for chip in chips:
        for prefix in ("Offers", "Needs", "Both into"):
            if chip.startswith(prefix + " "):
                kinds.append(prefix)
                break
        else:
            kinds.append(chip)  # a goal chip such as "Get Hired"
    return kinds


def analyze_feedback(session: Session, event_id: int | None = None) -> dict:
    """Seed 000 §10.4: performance by score band, success-factor lift, failure patterns and suggestions."""
    query = (select(Recommendation).where(Recommendation.kind == RecommendationKind.PERSON))
    if event_id is not None:
        query = query.where(Recommendation.event_id == event_id)
    recommendations = session.scalars(query).all()
    ratings = {rec_id: rating for rec_id, rating in session.execute(
        select(RecommendationFeedback.recommendation_id, RecommendationFeedback.rating)
        .where(RecommendationFeedback.rating.is_not(None)).order_by(RecommendationFeedback.id))}
    skip_reasons = Counter(r for (r,) in session.execute(select(RecommendationFeedback.skip_reason)
                                                         .where(RecommendationFeedback.skip_reason.is_not(None))))
    negative = Counter(f for (factors,) in session.execute(select(ConnectionFeedback.negative_factors))
                       for f in factors)
    bands: dict[str, list[Recommendation]] = {name: [] for name, _ in SCORE_BANDS}
    for rec in recommendations:
        bands[_band(rec.score)].append(rec)
    band_rows = {}
    for name, recs in bands.items():
        rated = [ratings[r.id] for r in recs if r.id in ratings]
        band_rows[name] = {"count": len(recs),
                           "connection_rate": sum(1 for r in recs if r.connected_at) / len(recs) if recs else 0.0,
                           "avg_rating": sum(rated) / len(rated) if rated else None}
    successful = [r for r in recommendations if ratings.get(r.id, 0) >= 4 or r.connected_at]
    unsuccessful = [r for r in recommendations if (r.id in ratings and ratings[r.id] <= 2) or r.dismissed_at]
    in_success = Counter(f for r in successful for f in set(_factors(r.chips)))
    in_failure = Counter(f for r in unsuccessful for f in set(_factors(r.chips)))
    factors = []
    for factor in set(in_success) | set(in_failure):
        success_rate = in_success[factor] / len(successful) if successful else 0.0
        failure_rate = in_failure[factor] / len(unsuccessful) if unsuccessful else 0.0
        factors.append({"factor": factor, "success_rate": success_rate, "failure_rate": failure_rate,
                        "lift": success_rate / failure_rate if failure_rate else None})
    factors.sort(key=lambda f: (f["lift"] is not None, f["lift"] or 0, f["success_rate"]), reverse=True)
    patterns = [{"pattern": p, "count": c} for p, c in (skip_reasons + negative).most_common(10)]
    analysis = {"total_recommendations": len(recommendations),
                "acted_upon": sum(1 for r in recommendations if r.pinged_at or r.connected_at or r.dismissed_at),
                "connected": sum(1 for r in recommendations if r.connected_at),
                "avg_rating": sum(ratings.values()) / len(ratings) if ratings else None,
                "score_bands": band_rows, "success_factors": factors[:10], "failure_patterns": patterns}
    analysis["suggestions"] = improvement_suggestions(analysis)
    return analysis


def improvement_suggestions(analysis: dict) -> list[str]:
    """Seed 000 §10.4's rules turned into plain advice for whoever edits the prompts."""
    suggestions = []
    top_band = analysis["score_bands"].get("90-100", {})
    if top_band.get("count") and top_band.get("connection_rate", 0) < 0.3:
        suggestions.append("High-scored recommendations (90-100) rarely turn into connections. Consider "
                           "recalibrating the score or adding more factors.")
    strong = [f["factor"] for f in analysis["success_factors"][:3] if f["lift"] is None or f["lift"] > 1]
    if strong:
        suggestions.append(f"Emphasize these factors in the prompt: {', '.join(strong)}. They go with successful "
                           "connections.")
    if analysis["failure_patterns"]:
        suggestions.append("Avoid these patterns: " + ", ".join(p["pattern"] for p in analysis["failure_patterns"][:3])
                           + ". They come with poor feedback.")
    return suggestions


def run_learning_loop(session: Session, clock: Clock) -> dict[str, int]:
    """Compute and store the feedback analysis and the optimizer report."""
    now = clock.now()
    performance = variant_performance(session)
    session.add(FeedbackReport(kind="analysis", body=analyze_feedback(session), created_at=now))
    session.add(FeedbackReport(kind="optimizer", body=optimizer_report(performance), created_at=now))
    session.flush()
    return {"variants": len(performance), "reports": 2}


def learning_loop_job(ctx: JobContext) -> dict[str, int]:
    """Job body: the daily feedback analysis and optimizer report."""
    return run_learning_loop(ctx.session, ctx.clock)


def latest_report(session: Session, kind: str) -> FeedbackReport | None:
    return session.scalar(select(FeedbackReport).where(FeedbackReport.kind == kind)
                          .order_by(FeedbackReport.created_at.desc(), FeedbackReport.id.desc()).limit(1))


def performance_rows(performance: list[VariantPerformance]) -> list[dict]:
    """The performance table as plain rows for display and export."""
    rows = []
    for p in performance:
        row = {"variant": p.label, "status": p.status, "weight %": p.weight, "n": p.n}
        for name in RATES:
            rate = p.rates[name]
            row[f"{name} %"] = round(100 * rate.value, 1)
            row[f"{name} 95% CI"] = f"{100 * rate.interval.low:.1f}–{100 * rate.interval.high:.1f}"
        row["mean rating"] = round(p.mean_rating, 2) if p.mean_rating is not None else None
        row["ratings"] = p.ratings
        row["cost / rec $"] = round(p.cost_per_recommendation, 5) if p.cost_per_recommendation is not None else None
        row["connect lift vs control"] = f"{p.connect_lift:+.0%}" if p.connect_lift is not None else ""
        row["p (two-proportion z)"] = round(p.connect_p_value, 4) if p.connect_p_value is not None else None
        rows.append(row)
    return rows
