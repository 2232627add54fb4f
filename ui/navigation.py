"""Which page files each role sees, in menu order, and the public pages anyone can open."""
from __future__ import annotations

from dataclasses import dataclass

from core.accounts import Role


@dataclass(frozen=True)
class PageSpec:
    path: str
    url_path: str
    title: str
    icon: str  # a Material icon: it renders without an emoji font


PAGES: dict[Role, list[PageSpec]] = {
    Role.ATTENDEE: [
        PageSpec("pages/for_you.py", "for-you", "For you", ":material/recommend:"),
        PageSpec("pages/network.py", "my-network", "My network", ":material/diversity_3:"),
        PageSpec("pages/messages.py", "messages", "Messages", ":material/chat:"),
        PageSpec("pages/profile.py", "my-profile", "My profile", ":material/person:"),
        PageSpec("pages/favourites.py", "my-favourites", "My favourites", ":material/favorite:"),
        PageSpec("pages/my_signals.py", "my-signals", "Audit my signals", ":material/fact_check:"),
        PageSpec("pages/privacy.py", "privacy", "Privacy", ":material/privacy_tip:"),
        PageSpec("pages/my_agenda.py", "my-agenda", "My agenda", ":material/calendar_month:"),
        PageSpec("pages/huddles.py", "huddles", "Huddles", ":material/groups_2:"),
        PageSpec("pages/program.py", "program", "Program", ":material/event_note:"),
        PageSpec("pages/notifications.py", "notifications", "Notifications", ":material/notifications:"),
        PageSpec("pages/my_career.py", "my-career", "My career", ":material/trending_up:"),
        PageSpec("pages/capsules.py", "capsules", "Capsules", ":material/menu_book:"),
        PageSpec("pages/my_engagement.py", "my-engagement", "My engagement", ":material/military_tech:"),
        PageSpec("pages/my_card.py", "my-alumni-card", "My alumni card", ":material/badge:"),
    ],
    Role.ORGANIZER: [
        PageSpec("pages/event_overview.py", "event-overview", "Event overview", ":material/groups:"),
        PageSpec("pages/registration.py", "registration", "Registration", ":material/how_to_reg:"),
        PageSpec("pages/analytics.py", "analytics", "Analytics", ":material/monitoring:"),
        PageSpec("pages/talent_heatmap.py", "talent-heatmap", "Talent heatmap", ":material/map:"),
        PageSpec("pages/reengagement.py", "re-engagement", "Re-engagement", ":material/campaign:"),
        PageSpec("pages/skills.py", "skills", "Skills", ":material/hub:"),
        PageSpec("pages/careers.py", "careers", "Careers", ":material/route:"),
        PageSpec("pages/engagement_admin.py", "engagement", "Engagement", ":material/leaderboard:"),
    ],
    Role.ADMIN: [
        PageSpec("pages/uploads.py", "uploads", "Uploads", ":material/upload_file:"),
        PageSpec("pages/registration.py", "registration", "Registration", ":material/how_to_reg:"),
        PageSpec("pages/jobs.py", "jobs", "Jobs", ":material/settings:"),
        PageSpec("pages/users.py", "users", "Users", ":material/manage_accounts:"),
        PageSpec("pages/audit_log.py", "audit-log", "Audit log", ":material/receipt_long:"),
        PageSpec("pages/moderation.py", "moderation", "Moderation", ":material/shield_person:"),
        PageSpec("pages/reengagement.py", "re-engagement", "Re-engagement", ":material/campaign:"),
        PageSpec("pages/skills.py", "skills", "Skills", ":material/hub:"),
        PageSpec("pages/careers.py", "careers", "Careers", ":material/route:"),
        PageSpec("pages/alumni_cards.py", "alumni-cards", "Alumni cards", ":material/id_card:"),
        PageSpec("pages/engagement_admin.py", "engagement", "Engagement", ":material/leaderboard:"),
    ],
    Role.STAFF: [
        PageSpec("pages/prompt_variants.py", "prompt-variants", "Prompt Lab", ":material/science:"),
        PageSpec("pages/reengagement.py", "re-engagement", "Re-engagement", ":material/campaign:"),
    ],
}
SECTION_TITLES = {Role.ATTENDEE: "Attendee", Role.ORGANIZER: "Organizer", Role.ADMIN: "Admin", Role.STAFF: "Staff"}

# Every logged-in account has this page.
ACCOUNT_PAGE = PageSpec("pages/account.py", "my-account", "My account", ":material/key:")
# Every logged-in account can read how its data is processed (seed 000 §11.2).
DATA_PROCESSING_PAGE = PageSpec("pages/data_processing.py", "data-processing", "How we use your data",
                                ":material/policy:")

LOGIN_PAGE = "pages/login.py"

# Pages for people who are not logged in: sign-up by an event's link, invitations and password links, and the
# verification of an alumni card (its QR code opens it).
PUBLIC_PAGES = [
    PageSpec("pages/sign_up.py", "sign-up", "Sign up", ":material/person_add:"),
    PageSpec("pages/accept_invitation.py", "accept-invitation", "Accept your invitation", ":material/mail:"),
    PageSpec("pages/reset_password.py", "reset-password", "Choose a new password", ":material/lock_reset:"),
    PageSpec("pages/forgot_password.py", "forgot-password", "Forgot password", ":material/help:"),
    PageSpec("pages/verify_card.py", "verify-card", "Verify an alumni card", ":material/verified:"),
]


def menu_for(roles: tuple[str, ...] | list[str]) -> dict[str, list[PageSpec]]:
    """Menu sections (title -> pages) for a user holding `roles`, then their account page; a page two roles share
    is listed once, under the first."""
    sections, seen = {}, set()
    for role, pages in PAGES.items():
        if role.value in roles:
            sections[SECTION_TITLES[role]] = [p for p in pages if p.url_path not in seen]
            seen.update(p.url_path for p in pages)
    return {**sections, "Account": [ACCOUNT_PAGE, DATA_PROCESSING_PAGE]}


def all_app_pages() -> list[PageSpec]:
    """Every page behind the login, once each."""
    unique = {spec.url_path: spec for specs in PAGES.values() for spec in specs}
    return [*unique.values(), ACCOUNT_PAGE, DATA_PROCESSING_PAGE]
