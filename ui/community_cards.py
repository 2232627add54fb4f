"""Page helpers for alumni ID cards: the cipher from the settings, reads of the card state, the review queue and the
verification log, and the card's files built once per card."""
from __future__ import annotations

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
    with db_session() as session:
        return cards.my_card_state(session, person_id=person_id)


def verify_url(token: str) -> str:
    return cards.verification_url(settings(), token)


@st.cache_data(max_entries=32, show_spinner=False)
def files(card: cards.CardView, url: str) -> tuple[bytes, bytes]:
    """The card's PNG and PDF (a card never changes once issued, so they are built once per card)."""
    return card_png(card, url), card_pdf(card, url)


def review_queue() -> list[cards.ReviewItem]:
    with db_session() as session:
        return cards.review_queue(session)


def list_cards(search: str, status: str | None) -> list[cards.CardView]:
    with db_session() as session:
        return cards.list_cards(session, search=search, status=status)


def recent_verifications() -> list[cards.VerificationRow]:
    with db_session() as session:
        return cards.recent_verifications(session)


def find_alumni(search: str) -> list[cards.AlumnusRow]:
    with db_session() as session:
        return cards.find_alumni(session, search=search)


def failed_check_in_words(checks: dict) -> str:
    """The check a logged verification failed, in words; "–" for a valid one."""
    failed = next((check for check in cards.CardCheck if checks.get(check.value) is False), None)
    return cards.CHECK_LABELS[failed] if failed else "–"

