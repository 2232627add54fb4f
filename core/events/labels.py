"""Human labels for the profile vocabularies (goals, company sizes), the interest picker and challenge suggestions."""
from __future__ import annotations

from db.models import CompanySize, Goal

# Seed 000 §1.3's goal options.
GOAL_LABELS: dict[str, str] = {
    Goal.LEARN: "Learn new skills/knowledge",
    Goal.NETWORK: "Expand my network",
    Goal.HIRE: "Find talent to hire",
    Goal.GET_HIRED: "Find job opportunities",
    Goal.FIND_PARTNERS: "Find business partners",
    Goal.FIND_INVESTORS: "Meet investors",
    Goal.INVEST: "Invest in companies",
    Goal.SELL: "Find customers/clients",
    Goal.BUY: "Find solutions/vendors",
    Goal.MENTOR: "Mentor others",
    Goal.GET_MENTORED: "Find a mentor",
}

COMPANY_SIZE_LABELS: dict[str, str] = {
    CompanySize.SOLO: "Just me",
    CompanySize.STARTUP_1_10: "Startup (1–10)",
    CompanySize.SMALL_11_50: "Small (11–50)",
    CompanySize.MEDIUM_51_200: "Medium (51–200)",
    CompanySize.LARGE_201_1000: "Large (201–1,000)",
    CompanySize.ENTERPRISE_1000_PLUS: "Enterprise (1,000+)",
}

# Seed 000 §1.3's interest categories.
INTEREST_CATEGORIES: dict[str, list[str]] = {
    "Technology": ["AI/ML", "Web Development", "Mobile", "Cloud/DevOps", "Blockchain", "Cybersecurity",
                   "Data Science", "IoT"],
    "Business": ["Startups", "Enterprise", "SaaS", "E-commerce", "Fintech", "HealthTech", "EdTech", "MarTech"],
    "Role-Based": ["Engineering", "Product", "Design", "Marketing", "Sales", "Operations", "Leadership", "Investing"],
    "Personal": ["Career Growth", "Mentorship", "Speaking", "Writing", "Open Source", "Community Building"],
}

# Seed 000 §6.6's suggestion chips for "What's your biggest challenge right now?".
CHALLENGE_SUGGESTIONS = [
    "Scaling my engineering team",
    "Finding product-market fit",
    "Raising our next funding round",
    "Migrating to cloud infrastructure",
    "Building a remote-first culture",
    "Improving developer productivity",
]


def goal_label(value: str) -> str:
    return GOAL_LABELS.get(value, value.replace("_", " ").capitalize())


def company_size_label(value: str | None) -> str:
    return COMPANY_SIZE_LABELS.get(value, "") if value else ""
