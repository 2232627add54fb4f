"""The LLM upgrade of stored people lists: who goes first, the daily budget, and the Messages and Batches paths."""
from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.ai.batches import BatchRequest, BatchResult, submit_batch
from core.ai.call_log import event_calls_today, save_calls
from core.ai.llm import AnthropicLLM, LLMClient, LLMError, RateLimited, parse_reply
from core.ai.prompts import assign_variants, ensure_seed_variants
from core.platform.clock import Clock
from core.recommend.rerank import SYSTEM, LLMPick, RerankPrompt, RerankReply, picks_from_reply, rerank_with_llm
from db.models import (
    Account,
    LLMBatch,
    LLMBatchStatus,
    LoginAttempt,
    ProgramSession,
    PromptVariant,
    Recommendation,
    RecommendationKind,
    Registration,
    SessionAction,
)

VIEWERS_PER_COMMIT = 20  # viewers upgraded together; their new lists are committed as each group completes
ACTIVE_DAYS = 7  # activity this recent puts a viewer ahead of those without
BATCH_FEATURE = "recommendations"
BATCH_GIVE_UP = timedelta(hours=48)  # the API expires a batch after 24 h; one we cannot read by then has failed


class ViewerLists(Protocol):
    """An event's freshly stored algorithmic lists, as the upgrade needs them (core.recommend.people.RankedEvent)."""

    event_id: int
    viewer_ids: list[int]

    def prompts(self, templates: dict[int, str], k: int) -> dict[int, RerankPrompt]: ...

    def store_llm(self, session: Session, picks: dict[int, list[LLMPick]], variant_ids: dict[int, int], *,
                  generated_at: datetime | None = None, expires_at: datetime | None = None,
                  unless_refreshed_after: datetime | None = None) -> int: ...


@dataclass
class UpgradeReport:
    ranked: int = 0  # viewers whose list is now the LLM's
    failed: int = 0  # viewers asked whose call failed (they keep the algorithmic list)
    skipped: int = 0  # viewers not asked: over the daily budget, or the client was rate limited
    batch_id: str | None = None  # the message batch submitted (nightly path)



def batch_request_key(person_id: int) -> str:
    """The custom id of one attendee's request in a nightly batch (and its key in `LLMBatch.requests`)."""
    return f"p{person_id}"

def upgrade_order(session: Session, event_id: int, person_ids: list[int], now: datetime) -> list[int]:
    """Whose list to upgrade first: people checked in, then people active in the last ACTIVE_DAYS (a login, a
    recommendation viewed or acted on, a session action), most recent first, then everyone else by id."""
    wanted = set(person_ids)
    checked_in = {p for p, at in session.execute(
        select(Registration.person_id, Registration.checked_in_at).where(Registration.event_id == event_id))
        if at is not None}
    registered = select(Registration.person_id).where(Registration.event_id == event_id)
    activity: dict[int, datetime] = {}
    queries = [
        select(Account.person_id, func.max(LoginAttempt.at))
        .join(LoginAttempt, LoginAttempt.username == Account.username)
        .where(LoginAttempt.succeeded, Account.person_id.in_(registered)).group_by(Account.person_id),
        select(Recommendation.user_id, func.max(func.greatest(
            Recommendation.viewed_at, Recommendation.pinged_at, Recommendation.connected_at,
            Recommendation.bookmarked_at)))
        .where(Recommendation.event_id == event_id).group_by(Recommendation.user_id),
        select(SessionAction.person_id, func.max(SessionAction.created_at))
        .join(ProgramSession, ProgramSession.id == SessionAction.session_id)
        .where(ProgramSession.event_id == event_id).group_by(SessionAction.person_id),
    ]
    for query in queries:
        for person_id, at in session.execute(query):
            if at is not None and (person_id not in activity or at > activity[person_id]):
                activity[person_id] = at
    recent = now - timedelta(days=ACTIVE_DAYS)

    def key(person_id: int) -> tuple[int, float, int]:
        seen = activity.get(person_id)
        tier = 0 if person_id in checked_in else 1 if seen is not None and seen >= recent else 2
        return tier, -seen.timestamp() if seen is not None and tier < 2 else 0.0, person_id

    return sorted(wanted, key=key)


def assign_variants_safely(session: Session, person_ids: list[int], clock: Clock) -> dict[int, PromptVariant]:
    """assign_variants (in id order), once the seed variants surely exist: when another refresh is creating them
    at the same moment, its rows win and are used."""
    try:
        with session.begin_nested():
            ensure_seed_variants(session)
    except IntegrityError:
        pass  # the other refresh committed them; this statement's snapshot sees them now
    return assign_variants(session, sorted(person_ids), clock)


def calls_left(session: Session, event_id: int, now: datetime, daily_calls: int | None) -> int | None:
    """How many LLM calls the event may still make today (None: no budget)."""
    if daily_calls is None:
        return None
    return max(0, daily_calls - event_calls_today(session, event_id, now))


@dataclass(frozen=True)
class RerankTask:
    viewer_id: int
    variant: PromptVariant
    prompt: RerankPrompt


def _tasks(lists: ViewerLists, variants: dict[int, PromptVariant], viewer_ids: list[int], k: int
           ) -> list[RerankTask]:
    prompts = lists.prompts({v: variants[v].template for v in viewer_ids}, k)
    return [RerankTask(v, variants[v], prompts[v]) for v in viewer_ids if v in prompts]


def rerank_now(llm: LLMClient, tasks: list[RerankTask], k: int, event_id: int, concurrency: int
               ) -> tuple[dict[int, list[LLMPick]], int, int]:
    """Re-rank each task's candidates through the Messages API, `concurrency` calls at a time: the picks by
    viewer, how many calls failed, and how many were not made because the client was rate limited."""
    limited = threading.Event()

    def ask(task: RerankTask) -> tuple[int, list[LLMPick] | None, bool]:
        if limited.is_set():
            return task.viewer_id, None, True
        variant = task.variant
        try:
            return task.viewer_id, rerank_with_llm(llm, task.prompt, k, temperature=variant.temperature,
                                                   variant_id=variant.id, model=variant.model,
                                                   event_id=event_id), False
        except RateLimited:
            limited.set()
            return task.viewer_id, None, True
        except LLMError:
            return task.viewer_id, None, False

    with ThreadPoolExecutor(max_workers=concurrency) as executor:
        results = list(executor.map(ask, tasks))
    picks = {viewer: found for viewer, found, _ in results if found}
    not_asked = sum(1 for _, _, skipped in results if skipped)
    return picks, len(results) - len(picks) - not_asked, not_asked


def upgrade_now(session: Session, lists: ViewerLists, *, llm: LLMClient, clock: Clock, k: int,
                daily_calls: int | None, checkpoint: Callable[[], None], concurrency: int,
                per_commit: int = VIEWERS_PER_COMMIT) -> UpgradeReport:
    """Upgrade the viewers' stored lists with the LLM (Messages API), highest priority first, `per_commit` viewers
    at a time, each group's lists stored and committed (`checkpoint`) as it completes; stops at the daily budget
    or when a client that must not wait is rate limited. Everyone not upgraded keeps the algorithmic list."""
    report = UpgradeReport()
    order = upgrade_order(session, lists.event_id, lists.viewer_ids, clock.now())
    left = calls_left(session, lists.event_id, clock.now(), daily_calls)
    budgeted = order if left is None else order[:left]
    variants = assign_variants_safely(session, budgeted, clock)
    session.flush()
    checkpoint()  # the assignments: no row stays locked while the LLM is asked
    done = 0
    while done < len(budgeted):
        left = calls_left(session, lists.event_id, clock.now(), daily_calls)
        group = budgeted[done:done + (per_commit if left is None else min(per_commit, left))]
        if not group:
            break  # other refreshes of this event used up the rest of today's budget
        done += len(group)
        picks, failed, not_asked = rerank_now(llm, _tasks(lists, variants, group, k), k, lists.event_id,
                                              concurrency)
        lists.store_llm(session, picks, {v: variants[v].id for v in picks})
        save_calls(session, llm)
        session.flush()
        checkpoint()
        report.ranked, report.failed = report.ranked + len(picks), report.failed + failed
        if not_asked:
            report.skipped += not_asked
            break
    report.skipped += len(order) - done
    return report


def submit_nightly_batch(session: Session, lists: ViewerLists, *, llm: AnthropicLLM, clock: Clock, k: int,
                         daily_calls: int | None) -> UpgradeReport:
    """Send every budgeted viewer's re-rank prompt as ONE message batch (half the price, nothing waits) and record
    it in llm_batches with what each request is for; `collect-llm-batches` applies the results later."""
    report = UpgradeReport()
    order = upgrade_order(session, lists.event_id, lists.viewer_ids, clock.now())
    left = calls_left(session, lists.event_id, clock.now(), daily_calls)
    budgeted = order if left is None else order[:left]
    report.skipped = len(order) - len(budgeted)
    if not budgeted:
        return report
    variants = assign_variants_safely(session, budgeted, clock)
    tasks = _tasks(lists, variants, budgeted, k)
    if not tasks:
        return report
    requests = [BatchRequest(custom_id=batch_request_key(t.viewer_id), system=SYSTEM, prompt=t.prompt.prompt,
                             temperature=t.variant.temperature, model=t.variant.model) for t in tasks]
    try:
        report.batch_id = submit_batch(llm, requests)
    except LLMError:
        report.failed = len(tasks)
        return report
    session.add(LLMBatch(
        batch_id=report.batch_id, event_id=lists.event_id, feature=BATCH_FEATURE, status=LLMBatchStatus.SUBMITTED,
        request_count=len(requests), submitted_at=clock.now(),
        requests={r.custom_id: {"person_id": t.viewer_id, "variant_id": t.variant.id, "labels": t.prompt.labels}
                  for r, t in zip(requests, tasks, strict=True)}))
    session.flush()
    return report


def pending_batches(session: Session) -> list[LLMBatch]:
    """The people re-rank batches whose results are not applied yet, oldest first."""
    return list(session.scalars(select(LLMBatch).where(LLMBatch.status == LLMBatchStatus.SUBMITTED,
                                                       LLMBatch.feature == BATCH_FEATURE).order_by(LLMBatch.id)))


def batch_picks(batch: LLMBatch, results: list[BatchResult], k: int
                ) -> tuple[dict[int, list[LLMPick]], dict[int, int]]:
    """The usable picks by viewer of an ended batch, and each viewer's variant; a request that errored, was not
    answered, or whose reply does not validate or names none of its candidates is left out."""
    picks: dict[int, list[LLMPick]] = {}
    variants: dict[int, int] = {}
    for result in results:
        meant = batch.requests.get(result.custom_id)
        if meant is None or result.error is not None or not result.text:
            continue
        prompt = RerankPrompt("", {label: int(person) for label, person in meant["labels"].items()})
        try:
            found = picks_from_reply(parse_reply(result.text, RerankReply), prompt, k)
        except (ValidationError, ValueError, LLMError):
            continue
        picks[int(meant["person_id"])] = found
        variants[int(meant["person_id"])] = int(meant["variant_id"])
    return picks, variants


def apply_batch(session: Session, batch: LLMBatch, results: list[BatchResult], lists: ViewerLists | None, *,
                k: int, expires_at: datetime, now: datetime) -> int:
    """Store the LLM lists of an ended batch's usable replies (viewers whose list was refreshed after the batch
    went out keep the newer one) and mark the batch applied; returns the lists upgraded."""
    picks, variants = batch_picks(batch, results, k)
    upgraded = 0 if lists is None else lists.store_llm(
        session, picks, variants, generated_at=batch.submitted_at, expires_at=expires_at,
        unless_refreshed_after=batch.submitted_at)
    batch.status, batch.finished_at = LLMBatchStatus.APPLIED, now
    batch.succeeded, batch.failed = len(picks), batch.request_count - len(picks)
    session.flush()
    return upgraded


def note_batch_error(batch: LLMBatch, error: LLMError, now: datetime) -> None:
    """Keep a batch we could not read for the next pass, or mark it failed once it must have expired."""
    batch.error = str(error)[:500]
    if now - batch.submitted_at > BATCH_GIVE_UP:
        batch.status, batch.finished_at = LLMBatchStatus.FAILED, now
        batch.failed = batch.request_count


def stored_since(session: Session, event_id: int, person_ids: list[int], moment: datetime) -> set[int]:
    """Which of these viewers have a people list generated after `moment`."""
    if not person_ids:
        return set()
    newer = set(session.scalars(select(Recommendation.user_id).where(
        Recommendation.event_id == event_id, Recommendation.kind == RecommendationKind.PERSON,
        Recommendation.generated_at > moment).distinct()))
    return newer & set(person_ids)
