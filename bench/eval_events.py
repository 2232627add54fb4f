"""Held-out matchmaking evaluation events: planted complementary pairs written in unfamiliar vocabularies.

    .venv/bin/python -m bench.eval_events --vocab report_maritime --seed 7 --free-text 0.5 --out DIR
    .venv/bin/python -m bench.eval_events --preset unfamiliar --out DIR

Each planted pair (hire, mentor, sell, invest, partners) is complementary in its goals and names one concept
with a different surface form on each side; every planted person gets two distractors that reuse their exact
strings but point the wrong way, and background people fill the event. On top of that an event can hide
skills in prose only, drop every tag for some people, leave background people sparse and misspell forms.
Prose comes from one of two disjoint template families ("tune" and "report") so that tuning never sees the
sentences a report is measured on. Writes DIR/attendees.csv (registration upload format) and DIR/pairs.csv.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
from dataclasses import asdict, dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VOCAB_DIR = Path(__file__).resolve().parent / "eval_vocab"
PUBLIC_EVENT = ROOT.parent / "shared" / "eval" / "matching_public"
KINDS = ("hire", "mentor", "sell", "invest", "partners")
COLUMNS = ("email", "first_name", "last_name", "company", "role", "industry", "company_size", "years_experience",
           "interests", "goals", "skills_offered", "skills_needed", "bio", "problem_statement", "city", "country",
           "allow_enrichment")
LIST_COLUMNS = ("interests", "goals", "skills_offered", "skills_needed")
ALL_GOALS = ("LEARN", "NETWORK", "HIRE", "GET_HIRED", "FIND_PARTNERS", "FIND_INVESTORS", "INVEST", "SELL", "BUY",
             "MENTOR", "GET_MENTORED")
COMPLEMENT = {"HIRE": "GET_HIRED", "GET_HIRED": "HIRE", "MENTOR": "GET_MENTORED", "GET_MENTORED": "MENTOR",
              "SELL": "BUY", "BUY": "SELL", "FIND_INVESTORS": "INVEST", "INVEST": "FIND_INVESTORS",
              "FIND_PARTNERS": "FIND_PARTNERS", "LEARN": "MENTOR"}
COMPANY_SIZES = ("SOLO", "STARTUP_1_10", "SMALL_11_50", "MEDIUM_51_200", "LARGE_201_1000", "ENTERPRISE_1000_PLUS")
FIRST_NAMES = ("Adaeze", "Bruno", "Carmen", "Dmitri", "Esther", "Farid", "Greta", "Hiroshi", "Ines", "Jonas", "Kalani",
               "Leila", "Marek", "Nadia", "Oskar", "Paloma", "Rafael", "Saoirse", "Tariq", "Ulla", "Vera", "Wiremu",
               "Yara", "Zeynep", "Anders", "Beatriz", "Cyrus", "Dagny", "Emeka", "Freya")
LAST_NAMES = ("Achterberg", "Bianchi", "Chowdhury", "Delacroix", "Esposito", "Fonseca", "Gallagher", "Haddad",
              "Ivanova", "Johansson", "Kowalski", "Lindqvist", "Mbeki", "Novak", "Ortega", "Papadopoulos", "Ramos",
              "Sato", "Thorsen", "Urquhart", "Vasquez", "Whitfield", "Yamamoto", "Zielinski", "Adeyemi", "Brennan")
PLACES = (("Rotterdam", "Netherlands"), ("Hamburg", "Germany"), ("Bordeaux", "France"), ("Adelaide", "Australia"),
          ("Valparaiso", "Chile"), ("Cape Town", "South Africa"), ("Porto", "Portugal"), ("Busan", "South Korea"),
          ("Vancouver", "Canada"), ("Edinburgh", "United Kingdom"))
# The importer needs at least one interest: people who wrote only prose keep one of these content-free ones.
NEUTRAL_INTERESTS = ("meeting peers", "local meetups", "trade news", "career moves", "site visits",
                     "regional events", "new contacts", "industry gossip")
COMPANY_SUFFIXES = ("& Co", "Collective", "Trading", "Associates", "Works", "Cooperative", "Holdings")
BACKGROUND_ROLES = ("Specialist", "Technician", "Coordinator", "Consultant", "Manager", "Researcher", "Inspector",
                    "Advisor")
ROLES = {
    "hirer": ("Operations Manager", "Hiring Manager", "Team Lead", "Site Manager"),
    "job_seeker": ("Senior Specialist", "Technician", "Specialist", "Field Consultant"),
    "mentor": ("Director", "Principal Consultant", "Chief Specialist"),
    "mentee": ("Trainee", "Apprentice", "Junior Specialist", "Graduate"),
    "seller": ("Founder", "Sales Director", "Managing Director"),
    "buyer": ("Head of Operations", "Procurement Lead", "Operations Director"),
    "founder": ("CEO & Co-founder", "Founder"),
    "investor": ("Partner", "Angel Investor", "Principal"),
    "partner": ("Co-founder", "Owner", "Managing Director"),
}
# Common truncations people write instead of a whole word.
TRUNCATIONS = {"management": "mgmt", "development": "dev", "engineering": "eng", "operations": "ops",
               "operation": "ops", "production": "prod", "maintenance": "maint", "inspection": "insp",
               "analysis": "anlys", "planning": "plng", "collection": "coll", "collections": "colls",
               "conservation": "cons", "environmental": "env", "control": "ctrl"}

# Prose templates, by family and by what the sentence says. {x} is a concept or industry phrase; needs go to
# the problem statement, everything else to the bio. The two families share no template.
TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "tune": {
        "hirer": (
            "We're hiring: looking for someone who really knows {x}.",
            "Our crew is short-handed on {x} and I have budget for two hires.",
            "I need to bring in a person for {x} before next season.",
            "Open role on my team - {x} is the core of it.",
            "If {x} is your thing and you want a new job, come find me.",
            "Recruiting this quarter; the gap is {x}.",
        ),
        "job_seeker": (
            "I've done {x} for the last six years and I'm open to a new position.",
            "Looking for my next job. Most of my work has been {x}.",
            "Between contracts at the moment; my background is {x}.",
            "Hands-on with {x} since my first job, now ready for a move.",
            "Seeking a permanent role where {x} matters.",
            "My strongest skill is {x} and I'd like to find a team that needs it.",
        ),
        "mentor": (
            "Twenty-odd years in {x}; glad to coach anyone starting out.",
            "I mentor newcomers in {x} - happy to add one or two more.",
            "If you're early on and stuck on {x}, I'll gladly share what I learned.",
            "Been doing {x} for a long time and I like passing it on.",
            "Offering an hour a month to people learning {x}.",
            "I spent most of my career on {x} and want to give back.",
        ),
        "mentee": (
            "First year in the trade and I want a mentor for {x}.",
            "I'm new and keen to learn {x} from someone experienced.",
            "Still a beginner at {x} - would love regular guidance.",
            "Looking for an old hand who can show me {x}.",
            "Could use a mentor: {x} is where I keep getting stuck.",
            "Just started; {x} is the thing I most want to get good at.",
        ),
        "seller": (
            "We make a product for {x} and are looking for customers.",
            "Our company sells services around {x}.",
            "We built a tool that takes the pain out of {x}.",
            "Selling a service for {x} to operators across the region.",
            "Our offer: {x} done properly, at a fair price.",
            "We supply kit and know-how for {x}.",
        ),
        "buyer": (
            "Shopping for a supplier for {x} this year.",
            "We want to buy a solution for {x}; quotes welcome.",
            "Comparing vendors for {x} right now.",
            "Need an outside provider for {x} - our current one is failing us.",
            "We have budget set aside for {x} and need someone to sell us it.",
            "Looking to purchase help with {x}.",
        ),
        "founder": (
            "Raising our first round for a {x} startup.",
            "Founder of a young {x} business, looking for investors.",
            "We're a small {x} company seeking seed money.",
            "Looking for backers: we're building something new in {x}.",
            "Pre-seed {x} venture, talking to investors this month.",
            "Our {x} company needs capital to grow.",
        ),
        "investor": (
            "I invest early in {x}.",
            "Angel investor with a soft spot for {x}.",
            "Our fund writes first cheques into {x} companies.",
            "Looking for founders in {x} to back.",
            "I back small teams in {x}.",
            "Actively investing in {x} this year.",
        ),
        "partner_offer": (
            "I bring {x} to the table.",
            "My side of any partnership would be {x}.",
            "What I can contribute is deep {x} know-how.",
            "I run the {x} part of our business.",
            "Strong in {x}; looking for a complementary co-founder.",
            "{x} is what I'm good at.",
        ),
        "partner_need": (
            "Looking for a partner who covers {x}.",
            "We lack {x} and want a co-founder for it.",
            "Need someone to own {x} alongside me.",
            "Our missing piece is {x}.",
            "Seeking a business partner with {x} experience.",
            "I'd team up with anyone strong in {x}.",
        ),
        "offer": (
            "Work mostly on {x}.",
            "My day job is {x}.",
            "Experienced in {x}.",
            "I handle {x} for a living.",
        ),
        "need": (
            "Trying to get better at {x}.",
            "Currently struggling with {x}.",
            "Want to learn more about {x}.",
            "Hoping to find help with {x}.",
        ),
        "interest": (
            "Curious about {x}.",
            "Follow {x} closely.",
            "Interested in {x}.",
            "Keen on {x}.",
        ),
    },
    "report": {
        "hirer": (
            "Our team keeps hitting walls with {x}, so we're adding headcount for it.",
            "Anyone who knows {x} well and fancies a change of employer, let's talk.",
            "Two vacancies open and both are about {x}.",
            "We have to staff up on {x} by spring - I'm the one doing the interviews.",
            "Nobody on payroll can do {x} properly yet; that's the job I'm filling.",
            "Hiring! The person I want can run {x} without supervision.",
            "{x} is where we're understaffed, and I've got sign-off for a permanent post.",
        ),
        "job_seeker": (
            "I've spent eight years on {x} and I'm after my next employer.",
            "{x} has been my bread and butter; the contract ends in June, so I'm job hunting.",
            "Ready for a new post. Ask me anything about {x}.",
            "Most of my working life went into {x}; now I'd like a permanent team.",
            "Looking to be hired by a crew that values {x}.",
            "After a decade doing {x} elsewhere, I'm open to offers.",
            "Available from next month - {x} is what I do best.",
        ),
        "mentor": (
            "People who mentored me taught me {x}; I'd like to return the favour.",
            "Happy to buy a coffee for anyone new to {x} and answer questions.",
            "{x} took me years to get right, and I'd rather you didn't need that long.",
            "Semi-retired, with plenty of time for apprentices interested in {x}.",
            "Keen to guide the next generation through {x}.",
            "I still love explaining {x} to people just starting.",
            "Ask me about {x} - coaching juniors is my favourite part of the week.",
        ),
        "mentee": (
            "Six months into my first job and {x} still confuses me; a mentor would help.",
            "Would really value someone patient enough to walk me through {x}.",
            "Newcomer here. {x} is the skill I'm trying to build.",
            "I'm at the very start of my career, hoping to learn {x} from a pro.",
            "Trying to find guidance on {x} from someone who has done it for years.",
            "Apprentice, eager to be mentored in {x}.",
            "The part of the work I understand least is {x}, and I'd love a mentor for it.",
        ),
        "seller": (
            "Customers come to us when {x} gets too much for them.",
            "{x} is what we sell, and we're keen to meet new clients.",
            "We've packaged {x} into a service other firms can simply buy.",
            "Our business exists to make {x} easy for everyone else.",
            "Meet us if you pay someone for {x} and want a better deal.",
            "Twelve staff, one offering: {x}.",
            "Taking on new accounts for {x} this season.",
        ),
        "buyer": (
            "Our team keeps hitting walls with {x} and we're ready to pay someone to fix it.",
            "Budget approved: we're buying outside help for {x}.",
            "Who sells {x}? We've outgrown doing it ourselves.",
            "Running a tender for {x} next month, suppliers welcome.",
            "{x} costs us too much in-house, so we want a provider.",
            "Need a vendor who can take {x} off our hands.",
            "Looking to sign a contract for {x} before the busy period.",
        ),
        "founder": (
            "We started a {x} company last year and are now out to raise money.",
            "Seed funding wanted for our {x} venture.",
            "Pitching investors this month: a fresh idea for {x}.",
            "{x} is overdue for change, and our startup needs backers to do it.",
            "Closing a first round soon; we operate in {x}.",
            "Bootstrapped so far in {x}, now looking for outside capital.",
            "If you fund {x} businesses, I'd love ten minutes.",
        ),
        "investor": (
            "My money goes into {x} ventures at the earliest stage.",
            "Backing founders in {x} is what I do.",
            "We've made a dozen bets on {x} and want more.",
            "Putting capital behind {x} startups this year.",
            "Our fund's thesis is {x}.",
            "If you are building in {x} and raising, pitch me.",
            "I write small first cheques for {x} companies.",
        ),
        "partner_offer": (
            "On my side, {x} is covered - I've run it for years.",
            "{x} is the thing I could own in a joint venture.",
            "Whoever teams up with me gets {x} handled.",
            "I've built a reputation for {x}.",
            "Our half of the deal would be {x}.",
            "Bringing {x} expertise to any partnership.",
            "I know {x} inside out.",
        ),
        "partner_need": (
            "What we can't do is {x}, so we want a partner who can.",
            "Anyone who knows {x} well, let's talk about joining forces.",
            "A co-founder for {x} would complete our team.",
            "Partnering with someone strong in {x} is our plan for this year.",
            "The hole in our business is {x}.",
            "Seeking a collaborator to take over {x}.",
            "We'd split the venture with whoever can handle {x}.",
        ),
        "offer": (
            "Spend my days on {x}.",
            "{x} is my trade.",
            "Years of {x} behind me.",
            "Known locally for {x}.",
            "Paid to do {x}.",
        ),
        "need": (
            "{x} keeps tripping us up.",
            "Could do with a hand on {x}.",
            "We're weak on {x}.",
            "Looking into {x} at the moment.",
            "{x} is our current headache.",
        ),
        "interest": (
            "Fascinated by {x}.",
            "Reading a lot about {x} lately.",
            "Off the clock I think about {x}.",
            "{x} is a hobby of mine.",
            "Always up for a chat about {x}.",
        ),
    },
}
NEEDS = {"hirer", "mentee", "buyer", "founder", "partner_need", "need"}


@dataclass(frozen=True)
class EventSettings:
    """How one evaluation event is generated."""

    pairs: int = 60
    background: int = 360
    free_text: float = 0.0  # share of planted partners whose skill tags are removed (their prose keeps them)
    prose_only: float = 0.0  # share of everyone who wrote no skill tags and one neutral interest, only prose
    sparse: float = 0.0  # share of background people with only a role and two interests
    typos: float = 0.0  # per written form: probability of a typo or an abbreviation
    split: str = "report"  # which prose template family to use: "tune" or "report"
    seed: int = 7


def vocab_path(name: str) -> Path:
    """The JSON file of a vocabulary name ('report_maritime') or path."""
    path = Path(name)
    return path if path.suffix == ".json" and path.exists() else VOCAB_DIR / f"{name}.json"


PRESETS: dict[str, tuple[str, EventSettings]] = {
    "public": ("public", EventSettings()),
    "unfamiliar": ("report_maritime", EventSettings(free_text=0.5)),
    "prose": ("report_viticulture", EventSettings(prose_only=0.6, free_text=0.5)),
    "sparse": ("report_conservation", EventSettings(sparse=0.5)),
    "typos": ("report_maritime", EventSettings(typos=0.2)),
    # a 3,000-person event spans several fields: sixteen concepts would give each one ~20 equally good partners
    "large": ("report_conservation+report_maritime+report_viticulture", EventSettings(
        pairs=300, background=1800, free_text=0.5, prose_only=0.3, sparse=0.3, typos=0.1)),
    "tune-unfamiliar": ("tune_apiculture", EventSettings(free_text=0.5, split="tune")),
    "tune-prose": ("tune_brewing", EventSettings(prose_only=0.6, free_text=0.5, split="tune")),
    "tune-large": ("tune_forestry+tune_apiculture+tune_brewing", EventSettings(
        pairs=300, background=1800, free_text=0.5, prose_only=0.3, sparse=0.3, typos=0.1, split="tune")),
}


def load_vocab(name: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(concepts, industries) of a vocabulary file, or of several joined with '+' (a large event spans fields)."""
    concepts: dict[str, list[str]] = {}
    industries: dict[str, list[str]] = {}
    for part in name.split("+"):
        spec = json.loads(vocab_path(part).read_text(encoding="utf-8"))
        concepts.update({f"{part}:{k}": v for k, v in spec["concepts"].items()})
        industries.update({f"{part}:{k}": v for k, v in spec["industries"].items()})
    return concepts, industries


def misspell(form: str, rng: random.Random) -> str:
    """A realistic slip: an acronym or truncation, or one adjacent swap, dropped or doubled letter."""
    words = form.split()
    truncatable = [i for i, w in enumerate(words) if w.lower() in TRUNCATIONS]
    choice = rng.random()
    if truncatable and choice < 0.3:
        i = rng.choice(truncatable)
        words[i] = TRUNCATIONS[words[i].lower()]
        return " ".join(words)
    if len(words) >= 2 and choice < 0.45:
        return "".join(w[0] for w in words if w[0].isalnum()).upper()
    long_words = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not long_words:
        return form
    i = rng.choice(long_words)
    word = words[i]
    at = rng.randrange(1, len(word) - 1)
    slip = rng.choice(("swap", "drop", "double"))
    if slip == "swap":
        word = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    elif slip == "drop":
        word = word[:at] + word[at + 1:]
    else:
        word = word[:at] + word[at] + word[at:]
    words[i] = word
    return " ".join(words)


def sentence(template: str, phrase: str) -> str:
    """Fill a template; a phrase that opens the sentence gets a capital letter."""
    text = template.format(x=phrase)
    return text[0].upper() + text[1:] if template.startswith("{x}") else text


class EventGenerator:
    """Builds the people and planted pairs of one event."""

    def __init__(self, concepts: dict[str, list[str]], industries: dict[str, list[str]], settings: EventSettings):
        if settings.split not in TEMPLATES:
            raise ValueError(f"split must be one of {sorted(TEMPLATES)}")
        self.concepts, self.industries, self.settings = concepts, industries, settings
        self.templates = TEMPLATES[settings.split]
        self.rng = random.Random(settings.seed)
        self.people: list[dict] = []
        self.pairs: list[tuple[str, str, str]] = []

    # ------------------------------------------------------------------ forms and prose

    def written(self, form: str) -> str:
        return misspell(form, self.rng) if self.rng.random() < self.settings.typos else form

    def form(self, concept: str, side: int) -> str:
        """Side 0 always writes the first form; side 1 one of the others."""
        forms = self.concepts[concept]
        return self.written(forms[0] if side == 0 else self.rng.choice(forms[1:]))

    def industry(self, name: str, side: int) -> str:
        forms = self.industries[name]
        return self.written(forms[0] if side == 0 else self.rng.choice(forms[1:]))

    def say(self, person: dict, role: str, phrase: str) -> None:
        """Append a sentence in this family's words to the person's bio or problem statement."""
        field = "problem_statement" if role in NEEDS else "bio"
        text = sentence(self.rng.choice(self.templates[role]), phrase)
        person[field] = f"{person[field]} {text}".strip()

    # ------------------------------------------------------------------ people

    def person(self, role: str, goals: list[str], **fields) -> dict:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        city, country = self.rng.choice(PLACES)
        person = {
            "email": f"{first.lower()}.{last.lower()}.{len(self.people) + 1}@example.net",
            "first_name": first, "last_name": last,
            "company": f"{self.rng.choice(LAST_NAMES)} {self.rng.choice(COMPANY_SUFFIXES)}",
            "role": role, "industry": "", "company_size": self.rng.choice(COMPANY_SIZES),
            "years_experience": self.rng.randint(2, 14), "interests": [], "goals": goals, "skills_offered": [],
            "skills_needed": [], "bio": "", "problem_statement": "", "city": city, "country": country,
            "allow_enrichment": self.rng.choice(("true", "false")), "prose_only": False,
        }
        person.update(fields)
        self.people.append(person)
        return person

    def describe(self, person: dict, lines: list[tuple[str, str]], tags_missing: bool) -> None:
        """Write the person's prose; when tags are missing, prose also carries their interests."""
        for role, phrase in lines:
            self.say(person, role, phrase)
        if tags_missing:
            for interest in person["interests"]:
                self.say(person, "interest", interest)

    def finish(self, person: dict, lines: list[tuple[str, str]], always_prose: bool) -> None:
        """Decide whether the person is prose-only, and write prose when they are or when asked to."""
        prose_only = self.rng.random() < self.settings.prose_only
        if prose_only or always_prose:
            self.describe(person, lines, tags_missing=prose_only)
        if prose_only:
            person.update(skills_offered=[], skills_needed=[], interests=[self.rng.choice(NEUTRAL_INTERESTS)],
                          prose_only=True)

    def plant(self, kind: str) -> None:
        """One complementary pair, then two distractors for each side."""
        r = self.rng
        c, c2 = r.sample(list(self.concepts), 2)
        ind = r.choice(list(self.industries))
        shared = r.choice([x for x in self.concepts if x not in (c, c2)])
        interest_a, interest_b = self.form(shared, 0), self.form(shared, 1)
        if kind == "hire":
            need, offer = self.form(c, 0), self.form(c, 1)
            a = self.person(r.choice(ROLES["hirer"]), ["HIRE"], skills_needed=[need], interests=[interest_a],
                            industry=self.industry(ind, 0))
            b = self.person(r.choice(ROLES["job_seeker"]), ["GET_HIRED"], skills_offered=[offer],
                            interests=[interest_b], industry=self.industry(ind, 1))
            lines_a, lines_b = [("hirer", need)], [("job_seeker", offer)]
        elif kind == "mentor":
            offer, need = self.form(c, 0), self.form(c, 1)
            a = self.person(r.choice(ROLES["mentor"]), ["MENTOR"], skills_offered=[offer], interests=[interest_a],
                            years_experience=r.randint(15, 30))
            b = self.person(r.choice(ROLES["mentee"]), ["GET_MENTORED", "LEARN"], skills_needed=[need],
                            interests=[interest_b], years_experience=r.randint(0, 2))
            lines_a, lines_b = [("mentor", offer)], [("mentee", need)]
        elif kind == "sell":
            offer, need = self.form(c, 0), self.form(c, 1)
            a = self.person(r.choice(ROLES["seller"]), ["SELL"], skills_offered=[offer], interests=[interest_a])
            b = self.person(r.choice(ROLES["buyer"]), ["BUY"], skills_needed=[need], interests=[interest_b])
            lines_a, lines_b = [("seller", offer)], [("buyer", need)]
        elif kind == "invest":
            sector_a, sector_b = self.industry(ind, 0), self.industry(ind, 1)
            a = self.person(r.choice(ROLES["founder"]), ["FIND_INVESTORS"], industry=sector_a, interests=[sector_a])
            b = self.person(r.choice(ROLES["investor"]), ["INVEST"], industry="Venture capital", interests=[sector_b])
            lines_a, lines_b = [("founder", sector_a)], [("investor", sector_b)]
        else:  # partners with crossed skills
            offer_a, need_a, offer_b, need_b = self.form(c, 0), self.form(c2, 0), self.form(c2, 1), self.form(c, 1)
            a = self.person(r.choice(ROLES["partner"]), ["FIND_PARTNERS"], skills_offered=[offer_a],
                            skills_needed=[need_a], interests=[interest_a])
            b = self.person(r.choice(ROLES["partner"]), ["FIND_PARTNERS"], skills_offered=[offer_b],
                            skills_needed=[need_b], interests=[interest_b])
            lines_a = [("partner_offer", offer_a), ("partner_need", need_a)]
            lines_b = [("partner_offer", offer_b), ("partner_need", need_b)]
        self.finish(a, lines_a, always_prose=True)
        self.finish(b, lines_b, always_prose=True)
        if not b["prose_only"] and r.random() < self.settings.free_text:
            b.update(skills_offered=[], skills_needed=[])  # the partner wrote their skills only as prose
        self.pairs.append((a["email"], b["email"], kind))
        for source, lines in ((a, lines_a), (b, lines_b)):
            self.distractors(source, lines, {c, c2, shared})

    def distractors(self, source: dict, lines: list[tuple[str, str]], used: set[str]) -> None:
        """Same goal and same strings as the source; and the complementary goal with unrelated skills."""
        r = self.rng
        same = self.person(source["role"], list(source["goals"]), industry=source["industry"],
                           skills_needed=list(source["skills_needed"]),
                           skills_offered=list(source["skills_offered"]), interests=list(source["interests"]))
        self.finish(same, lines, always_prose=r.random() < 0.5)
        wrong = r.sample([x for x in self.concepts if x not in used], 2)
        offer, need = self.form(wrong[0], 0), self.form(wrong[1], 0)
        goal = COMPLEMENT[source["goals"][0]]
        crossed = self.person(r.choice(BACKGROUND_ROLES), [goal], industry=source["industry"],
                              skills_offered=[offer], skills_needed=[need],
                              interests=list(source["interests"]) + [self.form(wrong[1], 1)])
        self.finish(crossed, [("offer", offer), ("need", need)], always_prose=r.random() < 0.5)

    def background(self) -> None:
        """Someone unplanted; sparse ones give only a role and two interests (and NETWORK, as a goal is required)."""
        r = self.rng
        picked = r.sample(list(self.concepts), 4)
        interests = [self.form(picked[0], r.randint(0, 1)), self.form(picked[1], r.randint(0, 1))]
        if r.random() < self.settings.sparse:
            self.person(r.choice(BACKGROUND_ROLES), ["NETWORK"], interests=interests)
            return
        offer = self.form(picked[2], r.randint(0, 1))
        need = self.form(picked[3], r.randint(0, 1)) if r.random() < 0.5 else None
        person = self.person(r.choice(BACKGROUND_ROLES), list(r.sample(ALL_GOALS, r.randint(1, 2))),
                             interests=interests, skills_offered=[offer], skills_needed=[need] if need else [],
                             industry=self.industry(r.choice(list(self.industries)), r.randint(0, 1)))
        lines = [("offer", offer)] + ([("need", need)] if need else [])
        self.finish(person, lines, always_prose=r.random() < 0.5)

    def generate(self) -> None:
        for i in range(self.settings.pairs):
            self.plant(KINDS[i % len(KINDS)])
        for _ in range(self.settings.background):
            self.background()
        self.rng.shuffle(self.people)


def generate_event(vocab: str, settings: EventSettings) -> EventGenerator:
    """The people and pairs of one event (deterministic for settings.seed)."""
    concepts, industries = load_vocab(vocab)
    generator = EventGenerator(concepts, industries, settings)
    generator.generate()
    return generator


def write_event(generator: EventGenerator, out: Path) -> None:
    """DIR/attendees.csv (registration upload format) and DIR/pairs.csv."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "attendees.csv", "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(COLUMNS), extrasaction="ignore")
        writer.writeheader()
        for person in generator.people:
            writer.writerow({**person, **{k: ";".join(person[k]) for k in LIST_COLUMNS}})
    with open(out / "pairs.csv", "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["email_a", "email_b", "kind"])
        writer.writerows(generator.pairs)


def preset_event(name: str, seed: int | None = None) -> tuple[str, EventSettings]:
    """(vocab, settings) of a named preset, optionally with another seed."""
    vocab, settings = PRESETS[name]
    return vocab, settings if seed is None else replace(settings, seed=seed)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.eval_events", description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", choices=[p for p in PRESETS if p != "public"], help="a named event")
    parser.add_argument("--vocab", help="a vocabulary name in bench/eval_vocab (e.g. report_maritime) or a JSON path")
    parser.add_argument("--seed", type=int)
    defaults = EventSettings()
    for name in ("pairs", "background"):
        parser.add_argument(f"--{name}", type=int)
    for name in ("free_text", "prose_only", "sparse", "typos"):
        parser.add_argument(f"--{name.replace('_', '-')}", dest=name, type=float)
    parser.add_argument("--split", choices=sorted(TEMPLATES))
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    vocab, settings = PRESETS[args.preset] if args.preset else (args.vocab, defaults)
    if not vocab:
        parser.error("give --preset or --vocab")
    overrides = {k: v for k, v in vars(args).items() if k in asdict(defaults) and v is not None}
    settings = replace(settings, **overrides)
    generator = generate_event(vocab, settings)
    write_event(generator, args.out)
    print(f"{len(generator.people)} attendees, {len(generator.pairs)} planted pairs -> {args.out}")


if __name__ == "__main__":
    main()
