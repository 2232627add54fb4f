"""Page helpers for alumni ID cards: the cipher from the settings, reads of the card state, the review queue and the
verification log, and the card's files built once per card."""
from __future__ import annotations

from dataclasses import replace

import streamlit as st
from cryptography.fernet import Fernet

from core.community import cards
from core.community.card_files import card_pdf, card_png
from ui.resources import db_session, settings


def cipher() -> tuple[Fernet | None, str]:
    """The card cipher, or None with the reason cards are off."""
    try:
        return cards.card_cipher(settings()), ""
    except cards.CardsOff as off:
        return None, str(off)


def my_card(person_id: int | None) -> cards.MyCardState | None:
    """The signed-in person's alumni record and card state (None without an alumni record)."""
    with db_session() as session:
        return cards.my_card_state(session, person_id=person_id)


def verify_url(token: str) -> str:
    """The public verification address a card's QR code holds."""
    return cards.verification_url(settings(), token)


def card_face(card: cards.CardView) -> cards.CardView:
    """The card with only the fields that never change once it is issued (number, holder, expiry, token...): the
    counters and status are blanked, so a scan or a revocation does not rebuild the files."""
    return replace(card, status="", verification_count=0, last_verified_at=None, revoke_reason=None)


@st.cache_data(max_entries=32, show_spinner=False)
def _built_files(face: cards.CardView, url: str) -> tuple[bytes, bytes]:
    return card_png(face, url), card_pdf(face, url)


def files(card: cards.CardView, url: str) -> tuple[bytes, bytes]:
    """The card's PNG and PDF, built once per card (cached on its unchanging fields)."""
    return _built_files(card_face(card), url)


def review_queue() -> list[cards.ReviewItem]:
    """Card requests waiting for an admin's review, oldest first."""
    with db_session() as session:
        return cards.review_queue(session)


def list_cards(search: str, status: str | None) -> list[cards.CardView]:
    """Cards by name or number and status, newest first."""
    with db_session() as session:
        return cards.list_cards(session, search=search, status=status)


def recent_verifications() -> list[cards.VerificationRow]:
    """The newest logged verifications."""
    with db_session() as session:
        return cards.recent_verifications(session)


def find_alumni(search: str) -> list[cards.AlumnusRow]:
    """Alumni records by name or email, for verifying them or issuing their card."""
    with db_session() as session:
        return cards.find_alumni(session, search=search)


def failed_check_in_words(checks: dict) -> str:
    """The check a logged verification failed, in words; "–" for a valid one."""
    failed = next((check for check in cards.CardCheck if checks.get(check.value) is False), None)
    return cards.CHECK_LABELS[failed] if failed else "–"

