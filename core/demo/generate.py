"""Deterministic synthetic demo data (attendees, program, alumni); every person is made up."""
from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, timedelta

from core.demo.careers import VISIBILITY_MIX, demo_role_history
from core.demo.vocabulary import (
    ATTENDEE_CITIES,
    BIO_MAX_CHARS,
    BOOTCAMPS,
    CITIES,
    COMPANY_SIZES,
    COMPLEMENTARY_GOALS,
    DAY_END_MIN,
    DAY_START_MIN,
    DEMO_YEAR,
    DEPARTMENTS,
    EXCLUSIVE,
    FAMILY_GOALS,
    FAMILY_NEEDS,
    FIRST_NAMES,
    GENERAL_INTERESTS,
    INDUSTRIES,
    LAST_NAMES,
    LUNCH_MIN,
    NO_PROBLEM_FAMILIES,
    PROPER_WORDS,
    ROLES,
    ROOM_CAPACITY,
    SIZE_PHRASE,
    SPEAKER_OFFERINGS,
    SPEAKER_TITLES,
    TAG_PROSE,
    TRACKS,
    UNIVERSITIES,
    VC_FIRMS,
    RoleTemplate,
)
from core.knowledge.geocode import get_gazetteer, normalize
from core.knowledge.skill_names import skill_keys

# --------------------------------------------------------------------------------------------- helpers

def _ascii_slug(text: str, sep: str = "") -> str:
    return re.sub(r"[^a-z]+", sep, normalize(text)).strip(sep)


def _article(phrase: str) -> str:
    """'a' or 'an' for the phrase, by sound for the acronyms and words used here."""
    first = phrase.split()[0] if phrase else ""
    if first[:3] in ("MSc", "MLO") or first in ("AI", "SEO", "R", "ML", "IT"):
        return "an"
    if first.lower().startswith(("one", "uni", "ux", "use", "eu")):
        return "a"
    return "an" if first[:1].lower() in "aeiou" else "a"


def _lower(phrase: str) -> str:
    """Lower-case a capitalised phrase for use mid-sentence, keeping acronyms and product names."""
    first = phrase.split(" ", 1)[0]
    if first in PROPER_WORDS or any(c.isupper() for c in first[1:]) or len(first) < 2:
        return phrase
    return phrase[:1].lower() + phrase[1:]


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _weighted_sample(rng: random.Random, weights: dict[str, int], k: int) -> list[str]:
    pool = dict(weights)
    chosen: list[str] = []
    while pool and len(chosen) < k:
        pick = rng.choices(list(pool), weights=list(pool.values()))[0]
        chosen.append(pick)
        pool.pop(pick)
        pool.pop(EXCLUSIVE.get(pick, ""), None)
    return chosen


def _unique_email(local: str, domain: str, taken: set[str]) -> str:
    email = f"{local}@{domain}"
    n = 2
    while email in taken:
        email = f"{local}{n}@{domain}"
        n += 1
    taken.add(email)
    return email


def _resolved_cities() -> dict[tuple[str, str], tuple[float, float]]:
    gaz = get_gazetteer()
    coords = {}
    for city, country, _ in CITIES:
        found = gaz.locate(city, country)
        if found is None:  # a typo in CITIES, not a runtime condition
            raise RuntimeError(f"demo city {city!r}, {country!r} is not in the gazetteer")
        coords[(city, country)] = found
    return coords


def _roles_for(industry: str) -> list[RoleTemplate]:
    return [r for r in ROLES if not r.industries or industry in r.industries]


def _company_for(rng: random.Random, role: RoleTemplate, industry: str, last_name: str) -> tuple[str, str]:
    if role.family == "investor":
        return rng.choice(VC_FIRMS)
    if role.family == "student":
        return rng.choice(BOOTCAMPS if role.title == "Bootcamp Graduate" else UNIVERSITIES)
    if role.family == "consultant":
        return (f"{last_name} Consulting", "SOLO") if rng.random() < 0.6 else ("Independent", "SOLO")
    companies = INDUSTRIES[industry]["companies"]
    if role.family == "founder":
        companies = [c for c in companies if COMPANY_SIZES.index(c[1]) <= 2]
    else:
        companies = [c for c in companies if COMPANY_SIZES.index(c[1]) >= role.min_size] or companies
    return rng.choice(companies)


# --------------------------------------------------------------------------------------------- attendees

def _goal_phrase(goal: str, p: dict) -> str:
    noun = INDUSTRIES[p["industry"]]["noun"]
    interests = p["interests"]
    return {
        "LEARN": f"learn more about {_lower(interests[0])}",
        "NETWORK": f"meet people working on {_lower(interests[-1])}",
        "HIRE": f"meet strong candidates for our open {noun} roles",
        "GET_HIRED": f"find my next role in {noun}",
        "FIND_PARTNERS": f"find partners to build {noun} products with",
        "FIND_INVESTORS": "talk to investors about our next funding round",
        "INVEST": f"meet founders building {noun} companies",
        "SELL": ("find new clients" if p["role_obj"].family == "consultant"
                 else f"show teams what we have built at {p['company']}"),
        "BUY": f"find tools and vendors for our {noun} work",
        "MENTOR": "mentor people earlier in their careers",
        "GET_MENTORED": f"find a mentor who knows {noun} well",
    }[goal]


def _bio(p: dict) -> str:
    role, company, noun = p["role_obj"], p["company"], INDUSTRIES[p["industry"]]["noun"]
    title = role.title
    if role.family == "founder":
        first = f"I'm the {title} of {company}, {_article(noun)} {noun} startup in {p['city']}."
    elif role.family == "investor":
        first = f"I'm {_article(title)} {title} at {company}, backing early-stage {noun} companies."
    elif role.family == "student":
        head, tail = title.split(" ", 1)
        studying = f"{_lower(head)} {tail.lower()}"  # 'MSc student', 'bootcamp graduate'
        where = "from" if company in dict(BOOTCAMPS) else "at"
        first = f"I'm {_article(studying)} {studying} {where} {company}, focusing on {noun}."
    elif company == "Independent" or role.family == "consultant":
        first = f"I work as {_article(title)} {title.lower()} with {noun} teams."
    else:
        size = SIZE_PHRASE[p["company_size"]]
        first = f"I'm {_article(title)} {title} at {company}, {_article(size)} {size} {noun} company."
    skills = p["skills_offered"][:2]
    if p["years"] >= 2:
        second = f"I bring {p['years']} years of experience in {_join([_lower(s) for s in skills])}."
    else:
        second = f"I'm early in my career and building skills in {_join([_lower(s) for s in skills])}."
    third = f"Here I hope to {_join([_goal_phrase(g, p) for g in p['goals']])}."
    bio = " ".join((first, second, third))
    if len(bio) > BIO_MAX_CHARS:
        bio = " ".join((first, third))
    if len(bio) > BIO_MAX_CHARS:
        bio = " ".join((first, f"Here I hope to {_goal_phrase(p['goals'][0], p)}."))
    return bio[:BIO_MAX_CHARS]


def _ensure_complementary_goals(rng: random.Random, people: list[dict]) -> None:
    """Top up each side of a complementary pair to ~4% of the crowd so every goal finds a match."""
    minimum = max(1, round(len(people) * 0.04))
    for pair in COMPLEMENTARY_GOALS:
        for goal in pair:
            have = sum(goal in p["goals"] for p in people)
            eligible = [p for p in people if goal not in p["goals"] and len(p["goals"]) < 3
                        and goal in FAMILY_GOALS[p["role_obj"].family]
                        and EXCLUSIVE.get(goal) not in p["goals"]]
            rng.shuffle(eligible)
            for p in eligible[:max(0, minimum - have)]:
                p["goals"].append(goal)


def generate_demo_attendees(n: int = 300, seed: int = 7) -> list[dict[str, str]]:
    """`n` made-up attendees as upload rows (ATTENDEE_COLUMNS, all strings, lists joined with ';')."""
    rng = random.Random(f"attendees-{seed}")
    industries = list(INDUSTRIES)
    roles_by_industry = {ind: _roles_for(ind) for ind in industries}
    city_weights = [w for _, _, w in ATTENDEE_CITIES]
    taken: set[str] = set()
    people: list[dict] = []
    for _ in range(n):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        industry = rng.choice(industries)
        roles = roles_by_industry[industry]
        role = rng.choices(roles, weights=[r.weight for r in roles])[0]
        company, size = _company_for(rng, role, industry, last)
        years = min(30, rng.randint(*role.years))
        goals = _weighted_sample(rng, FAMILY_GOALS[role.family], rng.choices((1, 2, 3), weights=(3, 5, 3))[0])
        city, country, _ = rng.choices(ATTENDEE_CITIES, weights=city_weights)[0]
        people.append({"first": first, "last": last, "industry": industry, "role_obj": role, "company": company,
                       "company_size": size, "years": years, "goals": goals, "city": city, "country": country})
    _ensure_complementary_goals(rng, people)

    rows: list[dict[str, str]] = []
    for p in people:
        role, ind = p["role_obj"], INDUSTRIES[p["industry"]]
        n_interests = rng.randint(1, 5)
        n_own = min(n_interests, rng.randint(1, n_interests), len(ind["interests"]))
        interests = rng.sample(ind["interests"], n_own)
        interests += rng.sample([i for i in GENERAL_INTERESTS if i not in interests], n_interests - n_own)
        p["interests"] = interests

        offered = rng.sample(role.skills, min(len(role.skills), rng.randint(1, 3)))
        if len(offered) < 4 and (p["years"] >= 3 or rng.random() < 0.3):
            offered.append(rng.choice([s for s in ind["skills"] if s not in offered]))
        if "MENTOR" in p["goals"] and "Career coaching" not in offered:
            offered = offered[:3] + ["Career coaching"]
        needed_pool = [s for s in (*FAMILY_NEEDS[role.family], *ind["skills"]) if s not in offered]
        needed = rng.sample(needed_pool, rng.randint(1, 3))
        if "FIND_INVESTORS" in p["goals"] and "Fundraising" not in needed + offered:
            needed = ["Fundraising"] + needed[:3]
        if "GET_MENTORED" in p["goals"] and "Career coaching" not in needed + offered:
            needed = needed[:3] + ["Career coaching"]
        p["skills_offered"], p["skills_needed"] = offered, needed

        local = f"{_ascii_slug(p['first'])}.{_ascii_slug(p['last'])}"
        rows.append({
            "email": _unique_email(local, "example.com", taken),
            "first_name": p["first"],
            "last_name": p["last"],
            "company": p["company"],
            "role": role.title,
            "industry": p["industry"],
            "company_size": p["company_size"],
            "years_experience": str(p["years"]),
            "interests": ";".join(interests),
            "goals": ";".join(p["goals"]),
            "skills_offered": ";".join(offered),
            "skills_needed": ";".join(needed),
            "bio": _bio(p),
            "problem_statement": (rng.choice(ind["problems"])
                                  if role.family not in NO_PROBLEM_FAMILIES and rng.random() < 0.6 else ""),
            "city": p["city"],
            "country": p["country"],
            "allow_enrichment": "true" if rng.random() < 0.7 else "false",
        })
    return rows


# --------------------------------------------------------------------------------------------- program

def _day_starts(rng: random.Random, durations: list[int]) -> list[int]:
    """Start minutes (from midnight) for consecutive sessions in one room, within 9:00-17:30, with a lunch gap.

    The durations must fit the day; gaps are spread evenly and never push a later session past 17:30.
    """
    spare = DAY_END_MIN - DAY_START_MIN - sum(durations)
    even_gap = spare // max(1, len(durations)) // 15 * 15
    starts, cursor, lunched = [], DAY_START_MIN, False
    for k, duration in enumerate(durations):
        starts.append(cursor)
        cursor += duration
        gap = max(0, even_gap + rng.choice((-15, 0, 0, 15)))
        if not lunched and cursor >= LUNCH_MIN - 30:
            gap, lunched = max(gap, 60), True
        cursor += min(gap, DAY_END_MIN - cursor - sum(durations[k + 1:]))
    return starts


def _split(items: list, parts: int) -> list[list]:
    size, extra = divmod(len(items), parts)
    out, i = [], 0
    for p in range(parts):
        step = size + (1 if p < extra else 0)
        out.append(items[i:i + step])
        i += step
    return out


def _prose(tag: str) -> str:
    """A lower-case tag as written in a sentence ('llms' -> 'LLMs')."""
    return TAG_PROSE.get(tag, tag)


def _outcomes(session_type: str, tags: list[str]) -> list[str]:
    a, b = _prose(tags[0]), _prose(tags[-1])
    if session_type == "workshop":
        return [f"Practise {a} hands-on", f"Leave with a reusable template for {b}"]
    if session_type == "panel":
        return [f"Hear how practitioners approach {a}", f"Compare strategies for {b}"]
    return [f"Understand the trade-offs in {a}", f"Apply proven patterns for {b}"]


def _description(title: str, session_type: str, difficulty: str, tags: list[str], track: str) -> str:
    topic = re.sub(r"^(Panel|Workshop|Hands-on):\s*", "", title)
    kind = {"talk": "talk", "workshop": "hands-on workshop", "panel": "panel discussion"}[session_type]
    first = f'This {kind} in the {track} track is about "{topic}".'
    second = (f"Expect concrete examples on {_join([_prose(t) for t in tags[:2]])} "
              "from teams that have done it in production.")
    third = {"beginner": "No prior experience is needed.",
             "intermediate": f"Best for people who already work with {_prose(tags[0])}.",
             "advanced": f"It is a deep dive, so familiarity with {_prose(tags[0])} is assumed."}[difficulty]
    return " ".join((first, second, third))


def _speakers(rng: random.Random, count_per_track: int) -> dict[str, list[dict]]:
    taken: set[str] = set()
    by_track: dict[str, list[dict]] = {}
    for track, spec in TRACKS.items():
        tags = sorted({t for _, _, ts in spec["sessions"] for t in ts})
        speakers = []
        for _ in range(count_per_track):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            title = rng.choice(SPEAKER_TITLES)
            industry = rng.choice(spec["industries"])
            company = (rng.choice(VC_FIRMS)[0] if title == "Venture Partner"
                       else rng.choice(INDUSTRIES[industry]["companies"])[0])
            expertise = rng.sample(tags, rng.randint(2, 4))
            offerings = rng.sample(SPEAKER_OFFERINGS, rng.randint(1, 3))
            years = rng.randint(10, 25)
            lesson = _prose(expertise[2]) if len(expertise) > 2 else "growing teams"
            bio = (f"{first} {last} is {_article(title)} {title} at {company}, leading work on "
                   f"{_join([_prose(t) for t in expertise[:2]])}. {first} has {years} years of experience "
                   f"and enjoys sharing practical lessons on {lesson}.")
            speakers.append({
                "name": f"{first} {last}",
                "email": _unique_email(f"{_ascii_slug(first)}.{_ascii_slug(last)}", "example.org", taken),
                "title": title,
                "company": company,
                "bio": bio,
                "expertise": expertise,
                "offerings": offerings,
            })
        by_track[track] = speakers
    return by_track


def generate_demo_program(seed: int = 7, days: int = 2,
                          start: date = date(2026, 12, 8)) -> tuple[list[dict], list[dict]]:
    """(sessions, speakers) for a made-up `days`-day conference: 5 tracks, one room each, 40 sessions."""
    if days < 1:
        raise ValueError("days must be at least 1")
    rng = random.Random(f"program-{seed}")
    speakers_by_track = _speakers(rng, count_per_track=6)
    sessions: list[dict] = []
    for track, spec in TRACKS.items():
        room, track_speakers = spec["room"], speakers_by_track[track]
        for day_index, chunk in enumerate(_split(list(enumerate(spec["sessions"])), days)):
            durations = [rng.choice((30, 45, 60)) for _ in chunk]
            if sum(durations) > DAY_END_MIN - DAY_START_MIN:
                durations = [30] * len(chunk)
            starts = _day_starts(rng, durations)
            day = start + timedelta(days=day_index)
            midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
            for (i, (title, session_type, tags)), minute, duration in zip(chunk, starts, durations, strict=False):
                primary = track_speakers[i % len(track_speakers)]
                emails = [primary["email"]]
                if session_type == "panel" or rng.random() < 0.2:
                    emails.append(rng.choice([s for s in track_speakers if s is not primary])["email"])
                difficulty = rng.choices(("beginner", "intermediate", "advanced"),
                                         weights=(3, 4, 1 if session_type == "workshop" else 2))[0]
                lo, hi = ROOM_CAPACITY[room]
                capacity = rng.randint(lo, hi) if session_type != "workshop" else rng.randint(25, 60)
                starts_at = midnight + timedelta(minutes=minute)
                sessions.append({
                    "external_id": "",
                    "title": title,
                    "description": _description(title, session_type, difficulty, tags, track),
                    "starts_at": starts_at,
                    "ends_at": starts_at + timedelta(minutes=duration),
                    "room": room,
                    "track": track,
                    "session_type": session_type,
                    "difficulty": difficulty,
                    "tags": list(tags),
                    "outcomes": _outcomes(session_type, tags),
                    "target_audience": rng.sample(spec["audience"], rng.randint(2, 3)),
                    "capacity": capacity,
                    "speaker_emails": emails,
                })
    sessions.sort(key=lambda s: (s["starts_at"], s["room"]))
    for number, session in enumerate(sessions, start=1):
        session["external_id"] = f"demo-{number:03d}"
    speakers = [s for track in TRACKS for s in speakers_by_track[track]]
    return sessions, speakers


# --------------------------------------------------------------------------------------------- alumni

_JITTER_DEG = 0.049  # just under 0.05 so rounding to 5 decimals never exceeds it


class _Visibility:
    def __init__(self) -> None:
        self.values = [value for value, _ in VISIBILITY_MIX]
        self.weights = [weight for _, weight in VISIBILITY_MIX]

    def __call__(self, rng: random.Random) -> str:
        return rng.choices(self.values, weights=self.weights)[0]


def _slack(role: RoleTemplate) -> int:
    """Extra years someone may stay in a role after its typical range (never for students and juniors)."""
    return 0 if role.family in ("student", "junior") else 5

def generate_demo_alumni(n: int = 3000, seed: int = 7) -> list[dict]:
    """`n` made-up alumni with a current job, a role history leading to it, a visibility (mostly community) and a
    geocoded home city (lat/lon jittered by <= 0.05 degrees)."""
    rng = random.Random(f"alumni-{seed}")
    careers = random.Random(f"alumni-careers-{seed}")  # own stream: histories leave the other fields as they were
    visibilities = _Visibility()
    coords = _resolved_cities()
    city_weights = [w for _, _, w in CITIES]
    departments = list(DEPARTMENTS)
    years_range = list(range(1995, DEMO_YEAR))
    year_weights = [1 + (y - 1995) // 5 for y in years_range]  # more recent classes are larger
    eligible: dict[tuple[str, int], list[RoleTemplate]] = {}
    taken: set[str] = set()
    alumni: list[dict] = []
    for _ in range(n):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        department = rng.choice(departments)
        industries, department_skills = DEPARTMENTS[department]
        industry = rng.choice(industries)
        batch_year = rng.choices(years_range, weights=year_weights)[0]
        years = DEMO_YEAR - batch_year - 1
        key = (industry, years)
        roles = eligible.get(key)
        if roles is None:
            roles = [r for r in _roles_for(industry) if r.years[0] <= years <= r.years[1] + _slack(r)]
            eligible[key] = roles
        role = rng.choices(roles, weights=[r.weight for r in roles])[0]
        company, _ = _company_for(rng, role, industry, last)
        city, country, _ = rng.choices(CITIES, weights=city_weights)[0]
        lat, lon = coords[(city, country)]
        skills = list(dict.fromkeys([*rng.sample(role.skills, min(2, len(role.skills))),
                                     *rng.sample(department_skills, 1),
                                     *rng.sample(INDUSTRIES[industry]["skills"], rng.randint(0, 2))]))
        local = f"{_ascii_slug(first)}.{_ascii_slug(last)}.{batch_year % 100:02d}"
        email = _unique_email(local, "example.org", taken)
        slug = f"example-{_ascii_slug(first, '-')}-{_ascii_slug(last, '-')}-{rng.randrange(16**6):06x}"
        alumni.append({
            "email": email,
            "name": f"{first} {last}",
            "batch_year": batch_year,
            "department": department,
            "current_company": company,
            "current_role": role.title,
            "industry": industry,
            "location": f"{city}, {country}",
            "lat": round(lat + rng.uniform(-_JITTER_DEG, _JITTER_DEG), 5),
            "lon": round(lon + rng.uniform(-_JITTER_DEG, _JITTER_DEG), 5),
            "skills": skills,
            "linkedin_url": f"https://www.linkedin.com/in/{slug}" if rng.random() < 0.6 else None,
            "skill_keys": skill_keys(skills),
            "role_history": demo_role_history(careers, role.title, years, company,
                                              [name for name, _ in INDUSTRIES[industry]["companies"]]),
            "visibility": visibilities(careers),
        })
    return alumni
