"""The enrichment run (seed 000 §2, §5.1, §8): who is due, the rate-limited source calls, extraction and merge, the
stored result with its tier, retries, audit and completion prompt; the manual request and the page's read model."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from core.ai.call_log import save_calls
from core.ai.llm import LLMClient
from core.enrichment.cache import cached, forget_person, remember
from core.enrichment.extract import extract_platforms
from core.enrichment.facts import (
    FACT_LABELS,
    PLATFORM_LABELS,
    TIER_LABELS,
    CompletionPrompt,
    MergedProfile,
    Platform,
    completion_prompt,
    tier_for,
)
from core.enrichment.limits import block_source, breaker_for, next_token_at, take_tokens
from core.enrichment.merge import merge_extraction
from core.enrichment.records import GitHubProfile, SearchResult
from core.enrichment.sources import (
    SEARCH_DOMAINS,
    GitHubClient,
    SearchClient,
    SourceError,
    SourceRateLimited,
    github_username_from_url,
    search_query,
    valid_github_username,
)
from core.events.events import without_event_since
from core.events.visibility import is_live, live
from core.networking.notifications import NotificationKind, notify
from core.platform.audit import AuditAction, record_audit
from core.platform.clock import Clock
from core.platform.job_context import JobContext
from core.platform.queue import request_job
from core.platform.settings import Settings, get_settings
from db.filters import in_values
from db.models import EnrichmentSource, EnrichmentStatus, EnrichmentTier, Person, Registration

ENRICH_JOB = "enrich-profiles"
NOT_FOUND = "No public profiles were found for this name and company."
OFF_MESSAGE = "Enrichment is off: set SEARCH_API_URL and SEARCH_API_KEY (or GITHUB_TOKEN)."
NO_CONSENT = "Turn on enrichment from public profiles on Privacy first."
HTTP_THREADS = 16
EXTRACT_THREADS = 8
# A person stays PROCESSING this long at most: a worker that died mid-run leaves them due again afterwards.
PROCESSING_LEASE = timedelta(hours=1)
FRESH_FOR = timedelta(hours=24)
ERROR_LIMIT = 500
PROFILE_LINK = "my-profile"
ANONYMOUS_GITHUB_LOOKUPS = 30

STATUS_LABELS = {EnrichmentStatus.PENDING: "Waiting", EnrichmentStatus.PROCESSING: "In progress",
                 EnrichmentStatus.COMPLETED: "Done", EnrichmentStatus.FAILED: "Failed",
                 EnrichmentStatus.OPTED_OUT: "Off"}


class EnrichmentError(Exception):
    """A request that cannot be served (enrichment off, no consent); the message says what to do."""


@dataclass
class EnrichmentReport:
    """What one run did: people completed, failed and deferred, source calls made and cache hits."""

    completed: int = 0
    failed: int = 0
    deferred: int = 0
    search_calls: int = 0
    github_calls: int = 0
    cache_hits: int = 0
    requeued: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass
class _Work:
    """One person's run in progress; built and read in the main thread only."""

    person: Person
    name: str
    query: str
    results: list[SearchResult] = field(default_factory=list)
    github: GitHubProfile | None = None
    accessed: list[str] = field(default_factory=list)  # sources asked (cache or call)
    answered: list[str] = field(default_factory=list)  # sources that gave an answer
    errors: dict[str, str] = field(default_factory=dict)
    deferred_until: datetime | None = None
    merged: MergedProfile | None = None


INPUT_FIELDS = ("first_name", "last_name", "company", "role", "github_username", "linkedin_url", "twitter_handle")


def input_hash(person) -> str:
    """sha256 of what a search is built from: name, company, role and the handles (a change requeues, §5.1)."""
    parts = [getattr(person, name) for name in INPUT_FIELDS]
    return hashlib.sha256("\x1f".join((p or "").strip().lower() for p in parts).encode()).hexdigest()


def _scope(query, *, event_id: int | None, person_id: int | None):
    query = query.where(Person.allow_enrichment.is_(True), live(Person))
    if event_id is not None:
        query = query.where(Person.id.in_(select(Registration.person_id).where(Registration.event_id == event_id)))
    if person_id is not None:
        query = query.where(Person.id == person_id)
    return query


def requeue_changed(session: Session, *, now: datetime, event_id: int | None = None,
                    person_id: int | None = None) -> int:
    """Queue again the enriched (or failed) people whose name, company, role or handles changed since; how many."""
    columns = [Person.id, Person.enrichment_input_hash, *(getattr(Person, name) for name in INPUT_FIELDS)]
    rows = session.execute(_scope(select(*columns), event_id=event_id, person_id=person_id).where(
        Person.enrichment_status.in_([EnrichmentStatus.COMPLETED, EnrichmentStatus.FAILED]),
        Person.enrichment_input_hash.is_not(None))).all()
    changed = [row.id for row in rows if row.enrichment_input_hash != input_hash(row)]
    if changed:
        session.execute(update(Person).where(in_values(Person.id, changed)).values(
            enrichment_status=EnrichmentStatus.PENDING, enrichment_due_at=now, enrichment_attempts=0,
            enrichment_last_error=None).execution_options(synchronize_session="fetch"))
        session.flush()
    return len(changed)


def due_people(session: Session, *, now: datetime, settings: Settings, event_id: int | None = None,
               person_id: int | None = None, limit: int | None = None) -> list[Person]:
    """Opted-in live people due for a run, locked (others' locked rows skipped), the longest waiting first."""
    due = or_(
        and_(Person.enrichment_status == EnrichmentStatus.PENDING,
             or_(Person.enrichment_due_at.is_(None), Person.enrichment_due_at <= now)),
        and_(Person.enrichment_status == EnrichmentStatus.FAILED,
             Person.enrichment_attempts < settings.enrichment_max_attempts, Person.enrichment_due_at <= now),
        # a run that died mid-way: its lease is over
        and_(Person.enrichment_status == EnrichmentStatus.PROCESSING, Person.enrichment_due_at <= now))
    query = _scope(select(Person), event_id=event_id, person_id=person_id)
    if not (settings.search_api_url and settings.search_api_key):  # GitHub alone finds only usernames people gave
        query = query.where(func.coalesce(Person.github_username, "") != "")
    # someone whose events ended longer ago than enrichment data is kept for is not looked up again
    query = (query.where(due, ~without_event_since(now, settings.enrichment_retention_days))
             .order_by(Person.enrichment_due_at.asc().nulls_first(), Person.id)
             .with_for_update(skip_locked=True))
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def _in_parallel(function: Callable, items: list, threads: int) -> list[tuple[object, Exception | None]]:
    """(result, None) or (None, error) per item, in order; the function must not touch the database."""
    def guarded(item):
        try:
            return function(item), None
        except Exception as exc:  # noqa: BLE001 - each item's failure is its own
            return None, exc

    if not items:
        return []
    with ThreadPoolExecutor(max_workers=min(threads, len(items))) as pool:
        return list(pool.map(guarded, items))


class _Deferrals:
    """Spreads deferred people over time: the k-th waits k token intervals after the bucket's next token."""

    def __init__(self):
        self.counts: dict[EnrichmentSource, int] = {}

    def defer(self, session: Session, works: list[_Work], source: EnrichmentSource, *, now: datetime,
              per_hour: int, not_before: datetime | None = None) -> None:
        if not works:
            return
        start = max(next_token_at(session, source, now=now, per_hour=per_hour), not_before or now)
        for work in works:
            k = self.counts.get(source, 0)
            self.counts[source] = k + 1
            work.deferred_until = start + timedelta(seconds=k * 3600.0 / per_hour)


def _still_wanted(session: Session, works: list, person_of: Callable = lambda w: w.person) -> list:
    """The works whose person still consents, is live and is still this run's (PROCESSING), locked again.

    A checkpoint released the rows during the calls: a consent withdrawal or deletion request made meanwhile
    wins, and nothing of this run is written for that person."""
    ids = {person_of(w).id for w in works}
    if not ids:
        return []
    kept = {p.id for p in session.scalars(
        select(Person).where(Person.id.in_(ids), Person.allow_enrichment.is_(True), live(Person),
                             Person.enrichment_status == EnrichmentStatus.PROCESSING)
        .with_for_update().execution_options(populate_existing=True))}
    return [w for w in works if person_of(w).id in kept]


def github_lookups_per_hour(settings: Settings) -> int:
    """The GitHub bucket's hourly size: the setting, but without a token at most what GitHub's anonymous limit
    (60 requests an hour) allows, at two requests (user, repositories) per lookup."""
    if settings.github_token is not None:
        return settings.enrichment_github_per_hour
    return min(settings.enrichment_github_per_hour, ANONYMOUS_GITHUB_LOOKUPS)


def _record(kind, data: dict):
    """A record from a cached answer, ignoring fields an older version stored that the record no longer has."""
    return kind(**{f.name: data[f.name] for f in fields(kind) if f.name in data})


def _search_key(query: str) -> str:
    return f"{query} | {','.join(SEARCH_DOMAINS)}"


def _search_phase(session: Session, works: list[_Work], client: SearchClient | None, *, settings: Settings,
                  clock: Clock, report: EnrichmentReport, deferrals: _Deferrals,
                  checkpoint: Callable[[], None]) -> None:
    if client is None:
        return
    now, per_hour = clock.now(), settings.enrichment_search_per_hour
    need = []
    for work in works:
        if not work.query:
            continue
        payload = cached(session, EnrichmentSource.SEARCH, _search_key(work.query), now=now)
        if payload is None:
            need.append(work)
            continue
        work.results = [_record(SearchResult, r) for r in payload.get("results", [])]
        work.accessed.append(EnrichmentSource.SEARCH)
        work.answered.append(EnrichmentSource.SEARCH)
        report.cache_hits += 1
    if not need:
        return
    breaker = breaker_for(EnrichmentSource.SEARCH, client.base_url, clock)
    if not breaker.allow():
        for work in need:
            work.accessed.append(EnrichmentSource.SEARCH)
            work.errors[EnrichmentSource.SEARCH] = "The search API kept failing; it is paused for a minute."
        return
    granted = take_tokens(session, EnrichmentSource.SEARCH, len(need), now=now, per_hour=per_hour)
    calls = need[:granted]
    deferrals.defer(session, need[granted:], EnrichmentSource.SEARCH, now=now, per_hour=per_hour)
    checkpoint()  # release the bucket's row lock before the calls
    outcomes = _in_parallel(lambda w: client.search(w.query, SEARCH_DOMAINS), calls, HTTP_THREADS)
    report.search_calls += len(calls)
    limited: list[_Work] = []
    until = None
    wanted = {id(w) for w in _still_wanted(session, calls)}
    for work, (results, error) in zip(calls, outcomes, strict=True):
        if id(work) not in wanted:
            continue
        work.accessed.append(EnrichmentSource.SEARCH)
        if error is None:
            breaker.succeeded()
            work.results = results
            work.answered.append(EnrichmentSource.SEARCH)
            remember(session, EnrichmentSource.SEARCH, _search_key(work.query),
                     {"results": [asdict(r) for r in results]}, now=now, person_id=work.person.id)
        elif isinstance(error, SourceRateLimited):
            until = max(until or now, error.until(clock.now()))
            limited.append(work)
        else:
            breaker.failed()
            work.errors[EnrichmentSource.SEARCH] = _message(error)
    if limited:
        block_source(session, EnrichmentSource.SEARCH, until, now=now, per_hour=per_hour)
        deferrals.defer(session, limited, EnrichmentSource.SEARCH, now=now, per_hour=per_hour, not_before=until)


def _message(error: Exception) -> str:
    if isinstance(error, SourceError):
        return str(error)[:200]
    return f"Unexpected error ({type(error).__name__})."


def _github_username(work: _Work) -> str | None:
    given = valid_github_username(work.person.github_username)
    if given:
        return given
    return next((u for u in (github_username_from_url(r.url) for r in work.results) if u), None)


def _github_phase(session: Session, works: list[_Work], client: GitHubClient, *, settings: Settings, clock: Clock,
                  report: EnrichmentReport, deferrals: _Deferrals, checkpoint: Callable[[], None]) -> None:
    now, per_hour = clock.now(), github_lookups_per_hour(settings)
    need: list[tuple[_Work, str]] = []
    for work in works:
        username = _github_username(work) if work.deferred_until is None else None
        if username is None:
            continue
        payload = cached(session, EnrichmentSource.GITHUB, username, now=now)
        if payload is None:
            need.append((work, username))
            continue
        profile = payload.get("profile")
        work.github = _record(GitHubProfile, profile) if profile else None
        work.accessed.append(EnrichmentSource.GITHUB)
        work.answered.append(EnrichmentSource.GITHUB)
        report.cache_hits += 1
    if not need:
        return
    breaker = breaker_for(EnrichmentSource.GITHUB, client.base_url, clock)
    if not breaker.allow():
        for work, _ in need:
            work.accessed.append(EnrichmentSource.GITHUB)
            work.errors[EnrichmentSource.GITHUB] = "GitHub kept failing; it is paused for a minute."
        return
    granted = take_tokens(session, EnrichmentSource.GITHUB, len(need), now=now, per_hour=per_hour)
    calls = need[:granted]
    # their search answer stays cached, so the retry makes no second search call
    deferrals.defer(session, [w for w, _ in need[granted:]], EnrichmentSource.GITHUB, now=now, per_hour=per_hour)
    checkpoint()
    outcomes = _in_parallel(lambda item: client.profile(item[1]), calls, HTTP_THREADS)
    report.github_calls += len(calls)
    until = None
    wanted = {id(item) for item in _still_wanted(session, calls, lambda item: item[0].person)}
    for item, (profile, error) in zip(calls, outcomes, strict=True):
        if id(item) not in wanted:
            continue
        work, username = item
        work.accessed.append(EnrichmentSource.GITHUB)
        if error is None:
            breaker.succeeded()
            work.github = profile
            work.answered.append(EnrichmentSource.GITHUB)
            remember(session, EnrichmentSource.GITHUB, username,
                     {"profile": asdict(profile) if profile else None}, now=now, person_id=work.person.id)
        elif isinstance(error, SourceRateLimited):
            # seed 000 §8.1: degrade gracefully; the person completes without GitHub, nobody calls it until then
            until = max(until or now, error.until(clock.now()))
            work.errors[EnrichmentSource.GITHUB] = f"{error} Skipped GitHub for now."
        else:
            breaker.failed()
            work.errors[EnrichmentSource.GITHUB] = _message(error)
    if until is not None:
        block_source(session, EnrichmentSource.GITHUB, until, now=now, per_hour=per_hour)


def _extract(work: _Work, llm: LLMClient | None, event_id: int | None) -> MergedProfile:
    extraction = extract_platforms(work.results, work.github, llm=llm, person_name=work.name, event_id=event_id)
    return merge_extraction(extraction)


def _extract_all(ready: list[_Work], llm: LLMClient | None, event_id: int | None) -> None:
    threads = EXTRACT_THREADS if llm is not None else 1
    outcomes = _in_parallel(lambda w: _extract(w, llm, event_id), ready, threads)
    for work, (merged, error) in zip(ready, outcomes, strict=True):
        work.merged = merged if error is None else MergedProfile(errors={"extraction": _message(error)})


def _notify_prompt(session: Session, person: Person, tier: EnrichmentTier, now: datetime) -> None:
    prompt = completion_prompt(tier, list(person.enrichment_sources or []))
    if prompt is not None:
        notify(session, person_id=person.id, kind=NotificationKind.PROFILE_INCOMPLETE, title=prompt.title,
               body=prompt.body, link=PROFILE_LINK, now=now, dedupe_key=f"enrichment-prompt:{tier.value}")


def _store(session: Session, work: _Work, *, settings: Settings, now: datetime, report: EnrichmentReport) -> None:
    person, merged = work.person, work.merged or MergedProfile()
    attempts = person.enrichment_attempts + 1
    person.enrichment_attempts, person.enrichment_input_hash = attempts, input_hash(person)
    errors = {str(k): v for k, v in {**work.errors, **merged.errors}.items()}
    found = [Platform(p).value for p in merged.sources]
    retry = False
    if found:
        person.enrichment_status, person.enrichment_tier = EnrichmentStatus.COMPLETED, tier_for(len(found))
        person.enrichment, person.enrichment_sources, person.enriched_at = merged.facts, found, now
        person.enrichment_last_error, person.enrichment_due_at = None, None
        report.completed += 1
    elif work.accessed and not work.answered:  # every source that was asked failed
        person.enrichment_status = EnrichmentStatus.FAILED
        person.enrichment_last_error = "; ".join(f"{k}: {v}" for k, v in work.errors.items())[:ERROR_LIMIT]
        if not person.enrichment_sources:
            person.enrichment_tier = EnrichmentTier.TIER_3_MANUAL
        retry = attempts < settings.enrichment_max_attempts
        person.enrichment_due_at = (now + timedelta(minutes=settings.enrichment_retry_minutes * 2 ** (attempts - 1))
                                    if retry else None)
        report.failed += 1
    else:
        person.enrichment_status, person.enrichment_tier = EnrichmentStatus.FAILED, EnrichmentTier.TIER_3_MANUAL
        person.enrichment, person.enrichment_sources, person.enriched_at = {}, [], now
        person.enrichment_last_error, person.enrichment_due_at = NOT_FOUND, None
        report.failed += 1
    record_audit(session, actor_id=None, action=AuditAction.ENRICHMENT_ACCESSED, target_type="person",
                 target_id=person.id, target_person_id=person.id, at=now,
                 details={"sources_accessed": [str(s) for s in dict.fromkeys(work.accessed)],
                          "platforms_found": found, "success": bool(found), "attempt": attempts, "errors": errors})
    if not retry and person.enrichment_tier in (EnrichmentTier.TIER_2_BASIC, EnrichmentTier.TIER_3_MANUAL):
        _notify_prompt(session, person, person.enrichment_tier, now)


def build_clients(settings: Settings) -> tuple[SearchClient | None, GitHubClient]:
    """The configured sources: the search client only with a URL and key; GitHub always (a token when set)."""
    timeout = settings.enrichment_timeout_seconds
    search = None
    if settings.search_api_url and settings.search_api_key:
        search = SearchClient(settings.search_api_url, settings.search_api_key.get_secret_value(), timeout)
    token = settings.github_token.get_secret_value() if settings.github_token else None
    return search, GitHubClient(settings.github_api_url, token, timeout)


def enrich_due(session: Session, *, clock: Clock, settings: Settings, llm: LLMClient | None,
               event_id: int | None = None, person_id: int | None = None, limit: int | None = None,
               checkpoint: Callable[[], None] = lambda: None) -> EnrichmentReport:
    """Enrich the due opted-in people (of one event, or one person): search, then GitHub, within the rate buckets
    (people without a token are deferred and spread over time), then extraction, merge and the stored result.

    `checkpoint` (the job runner's commit) releases the bucket's row lock before the HTTP calls."""
    report = EnrichmentReport()
    if not settings.enrichment_enabled:
        return report
    now = clock.now()
    report.requeued = requeue_changed(session, now=now, event_id=event_id, person_id=person_id)
    people = due_people(session, now=now, settings=settings, event_id=event_id, person_id=person_id, limit=limit)
    if not people:
        return report
    for person in people:
        person.enrichment_status, person.enrichment_due_at = EnrichmentStatus.PROCESSING, now + PROCESSING_LEASE
    session.flush()
    works = [_Work(p, p.full_name, search_query(p.first_name, p.last_name, p.company, p.role)) for p in people]
    search, github = build_clients(settings)
    deferrals = _Deferrals()
    try:
        _search_phase(session, works, search, settings=settings, clock=clock, report=report, deferrals=deferrals,
                      checkpoint=checkpoint)
        works = _still_wanted(session, works)
        _github_phase(session, works, github, settings=settings, clock=clock, report=report, deferrals=deferrals,
                      checkpoint=checkpoint)
    finally:
        github.close()
        if search is not None:
            search.close()
    works = _still_wanted(session, works)  # withdrawn or deleted during the calls: left as they are now
    ready = [w for w in works if w.deferred_until is None]
    for work in works:
        if work.deferred_until is not None:
            work.person.enrichment_status = EnrichmentStatus.PENDING
            work.person.enrichment_due_at = work.deferred_until
            report.deferred += 1
    _extract_all(ready, llm, event_id)
    save_calls(session, llm)
    now = clock.now()
    for work in ready:
        _store(session, work, settings=settings, now=now, report=report)
    session.flush()
    return report


def forget_enrichment(session: Session, person: Person) -> int:
    """Delete the cached answers about the person (their search and GitHub profile); the count."""
    return forget_person(session, person.id, [
        (EnrichmentSource.SEARCH, _search_key(search_query(person.first_name, person.last_name, person.company,
                                                           person.role))),
        (EnrichmentSource.GITHUB, valid_github_username(person.github_username) or "")])


def request_enrichment(session: Session, *, person_id: int, clock: Clock, settings: Settings,
                       actor_account_id: int | None = None) -> str:
    """The "Enrich my profile" button: queue the person's enrichment now (audited); what happens, in words."""
    if not settings.enrichment_enabled:
        raise EnrichmentError("Enrichment from public profiles is off on this server.")
    person = session.get(Person, person_id, with_for_update=True, populate_existing=True)
    if not is_live(person):
        raise EnrichmentError("That person does not exist.")
    if not person.allow_enrichment:
        raise EnrichmentError(NO_CONSENT)
    now = clock.now()
    if session.scalar(select(without_event_since(now, settings.enrichment_retention_days)
                             .self_group()).where(Person.id == person_id)):
        raise EnrichmentError("We look up public profiles only for people taking part in an event. Register for "
                              "an event first.")
    if (person.enrichment_status == EnrichmentStatus.COMPLETED and person.enrichment_input_hash == input_hash(person)
            and person.enriched_at is not None and now - person.enriched_at < FRESH_FOR):
        return "Your profile was enriched in the last 24 hours and is up to date."
    if person.enrichment_status == EnrichmentStatus.PROCESSING and (person.enrichment_due_at or now) > now:
        return "Your profile is being enriched right now."
    person.enrichment_status, person.enrichment_due_at = EnrichmentStatus.PENDING, now
    person.enrichment_attempts, person.enrichment_last_error = 0, None
    record_audit(session, actor_id=actor_account_id, action=AuditAction.ENRICHMENT_TRIGGERED, target_type="person",
                 target_id=person.id, target_person_id=person.id, at=now, details={"trigger": "manual"})
    request_job(session, job_id=ENRICH_JOB, event_id=None, person_id=person_id, reason="manual", clock=clock)
    session.flush()
    return "Queued: your profile will be enriched from public sources within a few minutes."


@dataclass(frozen=True)
class EnrichmentState:
    """What the profile and privacy pages show of a person's enrichment."""

    enabled: bool
    consented: bool
    status: EnrichmentStatus
    status_label: str
    tier: EnrichmentTier
    tier_label: str
    sources: list[str]  # platform labels
    facts: list[tuple[str, str, str]]  # (label, value text, source label)
    attempts: int
    last_error: str | None
    due_at: datetime | None
    enriched_at: datetime | None
    prompt: CompletionPrompt | None


def _value_text(value: object) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def enrichment_state(session: Session, *, person_id: int, settings: Settings) -> EnrichmentState:
    """The person's enrichment as the pages show it: status, tier, sources, facts and the completion prompt."""
    person = session.get(Person, person_id)
    if person is None:
        raise EnrichmentError("That person does not exist.")
    status = EnrichmentStatus(person.enrichment_status)
    tier = EnrichmentTier(person.enrichment_tier)
    sources = list(person.enrichment_sources or [])
    stored = person.enrichment or {}
    facts = [(label, _value_text(stored[key].get("value")), str(stored[key].get("source") or ""))
             for key, label in FACT_LABELS.items()
             if isinstance(stored.get(key), dict) and _value_text(stored[key].get("value"))]
    return EnrichmentState(
        enabled=settings.enrichment_enabled, consented=bool(person.allow_enrichment), status=status,
        status_label=STATUS_LABELS.get(status, str(status)), tier=tier, tier_label=TIER_LABELS.get(tier, str(tier)),
        sources=[PLATFORM_LABELS.get(s, s) for s in sources], facts=facts, attempts=person.enrichment_attempts or 0,
        last_error=person.enrichment_last_error, due_at=person.enrichment_due_at, enriched_at=person.enriched_at,
        prompt=completion_prompt(tier, sources) if person.allow_enrichment else None)


def enrich_profiles_job(ctx: JobContext) -> dict:
    """Job body: enrich the due opted-in people of one event (ctx.event_id), one person (ctx.person_id), or all
    (the scheduled queue pass); off without a configured source."""
    settings = ctx.settings or get_settings()
    if not settings.enrichment_enabled:
        return {"skipped": OFF_MESSAGE}
    report = enrich_due(ctx.session, clock=ctx.clock, settings=settings, llm=ctx.llm, event_id=ctx.event_id,
                        person_id=ctx.person_id, checkpoint=ctx.checkpoint)
    return report.as_dict()
