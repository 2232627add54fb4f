"""Which page files each role sees, in menu order."""
from __future__ import annotations

from dataclasses import dataclass

from core.accounts import Role


@dataclass(frozen=True)
class PageSpec:
    path: str
    url_path: str
    title: str
    icon: str


PAGES: dict[Role, list[PageSpec]] = {
    Role.ATTENDEE: [
        PageSpec("pages/for_you.py", "for-you", "For you", "✨"),
        PageSpec("pages/profile.py", "my-profile", "My profile", "👤"),
        PageSpec("pages/my_agenda.py", "my-agenda", "My agenda", "📅"),
        PageSpec("pages/program.py", "program", "Program", "🗓️"),
    ],
    Role.ORGANIZER: [
        PageSpec("pages/event_overview.py", "event-overview", "Event overview", "📊"),
        PageSpec("pages/analytics.py", "analytics", "Analytics", "📈"),
        PageSpec("pages/talent_heatmap.py", "talent-heatmap", "Talent heatmap", "🗺️"),
    ],
    Role.ADMIN: [
        PageSpec("pages/uploads.py", "uploads", "Uploads", "📤"),
        PageSpec("pages/jobs.py", "jobs", "Jobs", "⚙️"),
        PageSpec("pages/users.py", "users", "Users", "🔐"),
        PageSpec("pages/audit_log.py", "audit-log", "Audit log", "🧾"),
    ],
    Role.STAFF: [
        PageSpec("pages/prompt_variants.py", "prompt-variants", "Prompt Lab", "🧪"),
    ],
}
SECTION_TITLES = {Role.ATTENDEE: "Attendee", Role.ORGANIZER: "Organizer", Role.ADMIN: "Admin", Role.STAFF: "Staff"}


def menu_for(roles: tuple[str, ...] | list[str]) -> dict[str, list[PageSpec]]:
    """Menu sections (title -> pages) for a user holding `roles`."""
    return {SECTION_TITLES[role]: pages for role, pages in PAGES.items() if role.value in roles}
