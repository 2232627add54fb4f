"""Digital alumni ID cards (seed 003, AI system 4): eligibility, the duplicate review, issue with an encrypted QR
token, the public verification and its log, and the admin tools (verify a record, review, revoke, reissue)."""
from __future__ import annotations

import json
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlencode

from cryptography.fernet import Fernet, InvalidToken
from rapidfuzz.distance import Levenshtein
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.events.visibility import live
from core.platform.audit import record_audit
from core.platform.settings import Settings
from db.models import (
    CARD_NUMBER_SEQUENCE,
    AlumniCard,
    AlumniCardRequest,
    AlumniCardVerification,
    Alumnus,
    CardRequestStatus,
    CardStatus,
    Person,
    VerificationMethod,
)

# A fixed Fernet key for the demo only: anyone can read it here, so it is refused outside demo mode.
DEV_CARD_KEY = "Z2xvYmFsY29ubmVjdC1kZXYtYWx1bW5pLWNhcmQta2U="
VERIFY_URL_PATH = "verify-card"  # the url_path of pages/verify_card.py
MIN_COMPLETENESS = 0.8
DUPLICATE_THRESHOLD = 0.85  # name similarity above which a request waits for an admin's review
MAX_TOKEN_CHARS = 2000  # a real token is ~300 characters; anything far longer is not worth decrypting
# The alumni record's fields that make up its completeness, each counting the same (10 % each).
COMPLETENESS_FIELDS = ("name", "email", "batch_year", "department", "current_company", "current_role", "industry",
                       "location", "skills", "linkedin_url")
FIELD_LABELS = {"name": "name", "email": "email", "batch_year": "batch year", "department": "department",
                "current_company": "current company", "current_role": "current role", "industry": "industry",
                "location": "location", "skills": "skills", "linkedin_url": "LinkedIn profile"}
REQUIRED_FIELDS = ("name", "email", "batch_year", "department")


class CardsOff(RuntimeError):
    """Alumni cards cannot be issued or verified with these settings; the message says how to fix it."""


class CardCheck(StrEnum):
    """The verification checks, in the order they run."""

    DECRYPTION = "decryption"  # the token decrypts with our key, so its signature holds
    EXISTS = "exists"
    NOT_REVOKED = "not_revoked"  # an administrator did not revoke it
    ACTIVE = "active"  # not replaced by a reissue
    NOT_EXPIRED = "not_expired"


CHECK_LABELS = {CardCheck.DECRYPTION: "Signature and decryption", CardCheck.EXISTS: "Card exists",
                CardCheck.NOT_REVOKED: "Card is not revoked",
                CardCheck.ACTIVE: "Card is active (not replaced by a newer card)", CardCheck.NOT_EXPIRED: "Not expired"}
STATUS_LABELS = {CardStatus.ACTIVE: "Active", CardStatus.REVOKED: "Revoked", CardStatus.REPLACED: "Replaced"}
METHOD_LABELS = {VerificationMethod.QR_SCAN: "QR scan", VerificationMethod.MANUAL: "Pasted code",
                 VerificationMethod.API: "API"}


class RequestOutcome(StrEnum):
    """What a card request came to."""

    ISSUED = "issued"
    REVIEW = "review"
    REFUSED = "refused"
    ALREADY = "already"  # an active card exists


def card_cipher(settings: Settings) -> Fernet:
    """The Fernet cipher of card tokens from `alumni_card_key`; demo mode without a key uses the development key.
    Raises CardsOff when cards cannot work with these settings."""
    key = settings.alumni_card_key.get_secret_value().strip() if settings.alumni_card_key else ""
    if not key:
        if settings.demo_mode:
            return Fernet(DEV_CARD_KEY)
        raise CardsOff("Alumni cards are off: ALUMNI_CARD_KEY is not set. Generate a key with: python -c \"from "
                       "cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\" and put "
                       "ALUMNI_CARD_KEY=... in the environment or .env.")
    if key == DEV_CARD_KEY and not settings.demo_mode:
        raise CardsOff("Alumni cards are off: ALUMNI_CARD_KEY is the public development key, which is refused when "
                       "DEMO_MODE=false. Generate a key of your own with Fernet.generate_key().")
    try:
        return Fernet(key)
    except ValueError as error:
        raise CardsOff("Alumni cards are off: ALUMNI_CARD_KEY is not a valid Fernet key (32 bytes, url-safe "
                       "base64). Generate one with Fernet.generate_key().") from error


def verification_url(settings: Settings, token: str) -> str:
    """The public verification page's address for a token: what the card's QR code encodes."""
    return f"{settings.public_base_url.rstrip('/')}/{VERIFY_URL_PATH}?{urlencode({'token': token})}"


# --- Eligibility and duplicates --------------------------------------------------------------------------------------

def _present(value: object) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple):
        return any(str(v).strip() for v in value)
    return value is not None


def completeness(alumnus: Alumnus) -> tuple[float, list[str]]:
    """The share of COMPLETENESS_FIELDS the record fills (0-1), and the labels of the missing ones."""
    missing = [FIELD_LABELS[f] for f in COMPLETENESS_FIELDS if not _present(getattr(alumnus, f))]
    return 1 - len(missing) / len(COMPLETENESS_FIELDS), missing


@dataclass(frozen=True)
class Eligibility:
    """Whether an alumni record may get a card, with every failed rule in words."""

    completeness: float
    missing: list[str]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def eligibility(alumnus: Alumnus) -> Eligibility:
    """The card rules for one record: ≥ 80 % complete, name, email, batch year and department, verified by an admin."""
    share, missing = completeness(alumnus)
    problems = []
    absent = [FIELD_LABELS[f] for f in REQUIRED_FIELDS if not _present(getattr(alumnus, f))]
    if absent:
        problems.append(f"Your alumni record needs your {', '.join(absent)}.")
    if share < MIN_COMPLETENESS:
        problems.append(f"Your alumni record is {share:.0%} complete; a card needs {MIN_COMPLETENESS:.0%}. "
                        f"Missing: {', '.join(missing)}.")
    if alumnus.verified_at is None:
        problems.append("Your alumni record is not verified yet. Ask an administrator to verify your alumni record.")
    return Eligibility(share, missing, problems)


def normalised_name(name: str | None) -> str:
    """The name lowercased, with single spaces between its words."""
    return " ".join((name or "").lower().split())


def name_similarity(a: str | None, b: str | None) -> float:
    """1 − Levenshtein distance ÷ the longer length, on lowercased names with single spaces (1.0 for two blanks)."""
    left, right = normalised_name(a), normalised_name(b)
    longest = max(len(left), len(right))
    return 1.0 if longest == 0 else 1 - Levenshtein.distance(left, right) / longest


@dataclass(frozen=True)
class SimilarRecord:
    """Another alumnus of the batch whose name is very similar, with the similarity (0-1)."""

    alumnus_id: int
    name: str
    similarity: float


def most_similar(session: Session, alumnus: Alumnus) -> SimilarRecord | None:
    """The other alumnus of the same batch year whose name is most similar, if above DUPLICATE_THRESHOLD."""
    if alumnus.batch_year is None:
        return None
    others = session.execute(select(Alumnus.id, Alumnus.name).where(Alumnus.batch_year == alumnus.batch_year,
                                                                    Alumnus.id != alumnus.id))
    best = max((SimilarRecord(i, n, name_similarity(alumnus.name, n)) for i, n in others),
               key=lambda r: r.similarity, default=None)
    return best if best is not None and best.similarity > DUPLICATE_THRESHOLD else None


def alumnus_id_for_person(session: Session, person_id: int | None) -> int | None:
    """The alumni record with the (live) person's email, compared without case."""
    if person_id is None:
        return None
    return session.scalar(select(Alumnus.id).join(Person, func.lower(Person.email) == func.lower(Alumnus.email))
                          .where(Person.id == person_id, live(Person)).order_by(Alumnus.id).limit(1))


def _person_for_alumnus(session: Session, alumnus: Alumnus) -> int | None:
    return session.scalar(select(Person.id).where(func.lower(Person.email) == alumnus.email.lower(), live(Person))
                          .order_by(Person.id).limit(1))


# --- Issue -----------------------------------------------------------------------------------------------------------

def department_code(department: str | None) -> str:
    """The initials of the department's words, uppercase letters only, accents folded first ("Ingeniería Eléctrica"
    -> "IE"): "Computer Science" -> "CS"; "GEN" for none."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", department or "") if not unicodedata.combining(c))
    words = re.findall(r"[A-Za-z]+", folded)
    return "".join(w[0].upper() for w in words)[:6] or "GEN"


def _encrypt(cipher: Fernet, card: AlumniCard) -> str:
    payload = {"card_id": card.card_uid, "person_id": card.person_id, "name": card.name,
               "batch_year": card.batch_year, "card_number": card.card_number,
               "issued_at": card.issued_at.isoformat()}
    return cipher.encrypt(json.dumps(payload).encode()).decode()


def _issue(session: Session, *, alumnus: Alumnus, cipher: Fernet, settings: Settings, now: datetime) -> AlumniCard:
    """Insert the alumnus's new active card (the caller wraps it in a savepoint for the one-active-card rule)."""
    sequence = session.scalar(select(CARD_NUMBER_SEQUENCE.next_value()))
    card = AlumniCard(card_uid=str(uuid.uuid4()), alumnus_id=alumnus.id,
                      person_id=_person_for_alumnus(session, alumnus),
                      card_number=f"ALM-{now.year}-{department_code(alumnus.department)}-{sequence:06d}",
                      name=alumnus.name, batch_year=alumnus.batch_year, department=alumnus.department or "",
                      issued_at=now, expires_at=now + timedelta(days=settings.alumni_card_valid_days),
                      status=CardStatus.ACTIVE, token="", verification_count=0)
    card.token = _encrypt(cipher, card)
    session.add(card)
    session.flush()
    return card


@dataclass(frozen=True)
class CardRequestResult:
    """What a card request came to, with a message for the person who asked."""

    outcome: RequestOutcome
    message: str
    card_id: int | None = None
    request_id: int | None = None
    problems: list[str] = field(default_factory=list)


ALREADY = "You already have an active alumni card."


def request_card(session: Session, *, alumnus_id: int, actor_id: int | None, settings: Settings,
                 clock) -> CardRequestResult:
    """Request a card for an alumni record: refused with the failed rules, queued for review when another alumnus of
    the batch has a very similar name, else issued at once. Two requests at once issue one card."""
    try:
        cipher = card_cipher(settings)
    except CardsOff as off:
        return CardRequestResult(RequestOutcome.REFUSED, str(off))
    # Locking the record makes simultaneous requests of one alumnus run one after the other, so a possible
    # duplicate gets one review row (the unique index alone only guards the issued card).
    alumnus = session.get(Alumnus, alumnus_id, with_for_update=True)
    if alumnus is None:
        return CardRequestResult(RequestOutcome.REFUSED, "There is no such alumni record.")
    latest = session.scalar(select(AlumniCard).where(AlumniCard.alumnus_id == alumnus_id)
                            .order_by(AlumniCard.issued_at.desc(), AlumniCard.id.desc()).limit(1))
    if latest is not None and latest.status == CardStatus.ACTIVE:
        return CardRequestResult(RequestOutcome.ALREADY, ALREADY, card_id=latest.id)
    if latest is not None and latest.status == CardStatus.REVOKED:
        return CardRequestResult(RequestOutcome.REFUSED, "Your last card was revoked, so a new one needs an "
                                 "administrator: ask them to reissue it.")
    pending = session.scalar(select(AlumniCardRequest.id).where(AlumniCardRequest.alumnus_id == alumnus_id,
                                                                AlumniCardRequest.status == CardRequestStatus.REVIEW))
    if pending is not None:
        return CardRequestResult(RequestOutcome.REVIEW, REVIEW_MESSAGE, request_id=pending)
    rules = eligibility(alumnus)
    if not rules.ok:
        return CardRequestResult(RequestOutcome.REFUSED, "A card cannot be issued yet.", problems=rules.problems)
    now = clock.now()
    person_id = _person_for_alumnus(session, alumnus)
    similar = most_similar(session, alumnus)
    if similar is not None:
        request = AlumniCardRequest(alumnus_id=alumnus.id, person_id=person_id, requested_at=now,
                                    status=CardRequestStatus.REVIEW, similar_alumnus_id=similar.alumnus_id,
                                    similarity=round(similar.similarity, 4))
        session.add(request)
        session.flush()
        record_audit(session, actor_id=actor_id, action="alumni_card.review_queued", target_type="alumnus",
                     target_id=alumnus.id, target_person_id=person_id, at=now,
                     details={"similar_alumnus_id": similar.alumnus_id, "similarity": round(similar.similarity, 4)})
        return CardRequestResult(RequestOutcome.REVIEW, REVIEW_MESSAGE, request_id=request.id)
    try:
        with session.begin_nested():
            card = _issue(session, alumnus=alumnus, cipher=cipher, settings=settings, now=now)
            request = AlumniCardRequest(alumnus_id=alumnus.id, person_id=person_id, requested_at=now,
                                        status=CardRequestStatus.ISSUED, card_id=card.id)
            session.add(request)
            session.flush()
    except IntegrityError:  # a request running at the same time issued the card first
        return CardRequestResult(RequestOutcome.ALREADY, ALREADY)
    record_audit(session, actor_id=actor_id, action="alumni_card.issued", target_type="alumni_card",
                 target_id=card.id, target_person_id=person_id, at=now, details={"card_number": card.card_number})
    return CardRequestResult(RequestOutcome.ISSUED, f"Your alumni card {card.card_number} is ready.",
                             card_id=card.id, request_id=request.id)


REVIEW_MESSAGE = ("Your request is waiting for a short review by an administrator, because another alumni record of "
                  "your batch has a very similar name. Your card is issued as soon as it is approved.")


# --- Verification ----------------------------------------------------------------------------------------------------

FAILURE_WORDS = {
    CardCheck.DECRYPTION: "This code is not a genuine GlobalConnect alumni card: its signature does not check out "
                          "(it was altered, cut short or made by someone else).",
    CardCheck.EXISTS: "No such card exists.",
    CardCheck.NOT_REVOKED: "This card was revoked by an administrator.",
    CardCheck.ACTIVE: "This card was replaced by a newer card; ask the holder for their current one.",
    CardCheck.NOT_EXPIRED: "This card has expired.",
}


@dataclass(frozen=True)
class VerificationResult:
    """A verification's outcome: valid or not, the failed check in words, and the holder details a verifier needs."""

    valid: bool
    checks: dict[str, bool | None]
    failed_check: CardCheck | None = None
    reason: str = ""
    name: str | None = None
    batch_year: int | None = None
    department: str | None = None
    expires_at: datetime | None = None


def _decrypt(cipher: Fernet, token: str) -> dict | None:
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    try:
        payload = json.loads(cipher.decrypt(token.strip().encode()))
    except (InvalidToken, ValueError, UnicodeError):
        return None
    return payload if isinstance(payload, dict) and isinstance(payload.get("card_id"), str) else None


def _card_checks(checks: dict[str, bool | None], card: AlumniCard, now: datetime) -> CardCheck | None:
    """Fill the checks after "exists" in order, stopping at the first that fails; that check, or None."""
    for check, passed in ((CardCheck.NOT_REVOKED, lambda: card.status != CardStatus.REVOKED),
                          (CardCheck.ACTIVE, lambda: card.status == CardStatus.ACTIVE),
                          (CardCheck.NOT_EXPIRED, lambda: now < card.expires_at)):
        checks[check] = passed()
        if not checks[check]:
            return check
    return None


def verify_token(session: Session, *, token: str, method: VerificationMethod, cipher: Fernet,
                 clock) -> VerificationResult:
    """Run the checks in order (decryption and signature, exists, not revoked, active i.e. not replaced, not
    expired) and stop at the first failure; log the verification with
    each check's result, and count it on the card (one atomic UPDATE, so simultaneous scans all count)."""
    now = clock.now()
    checks: dict[str, bool | None] = dict.fromkeys(CardCheck, None)
    payload = _decrypt(cipher, token)
    card = None
    failed = None
    checks[CardCheck.DECRYPTION] = payload is not None
    if payload is None:
        failed = CardCheck.DECRYPTION
    else:
        card = session.scalar(select(AlumniCard).where(AlumniCard.card_uid == payload["card_id"]))
        checks[CardCheck.EXISTS] = card is not None and card.card_number == payload.get("card_number")
        if not checks[CardCheck.EXISTS]:
            failed, card = CardCheck.EXISTS, None
        else:
            failed = _card_checks(checks, card, now)
    session.add(AlumniCardVerification(card_id=card.id if card else None, method=method, valid=failed is None,
                                       checks={str(k): v for k, v in checks.items()}, verified_at=now))
    if card is not None:
        session.execute(update(AlumniCard).where(AlumniCard.id == card.id)
                        .values(verification_count=AlumniCard.verification_count + 1, last_verified_at=now)
                        .execution_options(synchronize_session=False))
    session.flush()
    if card is None:
        return VerificationResult(False, checks, failed, FAILURE_WORDS[failed])
    reason = FAILURE_WORDS[failed] if failed is not None else ""
    return VerificationResult(failed is None, checks, failed, reason, card.name, card.batch_year, card.department,
                              card.expires_at)


# --- Admin tools -----------------------------------------------------------------------------------------------------

class CardActionError(ValueError):
    """An admin action that cannot be done; the message says why."""


def verify_alumnus(session: Session, *, alumnus_id: int, actor_id: int, clock) -> None:
    """An admin confirms an alumni record (needed for a card); audit-logged."""
    alumnus = session.get(Alumnus, alumnus_id, with_for_update=True)
    if alumnus is None:
        raise CardActionError("There is no such alumni record.")
    if alumnus.verified_at is not None:
        return
    alumnus.verified_at, alumnus.verified_by = clock.now(), actor_id
    session.flush()
    record_audit(session, actor_id=actor_id, action="alumni.verified", target_type="alumnus", target_id=alumnus_id,
                 target_person_id=_person_for_alumnus(session, alumnus), at=clock.now())


def _pending(session: Session, request_id: int) -> AlumniCardRequest:
    request = session.get(AlumniCardRequest, request_id, with_for_update=True)
    if request is None or request.status != CardRequestStatus.REVIEW:
        raise CardActionError("This request was already reviewed.")
    return request


def approve_request(session: Session, *, request_id: int, actor_id: int, settings: Settings, clock) -> int:
    """Approve a queued request: the card is issued (the record must still meet the rules); its id."""
    cipher = card_cipher(settings)
    request = _pending(session, request_id)
    alumnus = session.get(Alumnus, request.alumnus_id)
    rules = eligibility(alumnus)
    if not rules.ok:
        raise CardActionError("The record no longer meets the card rules: " + " ".join(rules.problems))
    now = clock.now()
    try:
        with session.begin_nested():
            card = _issue(session, alumnus=alumnus, cipher=cipher, settings=settings, now=now)
    except IntegrityError as error:
        raise CardActionError("This alumnus already has an active card.") from error
    request.status, request.card_id, request.reviewed_by, request.reviewed_at = (CardRequestStatus.ISSUED, card.id,
                                                                                 actor_id, now)
    session.flush()
    record_audit(session, actor_id=actor_id, action="alumni_card.review_approved", target_type="alumni_card",
                 target_id=card.id, target_person_id=request.person_id, at=now,
                 details={"request_id": request_id, "card_number": card.card_number})
    return card.id


def reject_request(session: Session, *, request_id: int, actor_id: int, clock) -> None:
    """Reject a queued request (no card); audit-logged."""
    request = _pending(session, request_id)
    request.status, request.reviewed_by, request.reviewed_at = CardRequestStatus.REJECTED, actor_id, clock.now()
    session.flush()
    record_audit(session, actor_id=actor_id, action="alumni_card.review_rejected", target_type="alumni_card_request",
                 target_id=request_id, target_person_id=request.person_id, at=clock.now())


def revoke_card(session: Session, *, card_id: int, actor_id: int, reason: str, clock) -> None:
    """Revoke an active card with a reason: every later verification fails the "not revoked" check."""
    reason = " ".join((reason or "").split())[:300]
    if not reason:
        raise CardActionError("Give a reason for revoking the card.")
    card = session.get(AlumniCard, card_id, with_for_update=True)
    if card is None or card.status != CardStatus.ACTIVE:
        raise CardActionError("Only an active card can be revoked.")
    card.status, card.revoked_at, card.revoked_by, card.revoke_reason = (CardStatus.REVOKED, clock.now(), actor_id,
                                                                         reason)
    session.flush()
    record_audit(session, actor_id=actor_id, action="alumni_card.revoked", target_type="alumni_card",
                 target_id=card_id, target_person_id=card.person_id, at=clock.now(),
                 details={"card_number": card.card_number, "reason": reason})


def reissue_card(session: Session, *, card_id: int, actor_id: int, settings: Settings, clock) -> int:
    """A new card (new number, new token) for the alumnus of a card; an active old card becomes replaced, a revoked
    one stays revoked. Returns the new card's id."""
    cipher = card_cipher(settings)
    old = session.get(AlumniCard, card_id, with_for_update=True)
    if old is None or old.status == CardStatus.REPLACED:
        raise CardActionError("This card was already replaced; reissue the newest card instead.")
    now = clock.now()
    if old.status == CardStatus.ACTIVE:
        old.status = CardStatus.REPLACED
        session.flush()
    try:
        with session.begin_nested():
            card = _issue(session, alumnus=session.get(Alumnus, old.alumnus_id), cipher=cipher, settings=settings,
                          now=now)
    except IntegrityError as error:
        raise CardActionError("This alumnus already has another active card.") from error
    record_audit(session, actor_id=actor_id, action="alumni_card.reissued", target_type="alumni_card",
                 target_id=card.id, target_person_id=card.person_id, at=now,
                 details={"old_card_number": old.card_number, "card_number": card.card_number})
    return card.id


# --- Reads for the pages ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CardView:
    """A card as its holder and the admins see it."""

    card_id: int
    alumnus_id: int
    card_number: str
    name: str
    batch_year: int
    department: str
    issued_at: datetime
    expires_at: datetime
    status: str
    token: str
    verification_count: int
    last_verified_at: datetime | None
    revoke_reason: str | None


def _view(card: AlumniCard) -> CardView:
    return CardView(card.id, card.alumnus_id, card.card_number, card.name, card.batch_year, card.department,
                    card.issued_at, card.expires_at, card.status, card.token, card.verification_count,
                    card.last_verified_at, card.revoke_reason)


@dataclass(frozen=True)
class MyCardState:
    """What My alumni card shows: the record's rules, the newest card and any request waiting for review."""

    alumnus_id: int
    name: str
    eligibility: Eligibility
    card: CardView | None
    waiting_for_review: bool


def my_card_state(session: Session, *, person_id: int | None) -> MyCardState | None:
    """The person's alumni record with its card state; None when no alumni record has their email."""
    alumnus_id = alumnus_id_for_person(session, person_id)
    if alumnus_id is None:
        return None
    alumnus = session.get(Alumnus, alumnus_id)
    card = session.scalar(select(AlumniCard).where(AlumniCard.alumnus_id == alumnus_id)
                          .order_by(AlumniCard.issued_at.desc(), AlumniCard.id.desc()).limit(1))
    waiting = session.scalar(select(AlumniCardRequest.id).where(AlumniCardRequest.alumnus_id == alumnus_id,
                                                                AlumniCardRequest.status == CardRequestStatus.REVIEW))
    return MyCardState(alumnus_id, alumnus.name, eligibility(alumnus), _view(card) if card else None,
                       waiting is not None)


@dataclass(frozen=True)
class ReviewItem:
    """A queued request with the similar record it was held for (admins only)."""

    request_id: int
    requested_at: datetime
    alumnus_id: int
    name: str
    email: str
    batch_year: int | None
    department: str | None
    similar_name: str | None
    similar_email: str | None
    similar_department: str | None
    similarity: float | None


def review_queue(session: Session) -> list[ReviewItem]:
    """Requests waiting for review, oldest first."""
    similar = Alumnus.__table__.alias("similar")
    rows = session.execute(
        select(AlumniCardRequest.id, AlumniCardRequest.requested_at, Alumnus.id, Alumnus.name, Alumnus.email,
               Alumnus.batch_year, Alumnus.department, similar.c.name, similar.c.email, similar.c.department,
               AlumniCardRequest.similarity)
        .join(Alumnus, Alumnus.id == AlumniCardRequest.alumnus_id)
        .outerjoin(similar, similar.c.id == AlumniCardRequest.similar_alumnus_id)
        .where(AlumniCardRequest.status == CardRequestStatus.REVIEW)
        .order_by(AlumniCardRequest.requested_at, AlumniCardRequest.id))
    return [ReviewItem(*row) for row in rows]


def list_cards(session: Session, *, search: str = "", status: str | None = None, limit: int = 200) -> list[CardView]:
    """Cards, newest first, by name or card number and status."""
    query = select(AlumniCard).order_by(AlumniCard.issued_at.desc(), AlumniCard.id.desc()).limit(limit)
    if search.strip():
        pattern = f"%{search.strip()}%"
        query = query.where(or_(AlumniCard.name.ilike(pattern), AlumniCard.card_number.ilike(pattern)))
    if status:
        query = query.where(AlumniCard.status == status)
    return [_view(card) for card in session.scalars(query)]


@dataclass(frozen=True)
class VerificationRow:
    """One logged verification with its card (none when the code did not decrypt) and each check's result."""

    verified_at: datetime
    card_number: str | None
    name: str | None
    method: str
    valid: bool
    checks: dict


def recent_verifications(session: Session, *, limit: int = 100) -> list[VerificationRow]:
    """The verification log, newest first; a token that failed decryption has no card."""
    rows = session.execute(
        select(AlumniCardVerification.verified_at, AlumniCard.card_number, AlumniCard.name,
               AlumniCardVerification.method, AlumniCardVerification.valid, AlumniCardVerification.checks)
        .outerjoin(AlumniCard, AlumniCard.id == AlumniCardVerification.card_id)
        .order_by(AlumniCardVerification.verified_at.desc(), AlumniCardVerification.id.desc()).limit(limit))
    return [VerificationRow(*row) for row in rows]


@dataclass(frozen=True)
class AlumnusRow:
    """An alumni record as the admin's verify and issue tools list it."""

    alumnus_id: int
    name: str
    email: str
    batch_year: int | None
    department: str | None
    completeness: float
    verified_at: datetime | None


def find_alumni(session: Session, *, search: str, limit: int = 20) -> list[AlumnusRow]:
    """Alumni records by name or email, for the admin's verify and issue tools."""
    pattern = f"%{search.strip()}%"
    rows = session.scalars(select(Alumnus).where(or_(Alumnus.name.ilike(pattern), Alumnus.email.ilike(pattern)))
                           .order_by(Alumnus.name, Alumnus.id).limit(limit))
    return [AlumnusRow(a.id, a.name, a.email, a.batch_year, a.department, completeness(a)[0], a.verified_at)
            for a in rows]
