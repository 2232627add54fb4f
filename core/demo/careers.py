"""A synthetic alumni community with planted career rules (transitions, time in role, a skill-conditioned move),
plus job postings with trending skills and course completions, shaped like the upload kinds' clean rows."""
from __future__ import annotations

import hashlib
import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from core.careers.histories import months_between
from core.careers.roles import role_family
from core.demo.vocabulary import CITIES, FIRST_NAMES, LAST_NAMES
from core.knowledge.geocode import locate_rows, normalize
from core.knowledge.skill_names import skill_key, skill_keys

AS_OF = date(2026, 11, 1)  # the community's "today": open roles run until then
POSTINGS_FROM = date(2024, 1, 1)

# Role family -> marginal P(next family | family). Families without an entry are where careers end.
PLANTED_TRANSITIONS: dict[str, dict[str, float]] = {
    "Junior Software Engineer": {"Software Engineer": 0.85, "Data Analyst": 0.15},
    "Software Engineer": {"Senior Software Engineer": 0.65, "Engineering Manager": 0.10, "Product Manager": 0.08,
                          "Data Engineer": 0.10, "Machine Learning Engineer": 0.07},
    "Senior Software Engineer": {"Staff Software Engineer": 0.35, "Engineering Manager": 0.45,
                                 "Product Manager": 0.10, "Machine Learning Engineer": 0.10},
    "Engineering Manager": {"Director of Engineering": 0.80, "Senior Product Manager": 0.20},
    "Junior Data Analyst": {"Data Analyst": 0.90, "Software Engineer": 0.10},
    "Data Analyst": {"Data Scientist": 0.40, "Senior Data Analyst": 0.30, "Data Engineer": 0.15,
                     "Product Manager": 0.15},
    "Senior Data Analyst": {"Data Scientist": 0.45, "Head of Data": 0.25, "Product Manager": 0.30},
    "Data Scientist": {"Senior Data Scientist": 0.60, "Machine Learning Engineer": 0.25, "Product Manager": 0.15},
    "Senior Data Scientist": {"Head of Data": 0.60, "Machine Learning Engineer": 0.40},
    "Data Engineer": {"Machine Learning Engineer": 0.40, "Data Scientist": 0.30, "Engineering Manager": 0.30},
    "Machine Learning Engineer": {"Senior Machine Learning Engineer": 0.70, "Engineering Manager": 0.30},
    "Product Manager": {"Senior Product Manager": 0.75, "Head of Product": 0.25},
    "Senior Product Manager": {"Head of Product": 0.85, "Engineering Manager": 0.15},
}
# Where careers start (P(first family)).
ENTRY_FAMILIES: dict[str, float] = {"Junior Software Engineer": 0.35, "Junior Data Analyst": 0.25,
                                    "Software Engineer": 0.15, "Data Analyst": 0.15, "Product Manager": 0.05,
                                    "Data Engineer": 0.05}
# Mean months spent in a family before moving on; each stay is uniform in [0.5, 1.5] x the mean.
PLANTED_MEAN_MONTHS: dict[str, int] = {
    "Junior Software Engineer": 18, "Software Engineer": 30, "Senior Software Engineer": 40,
    "Engineering Manager": 48, "Junior Data Analyst": 15, "Data Analyst": 26, "Senior Data Analyst": 30,
    "Data Scientist": 32, "Senior Data Scientist": 40, "Data Engineer": 30, "Machine Learning Engineer": 34,
    "Product Manager": 30, "Senior Product Manager": 36,
}


@dataclass(frozen=True)
class SkillRule:
    """Movers out of `from_role` who hold `skill` go to `to_role` with `p_with`, the others with `p_without`;
    `share_with` of the people in `from_role` hold it, so the marginal is the PLANTED_TRANSITIONS entry."""

    from_role: str
    to_role: str
    skill: str
    share_with: float
    p_with: float
    p_without: float


# Data analysts with machine-learning skills become data scientists with 0.6, the others with 0.2; half have them,
# so the marginal is 0.4. The other destinations keep their marginals (scaled by 0.4/0.6 and 0.8/0.6).
PLANTED_SKILL_RULE = SkillRule("Data Analyst", "Data Scientist", "Machine Learning", 0.5, 0.6, 0.2)

# Family -> messy real-world titles (each one normalises back to the family).
TITLES: dict[str, tuple[str, ...]] = {
    "Junior Software Engineer": ("Junior Software Engineer", "Jr. Software Engineer", "Jr Software Developer",
                                 "Graduate Software Engineer", "Junior Developer", "Junior Backend Developer"),
    "Software Engineer": ("Software Engineer", "Software Developer", "SWE", "Software Engineer II",
                          "Backend Engineer", "Full Stack Developer", "Programmer", "Software Eng"),
    "Senior Software Engineer": ("Senior Software Engineer", "Sr. Software Engineer", "Snr Software Engineer",
                                 "Sr Software Developer", "Senior Backend Engineer", "Sr. SWE III",
                                 "Senior Software Engineer L5"),
    "Staff Software Engineer": ("Staff Software Engineer", "Staff Engineer", "Staff SWE"),
    "Engineering Manager": ("Engineering Manager", "Eng Manager", "Software Engineering Manager",
                            "Manager, Software Engineering", "Eng Mgr"),
    "Director of Engineering": ("Director of Engineering", "Engineering Director", "Director, Engineering",
                                "Dir. of Engineering"),
    "Junior Data Analyst": ("Junior Data Analyst", "Jr. Data Analyst", "Graduate Data Analyst",
                            "Junior BI Analyst"),
    "Data Analyst": ("Data Analyst", "Data Analyst II", "Business Intelligence Analyst", "BI Analyst",
                     "Data Analyst - Marketing", "Analytics Analyst"),
    "Senior Data Analyst": ("Senior Data Analyst", "Sr. Data Analyst II", "Snr Data Analyst", "Senior BI Analyst"),
    "Data Scientist": ("Data Scientist", "Data Scientist II", "Data Scientist - Growth", "Applied Scientist"),
    "Senior Data Scientist": ("Senior Data Scientist", "Sr Data Scientist", "Sr. Applied Scientist"),
    "Data Engineer": ("Data Engineer", "Big Data Engineer", "ETL Developer", "Data Engineer II"),
    "Machine Learning Engineer": ("Machine Learning Engineer", "ML Engineer", "MLE", "AI Engineer"),
    "Senior Machine Learning Engineer": ("Senior Machine Learning Engineer", "Sr. ML Engineer", "Senior MLE"),
    "Head of Data": ("Head of Data", "Head of Data Science", "Head of Analytics"),
    "Product Manager": ("Product Manager", "PM", "Product Manager - Payments", "Technical Product Manager",
                        "Product Owner"),
    "Senior Product Manager": ("Senior Product Manager", "Sr. PM", "Sr Product Manager II", "Senior Product Owner"),
    "Head of Product": ("Head of Product", "Head of Product Management"),
}
# Appended to about a quarter of the titles: levels, teams, regions and work arrangements.
TITLE_SUFFIXES = (" II", " III", " - Marketing", " - Platform", " (Remote)", " (Contract)", ", EMEA", ", APAC",
                  " Level 2", " L4")

FAMILY_SKILLS: dict[str, tuple[str, ...]] = {
    "Junior Software Engineer": ("Python", "Git", "JavaScript", "SQL"),
    "Software Engineer": ("Python", "Java", "JavaScript", "Git", "Docker", "SQL", "REST APIs"),
    "Senior Software Engineer": ("System Design", "Docker", "Kubernetes", "AWS", "Code Review", "Python", "Java"),
    "Staff Software Engineer": ("System Design", "Distributed Systems", "Technical Leadership", "Kubernetes"),
    "Engineering Manager": ("People Management", "Leadership", "Agile", "Hiring"),
    "Director of Engineering": ("Leadership", "Strategy", "Budgeting", "People Management"),
    "Junior Data Analyst": ("SQL", "Excel", "Tableau"),
    "Data Analyst": ("SQL", "Excel", "Tableau", "Power BI", "Statistics", "Data Visualization"),
    "Senior Data Analyst": ("SQL", "Statistics", "A/B Testing", "Stakeholder Management", "Tableau"),
    "Data Scientist": ("Python", "Machine Learning", "Statistics", "scikit-learn", "SQL"),
    "Senior Data Scientist": ("Machine Learning", "Deep Learning", "Experimentation", "Python"),
    "Data Engineer": ("Spark", "SQL", "Airflow", "Python", "ETL"),
    "Machine Learning Engineer": ("Python", "PyTorch", "TensorFlow", "MLOps", "Docker", "Machine Learning"),
    "Senior Machine Learning Engineer": ("MLOps", "Kubernetes", "Deep Learning", "PyTorch"),
    "Head of Data": ("Leadership", "Data Strategy", "Data Governance", "Stakeholder Management"),
    "Product Manager": ("Product Management", "Roadmapping", "User Research", "Agile", "Stakeholder Management"),
    "Senior Product Manager": ("Product Strategy", "Roadmapping", "Stakeholder Management", "Experimentation"),
    "Head of Product": ("Product Strategy", "Leadership", "Roadmapping"),
}
# Skills whose share of postings grows linearly from `early` (POSTINGS_FROM) to `late` (AS_OF).
TRENDING_SKILLS: dict[str, tuple[float, float]] = {"Generative AI": (0.02, 0.40), "LLMs": (0.01, 0.30)}

# Course name -> (skills it teaches, stated hours or None when the data gives no duration).
COURSES: dict[str, tuple[tuple[str, ...], float | None]] = {
    "SQL for Data Analysis": (("SQL",), 20.0),
    "Machine Learning Foundations": (("Machine Learning", "Python", "scikit-learn"), 40.0),
    "Deep Learning Specialization": (("Deep Learning", "TensorFlow"), None),
    "Intro to Python Programming": (("Python",), 30.0),
    "Statistics for Data Science": (("Statistics",), None),
    "Tableau Dashboards": (("Tableau", "Data Visualization"), 12.0),
    "Docker & Kubernetes Essentials": (("Docker", "Kubernetes"), 16.0),
    "System Design Interview Prep": (("System Design",), None),
    "Leading Engineering Teams": (("Leadership", "People Management"), 10.0),
    "Product Management 101": (("Product Management", "Roadmapping"), 25.0),
    "Applied MLOps": (("MLOps", "Docker"), None),
    "PyTorch in Practice": (("PyTorch", "Deep Learning"), 35.0),
    "Data Engineering with Spark": (("Spark", "ETL"), 30.0),
    "Agile with Scrum": (("Agile",), 8.0),
    "User Research Methods": (("User Research",), None),
    "Cloud Fundamentals on AWS": (("AWS",), 20.0),
    "A/B Testing and Experimentation": (("A/B Testing", "Experimentation"), 12.0),
    "Generative AI for Practitioners": (("Generative AI", "LLMs"), 15.0),
}
HOURS_GIVEN_SHARE = 0.85  # of completions of a course with stated hours, how many rows carry them

INDUSTRY_COMPANIES: dict[str, tuple[str, ...]] = {
    "Software": ("Quillstack", "Brightforge Software", "Nimbus Works", "Codeharbor", "Loomline", "Pixelgrove"),
    "Fintech": ("Ledgerleaf", "Coinharbor", "Kestrel Credit", "Tallyfox", "Brightvault Pay"),
    "E-commerce": ("Cartwheel Commerce", "Shopdeck", "Bazaarline", "Kindred Goods", "Parcelpeak Retail"),
    "Healthcare": ("Pulsewise", "CareLoop Health", "Mediqa Systems", "Clinibridge", "Vitalnote"),
    "Consulting": ("Northgate Advisory", "Clearpath Consulting", "Bluebeam Partners", "Summit & Vale"),
    "Telecommunications": ("Wavecrest Telecom", "Signalpoint", "Orbitel Networks", "Linkwise Mobile"),
}
# Academic department by the family a career starts in.
ENTRY_DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "Junior Software Engineer": ("Computer Science", "Electrical Engineering", "Computer Science"),
    "Software Engineer": ("Computer Science", "Computer Science", "Mathematics"),
    "Junior Data Analyst": ("Statistics", "Economics", "Mathematics", "Business Administration"),
    "Data Analyst": ("Statistics", "Economics", "Mathematics"),
    "Product Manager": ("Business Administration", "Computer Science", "Design"),
    "Data Engineer": ("Computer Science", "Mathematics"),
}
VISIBILITY_MIX = (("community", 0.7), ("organizers", 0.2), ("hidden", 0.1))
GRADES = ("A", "A-", "B+", "B", "B-", "C+", "Pass")


@dataclass
class CareerCommunity:
    """Clean rows for the alumni, job_market and educational uploads."""

    alumni: list[dict] = field(default_factory=list)
    postings: list[dict] = field(default_factory=list)
    completions: list[dict] = field(default_factory=list)


class _Chooser:
    """Fast weighted choice from a fixed distribution."""

    def __init__(self, weights: dict[str, float]) -> None:
        self.items = list(weights)
        self.cumulative = list(accumulate(weights.values()))

    def __call__(self, rng: random.Random) -> str:
        return self.items[min(bisect(self.cumulative, rng.random() * self.cumulative[-1]), len(self.items) - 1)]


def _conditioned(rule: SkillRule, has_skill: bool) -> dict[str, float]:
    """P(next | from_role, has or lacks the rule's skill), keeping the marginals of every other destination."""
    marginal = PLANTED_TRANSITIONS[rule.from_role]
    target = rule.p_with if has_skill else rule.p_without
    scale = (1 - target) / (1 - marginal[rule.to_role])
    return {role: target if role == rule.to_role else p * scale for role, p in marginal.items()}


def _month(value: date, months: int) -> date:
    index = value.year * 12 + value.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _title(rng: random.Random, family: str) -> str:
    title = rng.choice(TITLES[family])
    if rng.random() < 0.25 and not title[-1].isdigit() and not title.endswith(("II", "III")):
        title += rng.choice(TITLE_SUFFIXES)
    return title


def _skills_of(rng: random.Random, family: str) -> list[str]:
    pool = FAMILY_SKILLS[family]
    return rng.sample(pool, min(len(pool), rng.randint(2, 3)))


def generate_career_community(alumni: int, postings: int, completions: int | None = None,
                              seed: int = 7, as_of: date = AS_OF) -> CareerCommunity:
    """`alumni` made-up alumni whose role histories follow PLANTED_TRANSITIONS and PLANTED_MEAN_MONTHS (with
    PLANTED_SKILL_RULE), `postings` job postings with TRENDING_SKILLS, and course completions (alumni // 3 by
    default) of COURSES by those alumni. Deterministic for a seed."""
    rng = random.Random(f"careers-{seed}")
    community = CareerCommunity()
    community.alumni = _alumni(rng, alumni, as_of)
    community.postings = _postings(rng, postings, as_of)
    community.completions = _completions(rng, community.alumni, alumni // 3 if completions is None else completions)
    return community


def _alumni(rng: random.Random, n: int, as_of: date) -> list[dict]:
    entry = _Chooser(ENTRY_FAMILIES)
    nexts = {family: _Chooser(weights) for family, weights in PLANTED_TRANSITIONS.items()}
    rule = PLANTED_SKILL_RULE
    with_rule, without_rule = _Chooser(_conditioned(rule, True)), _Chooser(_conditioned(rule, False))
    visibility = _Chooser(dict(VISIBILITY_MIX))
    industries = list(INDUSTRY_COMPANIES)
    years = list(range(1998, as_of.year))
    year_pick = _Chooser({str(y): 1 + (y - 1998) // 4 for y in years})
    firsts = [(name, normalize(name).replace(" ", "").replace("-", "")) for name in FIRST_NAMES]
    lasts = [(name, normalize(name).replace(" ", "").replace("-", "")) for name in LAST_NAMES]
    places = [f"{city}, {country}" for city, country, _ in CITIES]
    keys = {skill: skill_key(skill) for skills in FAMILY_SKILLS.values() for skill in skills}
    keys[rule.skill] = skill_key(rule.skill)
    rows: list[dict] = []
    for index in range(n):
        (first, first_slug), (last, last_slug) = rng.choice(firsts), rng.choice(lasts)
        batch_year = int(year_pick(rng))
        family = first_family = entry(rng)
        industry = rng.choice(industries)
        company = rng.choice(INDUSTRY_COMPANIES[industry])
        start = date(batch_year + rng.randint(0, 1), rng.randint(1, 12), 1)
        if start >= as_of:
            start = _month(as_of, -rng.randint(1, 6))
        skills: dict[str, None] = {}
        history: list[dict] = []
        while True:
            skills.update(dict.fromkeys(_skills_of(rng, family)))
            chooser = nexts.get(family)
            if family == rule.from_role:
                has_skill = rng.random() < rule.share_with
                if has_skill:
                    skills[rule.skill] = None
                chooser = with_rule if has_skill else without_rule
            mean = PLANTED_MEAN_MONTHS.get(family)
            end = _month(start, max(1, round(mean * rng.uniform(0.5, 1.5)))) if mean else None
            step = {"company": company, "role": _title(rng, family), "from": f"{start:%Y-%m}", "to": None}
            history.append(step)
            if chooser is None or end is None or end > as_of:
                break
            step["to"] = f"{end:%Y-%m}"
            family, start = chooser(rng), end
            if rng.random() < 0.5:
                company = rng.choice(INDUSTRY_COMPANIES[industry])
        rows.append({
            "email": f"{first_slug}.{last_slug}.{index:06d}@alumni.example.org",
            "name": f"{first} {last}",
            "batch_year": batch_year,
            "department": rng.choice(ENTRY_DEPARTMENTS[first_family]),
            "current_company": company,
            "current_role": history[-1]["role"],
            "industry": industry,
            "location": rng.choice(places),
            "skills": list(skills),
            "skill_keys": list(dict.fromkeys(keys[skill] for skill in skills)),
            "linkedin_url": None,
            "role_history": history,
            "visibility": visibility(rng),
        })
    return rows


def _experience_level(family: str) -> str:
    if family.startswith("Junior"):
        return "Entry level"
    if family.startswith(("Head of", "Director")):
        return "Executive"
    return "Senior" if family.startswith(("Senior", "Staff")) or family.endswith("Manager") else "Mid level"


def trending_share(skill: str, posted_on: date, as_of: date = AS_OF) -> float:
    """The planted share of postings dated `posted_on` that ask for a trending skill."""
    early, late = TRENDING_SKILLS[skill]
    span = (as_of - POSTINGS_FROM).days
    return early + (late - early) * min(1.0, max(0.0, (posted_on - POSTINGS_FROM).days / span))


def _postings(rng: random.Random, n: int, as_of: date) -> list[dict]:
    families = _Chooser({family: 3.0 if family in ENTRY_FAMILIES else 1.0 for family in TITLES})
    companies = [(industry, company) for industry, names in INDUSTRY_COMPANIES.items() for company in names]
    places = [f"{city}, {country}" for city, country, _ in CITIES]
    days = (as_of - POSTINGS_FROM).days
    keys: set[str] = set()
    rows: list[dict] = []
    while len(rows) < n:
        family = families(rng)
        title = _title(rng, family)
        industry, company = rng.choice(companies)
        location = rng.choice(places)
        key = hashlib.sha256("|".join([title.lower(), company.lower(), location.lower()]).encode()).hexdigest()
        if key in keys:
            continue
        keys.add(key)
        posted_on = POSTINGS_FROM + timedelta(days=rng.randrange(days))
        pool = FAMILY_SKILLS[family]
        skills = rng.sample(pool, min(len(pool), rng.randint(3, 4)))
        skills += [skill for skill in TRENDING_SKILLS if rng.random() < trending_share(skill, posted_on, as_of)]
        low = rng.randrange(40, 160) * 1000
        rows.append({"natural_key": key, "title": title, "company": company, "industry": industry,
                     "location": location, "salary_min": float(low), "salary_max": float(low + rng.randrange(10, 60)
                                                                                        * 1000),
                     "skills": skills, "experience_level": _experience_level(family), "posted_on": posted_on})
    return rows


def _completions(rng: random.Random, alumni: list[dict], n: int) -> list[dict]:
    if not alumni:
        return []
    courses = list(COURSES)
    seen: set[tuple[int, str]] = set()
    rows: list[dict] = []
    attempts = 0
    while len(rows) < n and attempts < n * 4:
        attempts += 1
        who, course = rng.randrange(len(alumni)), rng.choice(courses)
        if (who, course) in seen:
            continue
        seen.add((who, course))
        skills, hours = COURSES[course]
        completed = date(2018, 1, 1) + timedelta(days=rng.randrange(3200))
        rows.append({"student_id": f"STU-{who:06d}", "email": alumni[who]["email"], "course_name": course,
                     "grade": rng.choice(GRADES), "completion_date": completed, "skills_learned": list(skills),
                     "instructor": None,
                     "duration_hours": hours if hours is not None and rng.random() < HOURS_GIVEN_SHARE else None})
    return rows


def store_career_community(session, community: CareerCommunity, now) -> dict[str, int]:
    """Upsert the community's alumni, postings and completions as their uploads would (unlocated)."""
    from core.alumni.alumni import store_alumni
    from core.alumni.educational import store_completions
    from core.alumni.job_market import store_postings

    located = [{**row, "lat": row.get("lat"), "lon": row.get("lon")} for row in community.alumni]
    postings = [{**row, "lat": row.get("lat"), "lon": row.get("lon")} for row in community.postings]
    counts = {"alumni": store_alumni(session, None, located, now)["inserted"],
              "postings": store_postings(session, None, postings, now)["inserted"],
              "completions": store_completions(session, None, community.completions, now)["inserted"]}
    session.flush()
    return counts


# ------------------------------------------------------------------------------------------ the demo conference

# Demo role family -> titles someone may have held just before it (so demo histories lead to the current role).
DEMO_PREDECESSORS: dict[str, tuple[str, ...]] = {
    "Founder": ("Senior Product Manager", "Senior Software Engineer", "Business Development Manager"),
    "Chief Technology Officer": ("VP Engineering", "Director of Engineering"),
    "VP of Engineering": ("Director of Engineering", "Engineering Manager"),
    "Director of Engineering": ("Engineering Manager",),
    "Chief Operating Officer": ("Operations Manager",),
    "Head of Product": ("Senior Product Manager",),
    "Engineering Manager": ("Senior Software Engineer", "Sr. Software Engineer II"),
    "Head of Data": ("Senior Data Scientist", "Senior Data Analyst"),
    "Staff Software Engineer": ("Senior Software Engineer",),
    "Senior Software Engineer": ("Software Engineer", "Software Developer"),
    "Software Engineer": ("Junior Software Engineer", "Jr. Software Developer"),
    "Senior Data Scientist": ("Data Scientist",),
    "Data Scientist": ("Data Analyst", "Data Analyst - Marketing", "Software Engineer"),
    "Senior Data Analyst": ("Data Analyst",),
    "Data Analyst": ("Junior Data Analyst",),
    "Machine Learning Engineer": ("Software Engineer", "Data Scientist"),
    "MLOps Engineer": ("Software Engineer", "DevOps Engineer"),
    "DevOps Engineer": ("Junior Software Engineer",),
    "Product Manager": ("Software Engineer", "Data Analyst", "Business Analyst"),
    "Senior Product Manager": ("Product Manager",),
    "Product Designer": ("Graphic Designer",),
    "UX Researcher": ("Market Research Analyst",),
    "Growth Marketing Manager": ("Marketing Analyst", "Marketing Specialist"),
    "Head of Marketing": ("Growth Marketing Manager", "Marketing Manager"),
    "Account Executive": ("Sales Development Representative",),
    "Director of Sales": ("Account Executive", "Sales Manager"),
    "Business Development Manager": ("Account Executive", "Sales Development Representative"),
    "Operations Manager": ("Operations Analyst",),
    "Procurement Lead": ("Procurement Specialist",),
    "Director of IT": ("IT Manager",),
    "IT Manager": ("Systems Administrator",),
    "Talent Acquisition Lead": ("Technical Recruiter",),
    "Technical Recruiter": ("Recruitment Coordinator",),
    "Venture Partner": ("Investment Associate", "Founder & CEO"),
    "Angel Investor": ("Founder & CEO", "VP Engineering"),
    "Investment Associate": ("Financial Analyst",),
    "Independent Consultant": ("Management Consultant", "Operations Manager"),
    "Freelance Developer": ("Software Engineer",),
    "Risk Analyst": ("Data Analyst",),
    "Compliance Officer": ("Compliance Analyst",),
    "Clinical Product Lead": ("Product Manager",),
    "Health Data Analyst": ("Junior Data Analyst",),
    "Energy Analyst": ("Junior Data Analyst",),
    "Sustainability Lead": ("Sustainability Analyst",),
    "Merchandising Manager": ("Merchandising Analyst",),
    "Learning Designer": ("Teacher",),
    "Security Analyst": ("IT Support Specialist",),
    "Security Architect": ("Security Engineer",),
    "Security Engineer": ("Security Analyst",),
    "Chief Information Security Officer": ("Security Architect", "IT Director"),
    "Research Scientist": ("PhD Candidate", "Data Scientist"),
    "Producer": ("Associate Producer",),
    "Editor-in-Chief": ("Senior Editor",),
    "Senior Editor": ("Editor",),
    "Supply Chain Analyst": ("Operations Analyst",),
    "Fleet Operations Manager": ("Operations Manager", "Logistics Coordinator"),
    "Bioinformatician": ("Research Associate", "PhD Candidate"),
    "Lab Manager": ("Research Associate",),
    "Bootcamp Graduate": ("Teacher", "Customer Support Specialist"),
}


def demo_role_history(rng: random.Random, title: str, years: int, company: str | None, companies: list[str],
                      as_of: date = AS_OF) -> list[dict]:
    """A role history ending in the open current `title` at `company`, walked back through DEMO_PREDECESSORS
    within `years` of experience (one to four years per earlier role)."""
    budget = max(0, years) * 12
    start = _month(as_of, -rng.randint(3, max(3, min(budget, 48))))
    budget -= months_between(start, as_of)
    history = [{"company": company, "role": title, "from": f"{start:%Y-%m}", "to": None}]
    family = role_family(title)
    while budget >= 12 and (earlier := DEMO_PREDECESSORS.get(family)):
        previous = rng.choice(earlier)
        months = rng.randint(12, min(budget, 48))
        begin = _month(start, -months)
        employer = company if rng.random() < 0.4 or not companies else rng.choice(companies)
        history.insert(0, {"company": employer, "role": previous, "from": f"{begin:%Y-%m}", "to": f"{start:%Y-%m}"})
        budget -= months
        start, family = begin, role_family(previous)
    return history


def alumnus_for_attendee(profile: dict, seed: int = 7, as_of: date = AS_OF) -> dict:
    """An alumni record for a demo attendee (same email; community visibility; located), so their own career
    pages have a history to show."""
    rng = random.Random(f"attendee-alumnus-{seed}-{profile['email']}")
    years = int(profile.get("years_experience") or 3)
    skills = list(profile.get("skills_offered") or [])
    record = {"email": profile["email"], "name": f"{profile['first_name']} {profile['last_name']}".strip(),
              "batch_year": as_of.year - years - 1, "department": None,
              "current_company": profile.get("company"), "current_role": profile.get("role"),
              "industry": profile.get("industry"),
              "location": ", ".join(p for p in (profile.get("city"), profile.get("country")) if p) or None,
              "skills": skills, "skill_keys": skill_keys(skills), "linkedin_url": None,
              "role_history": demo_role_history(rng, profile.get("role") or "Software Engineer", years,
                                                profile.get("company"), [], as_of),
              "visibility": "community"}
    locate_rows([record])
    return record


def generate_job_postings(n: int, seed: int = 7, as_of: date = AS_OF) -> list[dict]:
    """`n` job postings (as in generate_career_community) on their own."""
    return _postings(random.Random(f"postings-{seed}"), n, as_of)


def generate_course_completions(alumni: list[dict], n: int, seed: int = 7) -> list[dict]:
    """`n` completions of COURSES by the given alumni rows (their emails)."""
    return _completions(random.Random(f"completions-{seed}"), alumni, n)
