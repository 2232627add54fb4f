"""Deterministic synthetic demo data (attendees, program, alumni); every person is made up."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from core.knowledge.geocode import get_gazetteer, normalize

GOALS = ("LEARN", "NETWORK", "HIRE", "GET_HIRED", "FIND_PARTNERS", "FIND_INVESTORS", "INVEST", "SELL", "BUY",
         "MENTOR", "GET_MENTORED")
COMPLEMENTARY_GOALS = (("HIRE", "GET_HIRED"), ("MENTOR", "GET_MENTORED"), ("INVEST", "FIND_INVESTORS"),
                       ("SELL", "BUY"))
COMPANY_SIZES = ("SOLO", "STARTUP_1_10", "SMALL_11_50", "MEDIUM_51_200", "LARGE_201_1000", "ENTERPRISE_1000_PLUS")
ATTENDEE_COLUMNS = ("email", "first_name", "last_name", "company", "role", "industry", "company_size",
                    "years_experience", "interests", "goals", "skills_offered", "skills_needed", "bio",
                    "problem_statement", "city", "country", "allow_enrichment")
BIO_MAX_CHARS = 400
_DEMO_YEAR = 2026

FIRST_NAMES = (
    "Aarav", "Priya", "Ananya", "Rohan", "Kavya", "Vikram", "Meera", "Arjun", "Chen", "Mei", "Wei", "Jun",
    "Hiroshi", "Yuki", "Sakura", "Min-jun", "Ji-woo", "Seo-yeon", "Linh", "Minh", "Thao", "Siti", "Budi",
    "Amara", "Chidi", "Ngozi", "Kwame", "Abena", "Wanjiru", "Otieno", "Zanele", "Thabo", "Fatima", "Omar",
    "Layla", "Youssef", "Noor", "Tariq", "Elif", "Emre", "Sofia", "Mateo", "Valentina", "Santiago", "Camila",
    "Lucas", "Isabela", "Gabriel", "José", "Lucía", "Emma", "Liam", "Olivia", "Noah", "Ava", "Ethan", "Maya",
    "Leo", "Chloé", "Hugo", "Léa", "Lukas", "Anna", "Jonas", "Lena", "Finn", "Sanne", "Daan", "Freya", "Erik",
    "Ingrid", "Aleksander", "Zofia", "Katarzyna", "Mikhail", "Daria", "Nikos", "Eleni", "Aoife", "Cian", "Zoë",
    "Renée", "Tomás", "Inês", "Kai", "Ari", "Nia", "Tane", "Aroha", "Dev", "Sana", "Imran", "Ayesha",
)
LAST_NAMES = (
    "Sharma", "Iyer", "Reddy", "Patel", "Nair", "Menon", "Gupta", "Rao", "Wang", "Li", "Zhang", "Liu", "Tanaka",
    "Sato", "Suzuki", "Kim", "Park", "Choi", "Nguyen", "Tran", "Pham", "Santoso", "Wijaya", "Okafor", "Adeyemi",
    "Eze", "Mensah", "Owusu", "Kamau", "Odhiambo", "Mwangi", "Dlamini", "Ndlovu", "Haddad", "Khalil", "Mansour",
    "Rahman", "Hossain", "Yilmaz", "Demir", "Garcia", "Rodriguez", "Martinez", "Lopez", "Fernandez", "Silva",
    "Santos", "Oliveira", "Costa", "Pereira", "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Clarke",
    "Murphy", "Kelly", "Dubois", "Lefèvre", "Moreau", "Müller", "Schmidt", "Fischer", "Weber", "Becker", "de Vries",
    "Jansen", "Bakker", "Andersson", "Johansson", "Nielsen", "Hansen", "Kowalski", "Nowak", "Novak", "Ivanova",
    "Petrov", "Papadopoulos", "Rossi", "Russo", "Bianchi", "Cohen", "Levi", "Ngata", "Walker", "Hughes", "Khan",
    "Ali", "Chowdhury", "Fonseca", "Ribeiro",
)

# Industry -> (noun used in prose, fictional companies with sizes, interests, skills, problem statements).
INDUSTRIES: dict[str, dict] = {
    "Fintech": {
        "noun": "fintech",
        "companies": [("Ledgerleaf", "STARTUP_1_10"), ("Brightvault Pay", "SMALL_11_50"),
                      ("Coinharbor", "MEDIUM_51_200"), ("Meridian Mutual Bank", "ENTERPRISE_1000_PLUS"),
                      ("Tallyfox", "STARTUP_1_10"), ("Kestrel Credit", "LARGE_201_1000")],
        "interests": ["Payments", "Open banking", "Fraud prevention", "Embedded finance", "Lending",
                      "RegTech", "Financial inclusion", "Stablecoins"],
        "skills": ["Payments infrastructure", "Risk modelling", "KYC/AML compliance", "Fraud analytics",
                   "Financial modelling", "Ledger design", "Open banking APIs"],
        "problems": [
            "Our fraud models flag too many legitimate payments, and every false positive costs us a customer.",
            "We are launching in two new markets and each one has a different KYC regime.",
            "Reconciling transactions across three payment providers still takes our finance team days.",
            "We struggle to underwrite small businesses that have almost no credit history.",
        ],
    },
    "Healthtech": {
        "noun": "healthtech",
        "companies": [("Pulsewise", "STARTUP_1_10"), ("CareLoop Health", "SMALL_11_50"),
                      ("Mediqa Systems", "MEDIUM_51_200"), ("Riverbend Health Network", "ENTERPRISE_1000_PLUS"),
                      ("Vitalnote", "STARTUP_1_10"), ("Clinibridge", "LARGE_201_1000")],
        "interests": ["Digital health", "Telemedicine", "Clinical AI", "Health data interoperability",
                      "Wearables", "Mental health tech", "Medical devices"],
        "skills": ["HL7/FHIR", "Clinical workflows", "Medical device regulation", "Health data analytics",
                   "Patient UX", "HIPAA/GDPR compliance"],
        "problems": [
            "Clinicians ignore our alerts because they arrive at the wrong moment in their workflow.",
            "Getting patient data out of legacy hospital systems takes months of integration work.",
            "We need clinical validation for our model but do not know how to design a credible study.",
            "Patients drop out of our remote monitoring programme after the first few weeks.",
        ],
    },
    "Climate Tech": {
        "noun": "climate tech",
        "companies": [("Carbonfield", "STARTUP_1_10"), ("Greenlattice Energy", "SMALL_11_50"),
                      ("Tidewater Grid", "MEDIUM_51_200"), ("Solstice Renewables", "LARGE_201_1000"),
                      ("Rootcycle", "STARTUP_1_10"), ("Atmosense Analytics", "SMALL_11_50")],
        "interests": ["Carbon accounting", "Renewable energy", "Energy storage", "Climate finance",
                      "Circular economy", "Sustainable supply chains", "Remote sensing"],
        "skills": ["Carbon accounting", "Energy modelling", "Life-cycle assessment", "GIS", "ESG reporting",
                   "Power systems", "Climate risk analysis"],
        "problems": [
            "Our customers cannot get reliable Scope 3 data from their suppliers.",
            "Utilities take eighteen months to run a pilot, which is longer than our runway.",
            "We have great satellite imagery but no scalable way to verify the carbon credits built on it.",
            "Financing small solar projects costs almost as much in diligence as the projects are worth.",
        ],
    },
    "E-commerce": {
        "noun": "e-commerce",
        "companies": [("Cartwheel Commerce", "MEDIUM_51_200"), ("Shopdeck", "STARTUP_1_10"),
                      ("Maple & Thread", "SMALL_11_50"), ("Bazaarline", "LARGE_201_1000"),
                      ("Parcelpeak Retail", "ENTERPRISE_1000_PLUS"), ("Kindred Goods", "STARTUP_1_10")],
        "interests": ["Marketplaces", "Conversion optimisation", "Personalisation", "D2C brands",
                      "Customer retention", "Payments", "Social commerce"],
        "skills": ["Conversion rate optimisation", "Performance marketing", "Merchandising",
                   "Marketplace operations", "Pricing strategy", "CRM", "Shopify development"],
        "problems": [
            "Customer acquisition costs have doubled and our repeat-purchase rate is flat.",
            "Returns are eating our margin and we cannot predict which orders will come back.",
            "Our product catalogue is inconsistent across three marketplaces.",
            "We want to personalise the storefront without building a data science team.",
        ],
    },
    "Edtech": {
        "noun": "edtech",
        "companies": [("Learnloom", "STARTUP_1_10"), ("Brightpath Academy", "SMALL_11_50"),
                      ("Quizzly", "STARTUP_1_10"), ("Campusgrid", "MEDIUM_51_200"),
                      ("Open Lantern Learning", "LARGE_201_1000"), ("Tutorbee", "SMALL_11_50")],
        "interests": ["Online learning", "Learning analytics", "Upskilling", "AI tutors", "Accessibility",
                      "Higher education"],
        "skills": ["Instructional design", "Learning analytics", "Curriculum development", "LMS integration",
                   "Community building", "Accessibility"],
        "problems": [
            "Most learners abandon our courses before the halfway point.",
            "Schools love our pilot but procurement cycles take a full academic year.",
            "We cannot show employers that our certificates predict on-the-job performance.",
            "Making our content accessible in five languages is overwhelming our small team.",
        ],
    },
    "Cybersecurity": {
        "noun": "cybersecurity",
        "companies": [("Sentinel Forge", "MEDIUM_51_200"), ("Cipherwell", "STARTUP_1_10"),
                      ("Blackpine Security", "SMALL_11_50"), ("Aegisline", "LARGE_201_1000"),
                      ("Zero Harbor", "STARTUP_1_10"), ("Ironmesh Systems", "ENTERPRISE_1000_PLUS")],
        "interests": ["Zero trust", "Threat intelligence", "Application security", "Cloud security",
                      "Identity and access management", "Privacy engineering", "Incident response"],
        "skills": ["Penetration testing", "Threat modelling", "SOC operations", "Cloud security",
                   "Identity management", "Incident response", "Security audits"],
        "problems": [
            "Our security team drowns in alerts and misses the few that matter.",
            "Developers see security reviews as a blocker, so they route around them.",
            "We need SOC 2 in six months to close enterprise deals.",
            "Nobody owns identity across our dozens of SaaS tools.",
        ],
    },
    "AI/ML": {
        "noun": "AI",
        "companies": [("Neuronest", "STARTUP_1_10"), ("Vectorlane", "SMALL_11_50"),
                      ("Deepfield AI", "MEDIUM_51_200"), ("Promptwise", "STARTUP_1_10"),
                      ("Cortexa Labs", "LARGE_201_1000"), ("Synthwave Data", "SMALL_11_50")],
        "interests": ["LLMs", "MLOps", "Computer vision", "Responsible AI", "Data engineering",
                      "Model evaluation", "Retrieval-augmented generation", "Edge AI"],
        "skills": ["Python", "PyTorch", "LLM fine-tuning", "MLOps", "Prompt engineering", "Computer vision",
                   "Vector databases", "Model evaluation"],
        "problems": [
            "Our LLM feature works in demos but we have no reliable way to evaluate it in production.",
            "Inference costs are growing faster than revenue.",
            "We need labelled data for a niche domain and cannot afford a large annotation team.",
            "Customers ask how our models make decisions and we cannot yet explain it well.",
        ],
    },
    "Media & Entertainment": {
        "noun": "media",
        "companies": [("Storyforge Studios", "SMALL_11_50"), ("Wavecast Media", "MEDIUM_51_200"),
                      ("Paperkite Publishing", "LARGE_201_1000"), ("Reelbox", "STARTUP_1_10"),
                      ("Loudline Podcasts", "STARTUP_1_10"), ("Northstar Broadcasting", "ENTERPRISE_1000_PLUS")],
        "interests": ["Streaming", "Creator economy", "Podcasting", "Generative media", "Audience growth",
                      "Journalism"],
        "skills": ["Video production", "Storytelling", "Audience analytics", "Content strategy",
                   "Podcast production", "Social media"],
        "problems": [
            "Our audience grows on social platforms but we cannot turn it into subscribers.",
            "Producing localised versions of our shows is too slow and too expensive.",
            "Advertisers want measurement we cannot provide without third-party cookies.",
            "We are unsure how to use generative tools without losing our editorial voice.",
        ],
    },
    "Logistics": {
        "noun": "logistics",
        "companies": [("Freightlyne", "SMALL_11_50"), ("Dockside Logistics", "LARGE_201_1000"),
                      ("Routewise", "STARTUP_1_10"), ("Cargomesh", "MEDIUM_51_200"),
                      ("Lastmile Labs", "STARTUP_1_10"), ("Transmeridian Shipping", "ENTERPRISE_1000_PLUS")],
        "interests": ["Last-mile delivery", "Fleet electrification", "Supply chain visibility",
                      "Warehouse automation", "Route optimisation", "Freight marketplaces"],
        "skills": ["Route optimisation", "Supply chain planning", "Warehouse operations", "Fleet management",
                   "Demand forecasting", "Customs and trade compliance"],
        "problems": [
            "We have no real-time view of shipments once they leave our warehouse.",
            "Electrifying our delivery fleet looks good on paper but charging logistics are unsolved.",
            "Demand spikes around holidays still catch our planners off guard.",
            "Customs paperwork delays a fifth of our cross-border orders.",
        ],
    },
    "Biotech": {
        "noun": "biotech",
        "companies": [("Helixa Bio", "SMALL_11_50"), ("Genewell Therapeutics", "MEDIUM_51_200"),
                      ("Proteon Labs", "STARTUP_1_10"), ("Cellbright", "STARTUP_1_10"),
                      ("Bioraven Pharma", "ENTERPRISE_1000_PLUS"), ("Enzymix", "LARGE_201_1000")],
        "interests": ["Drug discovery", "Genomics", "Bioinformatics", "Synthetic biology", "Clinical trials",
                      "Lab automation"],
        "skills": ["Bioinformatics", "CRISPR", "Assay development", "Clinical trial design", "Regulatory affairs",
                   "Lab automation", "R"],
        "problems": [
            "Our wet-lab experiments generate more data than our two bioinformaticians can analyse.",
            "Recruiting patients for our trial is far slower than planned.",
            "We need a partner with GMP manufacturing capacity for our next phase.",
            "Our lab still tracks samples in spreadsheets and we lose days to mix-ups.",
        ],
    },
}
GENERAL_INTERESTS = ("Startups", "Leadership", "Product management", "Growth marketing", "Fundraising",
                     "Remote work", "Hiring", "Mentoring", "Open source", "Design", "Diversity & inclusion",
                     "Career growth", "Public speaking", "Data visualisation")
VC_FIRMS = (("Harborlight Ventures", "SMALL_11_50"), ("Second Summit Capital", "SMALL_11_50"),
            ("Copperleaf Partners", "STARTUP_1_10"), ("Tall Grass Ventures", "STARTUP_1_10"),
            ("Lanternfish Capital", "SMALL_11_50"))
UNIVERSITIES = (("Lakeside Institute of Technology", "LARGE_201_1000"),
                ("Eastbridge University", "ENTERPRISE_1000_PLUS"),
                ("Redwood State University", "ENTERPRISE_1000_PLUS"),
                ("Northfield Polytechnic", "LARGE_201_1000"))
BOOTCAMPS = (("Launchpad Coding School", "SMALL_11_50"), ("Northside Data Academy", "SMALL_11_50"))
_SIZE_PHRASE = {"SOLO": "one-person", "STARTUP_1_10": "early-stage", "SMALL_11_50": "small",
                "MEDIUM_51_200": "mid-sized", "LARGE_201_1000": "large", "ENTERPRISE_1000_PLUS": "global"}


@dataclass(frozen=True)
class _Role:
    title: str
    years: tuple[int, int]
    family: str
    weight: int
    skills: tuple[str, ...]
    industries: tuple[str, ...] = ()  # empty = any industry
    min_size: int = 0  # index into COMPANY_SIZES


def _r(title, lo, hi, family, weight, skills, industries=(), min_size=0) -> _Role:
    return _Role(title, (lo, hi), family, weight, tuple(skills), tuple(industries), min_size)


ROLES: tuple[_Role, ...] = (
    _r("Founder & CEO", 3, 25, "founder", 9, ["Fundraising", "Go-to-market strategy", "Team building", "Pitching"]),
    _r("Co-founder & CTO", 4, 22, "founder", 5,
       ["System architecture", "Team building", "Cloud infrastructure", "Hiring engineers"]),
    _r("CTO", 12, 30, "exec", 2, ["System architecture", "Technical strategy", "Engineering leadership"], min_size=2),
    _r("VP Engineering", 12, 28, "exec", 3, ["Engineering leadership", "Scaling teams", "Hiring engineers"],
       min_size=3),
    _r("Chief Operating Officer", 12, 30, "exec", 1, ["Operations strategy", "Budgeting", "Scaling teams"],
       min_size=2),
    _r("Head of Product", 8, 20, "manager", 3, ["Product strategy", "Roadmapping", "Pricing strategy"], min_size=2),
    _r("Engineering Manager", 7, 18, "manager", 4, ["People management", "Hiring engineers", "Agile delivery"],
       min_size=2),
    _r("Head of Data", 9, 22, "manager", 2, ["Data strategy", "Data governance", "Analytics leadership"],
       min_size=2),
    _r("Staff Software Engineer", 10, 22, "senior", 2,
       ["System architecture", "Distributed systems", "Code review", "Technical mentoring"], min_size=2),
    _r("Senior Software Engineer", 5, 15, "senior", 5,
       ["Backend development", "Python", "Cloud infrastructure", "Code review"]),
    _r("Software Engineer", 2, 8, "mid", 6, ["Backend development", "Frontend development", "Python", "TypeScript"]),
    _r("Junior Software Engineer", 0, 2, "junior", 4, ["Python", "JavaScript", "Git", "Testing"]),
    _r("Data Scientist", 2, 10, "mid", 5, ["Python", "Machine learning", "Statistics", "SQL"]),
    _r("Senior Data Scientist", 6, 15, "senior", 2, ["Machine learning", "Experimentation", "Causal inference"]),
    _r("Junior Data Analyst", 0, 3, "junior", 4, ["SQL", "Excel", "Data visualisation", "Python"]),
    _r("Machine Learning Engineer", 2, 10, "mid", 3, ["PyTorch", "MLOps", "Model deployment", "Python"]),
    _r("Product Manager", 3, 10, "mid", 5, ["Product discovery", "Roadmapping", "User research", "Analytics"]),
    _r("Senior Product Manager", 6, 15, "senior", 2,
       ["Product strategy", "Experimentation", "Stakeholder management"]),
    _r("Product Designer", 2, 10, "mid", 3, ["UX design", "Figma", "Prototyping", "Design systems"]),
    _r("UX Researcher", 2, 12, "mid", 2, ["User research", "Usability testing", "Survey design", "Journey mapping"]),
    _r("Growth Marketing Manager", 3, 10, "marketing", 3, ["Growth marketing", "SEO", "Performance marketing"]),
    _r("Head of Marketing", 8, 20, "marketing", 2, ["Brand strategy", "Demand generation", "Content strategy"],
       min_size=2),
    _r("Account Executive", 1, 8, "sales", 5, ["Enterprise sales", "Negotiation", "CRM", "Prospecting"], min_size=2),
    _r("Sales Director", 8, 20, "sales", 3, ["Enterprise sales", "Sales leadership", "Negotiation", "Forecasting"],
       min_size=2),
    _r("Business Development Manager", 3, 12, "sales", 3, ["Partnerships", "Negotiation", "Market research"]),
    _r("Operations Manager", 4, 14, "ops", 3, ["Process design", "Vendor management", "Operations strategy"]),
    _r("Procurement Lead", 5, 16, "ops", 3, ["Vendor management", "Negotiation", "Contract management"],
       min_size=3),
    _r("IT Director", 10, 25, "ops", 2, ["IT strategy", "Vendor management", "Security governance"], min_size=3),
    _r("Talent Acquisition Lead", 4, 15, "recruiter", 3, ["Technical recruiting", "Employer branding", "Interviewing"],
       min_size=2),
    _r("Technical Recruiter", 1, 10, "recruiter", 3, ["Technical recruiting", "Sourcing", "Interviewing"],
       min_size=2),
    _r("Venture Partner", 8, 28, "investor", 5, ["Venture investing", "Due diligence", "Board governance",
                                                  "Fundraising"]),
    _r("Angel Investor", 10, 30, "investor", 3, ["Angel investing", "Startup mentoring", "Fundraising"]),
    _r("Investment Associate", 1, 5, "investor", 3, ["Financial modelling", "Due diligence", "Market research"]),
    _r("MSc Student", 0, 1, "student", 4, ["Python", "Research", "Statistics", "Data visualisation"]),
    _r("PhD Candidate", 0, 4, "student", 2, ["Research", "Machine learning", "Scientific writing", "Statistics"]),
    _r("Bootcamp Graduate", 0, 2, "student", 2, ["JavaScript", "React", "Git", "SQL"]),
    _r("Independent Consultant", 6, 25, "consultant", 3,
       ["Strategy consulting", "Process design", "Workshop facilitation", "Market research"]),
    _r("Freelance Developer", 2, 12, "consultant", 2, ["Full-stack development", "React", "Python"]),
    _r("Risk Analyst", 1, 6, "mid", 2, ["Risk modelling", "SQL", "Fraud analytics"], ["Fintech"], 2),
    _r("Compliance Officer", 4, 15, "ops", 2, ["KYC/AML compliance", "Regulatory reporting"], ["Fintech"], 2),
    _r("Clinical Product Lead", 5, 15, "manager", 2, ["Clinical workflows", "Product strategy"], ["Healthtech"]),
    _r("Health Data Analyst", 1, 6, "junior", 2, ["Health data analytics", "SQL", "HL7/FHIR"], ["Healthtech"]),
    _r("Energy Analyst", 1, 7, "mid", 2, ["Energy modelling", "Python", "Power systems"], ["Climate Tech"]),
    _r("Sustainability Lead", 5, 15, "ops", 2, ["ESG reporting", "Carbon accounting", "Supplier engagement"],
       ["Climate Tech", "E-commerce", "Logistics"], 2),
    _r("Merchandising Manager", 3, 12, "ops", 2, ["Merchandising", "Pricing strategy", "Demand forecasting"],
       ["E-commerce"]),
    _r("Learning Designer", 2, 10, "mid", 2, ["Instructional design", "Curriculum development"], ["Edtech"]),
    _r("Security Analyst", 1, 6, "junior", 2, ["SOC operations", "Incident response", "Threat intelligence"],
       ["Cybersecurity"]),
    _r("Security Architect", 8, 20, "senior", 2, ["Cloud security", "Threat modelling", "Zero trust architecture"],
       ["Cybersecurity"], 2),
    _r("CISO", 15, 30, "exec", 1, ["Security governance", "Risk management", "Security leadership"],
       ["Cybersecurity", "Fintech", "Healthtech"], 3),
    _r("Research Scientist", 3, 15, "senior", 2, ["Deep learning", "Research", "Model evaluation"], ["AI/ML"]),
    _r("MLOps Engineer", 2, 9, "mid", 2, ["MLOps", "Kubernetes", "Model deployment"], ["AI/ML"]),
    _r("Producer", 2, 12, "mid", 2, ["Video production", "Storytelling", "Project management"],
       ["Media & Entertainment"]),
    _r("Editor-in-Chief", 12, 30, "exec", 1, ["Editorial leadership", "Content strategy", "Storytelling"],
       ["Media & Entertainment"], 2),
    _r("Supply Chain Analyst", 1, 6, "junior", 2, ["Supply chain planning", "Demand forecasting", "SQL"],
       ["Logistics", "E-commerce"]),
    _r("Fleet Operations Manager", 5, 15, "ops", 2, ["Fleet management", "Route optimisation", "Vendor management"],
       ["Logistics"]),
    _r("Bioinformatician", 2, 10, "mid", 2, ["Bioinformatics", "R", "Python", "Genomics pipelines"], ["Biotech"]),
    _r("Lab Manager", 5, 15, "ops", 2, ["Lab automation", "Vendor management", "Quality systems"], ["Biotech"]),
    _r("Research Associate", 0, 4, "junior", 2, ["Assay development", "Cell culture", "Data analysis"], ["Biotech"]),
)

# Role family -> goal weights; excluded pairs never co-occur in one person.
_FAMILY_GOALS: dict[str, dict[str, int]] = {
    "founder": {"FIND_INVESTORS": 6, "HIRE": 4, "FIND_PARTNERS": 3, "SELL": 2, "GET_MENTORED": 2, "NETWORK": 1},
    "exec": {"HIRE": 4, "MENTOR": 4, "BUY": 3, "FIND_PARTNERS": 3, "INVEST": 1, "NETWORK": 2},
    "manager": {"HIRE": 5, "MENTOR": 3, "BUY": 2, "LEARN": 2, "NETWORK": 1},
    "senior": {"MENTOR": 4, "LEARN": 3, "NETWORK": 2, "HIRE": 1, "GET_HIRED": 1},
    "mid": {"LEARN": 4, "NETWORK": 3, "GET_HIRED": 3, "GET_MENTORED": 2, "MENTOR": 1},
    "junior": {"GET_HIRED": 4, "GET_MENTORED": 4, "LEARN": 4, "NETWORK": 2},
    "student": {"GET_HIRED": 5, "GET_MENTORED": 4, "LEARN": 4, "NETWORK": 2},
    "investor": {"INVEST": 8, "MENTOR": 3, "NETWORK": 2, "FIND_PARTNERS": 1},
    "sales": {"SELL": 7, "NETWORK": 3, "FIND_PARTNERS": 2},
    "marketing": {"SELL": 2, "LEARN": 3, "NETWORK": 3, "FIND_PARTNERS": 2, "BUY": 2},
    "ops": {"BUY": 6, "FIND_PARTNERS": 3, "NETWORK": 2, "LEARN": 1},
    "recruiter": {"HIRE": 7, "NETWORK": 3},
    "consultant": {"SELL": 3, "FIND_PARTNERS": 3, "NETWORK": 3, "MENTOR": 2},
}
# Problem statements are written as "our team's problem", which reads wrong for these roles.
_NO_PROBLEM_FAMILIES = frozenset({"investor", "student", "recruiter", "consultant"})
_EXCLUSIVE = {"HIRE": "GET_HIRED", "GET_HIRED": "HIRE", "INVEST": "FIND_INVESTORS", "FIND_INVESTORS": "INVEST",
              "MENTOR": "GET_MENTORED", "GET_MENTORED": "MENTOR", "SELL": "BUY", "BUY": "SELL"}
_FAMILY_NEEDS: dict[str, tuple[str, ...]] = {
    "founder": ("Fundraising", "Enterprise sales", "Hiring engineers", "Growth marketing", "Pricing strategy",
                "Go-to-market strategy"),
    "exec": ("Hiring strategy", "Data strategy", "Vendor management", "Partnerships", "AI adoption"),
    "manager": ("Technical recruiting", "Coaching", "Product strategy", "Data strategy"),
    "senior": ("Engineering leadership", "Product strategy", "Public speaking", "Machine learning"),
    "mid": ("System architecture", "Machine learning", "Product strategy", "Stakeholder management"),
    "junior": ("Career coaching", "Code review", "Interview preparation", "System architecture", "SQL"),
    "student": ("Career coaching", "Interview preparation", "Industry mentorship", "Portfolio reviews"),
    "investor": ("Deal sourcing", "Technical due diligence", "Market research"),
    "sales": ("Prospecting", "Partnerships", "Marketing automation", "CRM"),
    "marketing": ("Analytics", "Content strategy", "SEO", "Brand strategy"),
    "ops": ("Vendor management", "Process automation", "Data analytics", "Security audits"),
    "recruiter": ("Employer branding", "Technical interviewing", "Sourcing", "Diversity hiring"),
    "consultant": ("Lead generation", "Partnerships", "Public speaking", "Pricing strategy"),
}

# (city, country, weight): the first 40 are also attendee home cities.
CITIES: tuple[tuple[str, str, int], ...] = (
    ("Bengaluru", "India", 14), ("London", "United Kingdom", 12), ("San Francisco", "United States", 11),
    ("New York", "United States", 10), ("Berlin", "Germany", 9), ("Singapore", "Singapore", 9),
    ("Nairobi", "Kenya", 7), ("São Paulo", "Brazil", 7), ("Mumbai", "India", 6), ("Toronto", "Canada", 5),
    ("Paris", "France", 5), ("Amsterdam", "Netherlands", 5), ("Lagos", "Nigeria", 5), ("Tokyo", "Japan", 4),
    ("Seoul", "South Korea", 4), ("Sydney", "Australia", 4), ("Dubai", "United Arab Emirates", 4),
    ("Tel Aviv", "Israel", 3), ("Stockholm", "Sweden", 3), ("Lisbon", "Portugal", 3), ("Dublin", "Ireland", 3),
    ("Hyderabad", "India", 4), ("Delhi", "India", 4), ("Boston", "United States", 3),
    ("Seattle", "United States", 3), ("Austin", "United States", 3), ("Mexico City", "Mexico", 3),
    ("Bogotá", "Colombia", 2), ("Buenos Aires", "Argentina", 2), ("Cape Town", "South Africa", 2),
    ("Cairo", "Egypt", 2), ("Jakarta", "Indonesia", 3), ("Ho Chi Minh City", "Vietnam", 2),
    ("Manila", "Philippines", 2), ("Kuala Lumpur", "Malaysia", 2), ("Zürich", "Switzerland", 2),
    ("Munich", "Germany", 2), ("Warsaw", "Poland", 2), ("Accra", "Ghana", 2), ("Melbourne", "Australia", 2),
    ("Chennai", "India", 2), ("Pune", "India", 2), ("Vancouver", "Canada", 1), ("Chicago", "United States", 1),
    ("Los Angeles", "United States", 1), ("Albuquerque", "United States", 1), ("Santiago", "Chile", 1),
    ("Lima", "Peru", 1), ("Kigali", "Rwanda", 1), ("Addis Ababa", "Ethiopia", 1), ("Casablanca", "Morocco", 1),
    ("Istanbul", "Turkey", 1), ("Tallinn", "Estonia", 1), ("Reykjavík", "Iceland", 1),
    ("Copenhagen", "Denmark", 1), ("Madrid", "Spain", 1), ("Taipei", "Taiwan", 1), ("Shenzhen", "China", 1),
    ("Dhaka", "Bangladesh", 1), ("Auckland", "New Zealand", 1), ("Kathmandu", "Nepal", 1),
)
_ATTENDEE_CITIES = CITIES[:40]

DEPARTMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Computer Science": (("AI/ML", "Cybersecurity", "Fintech", "E-commerce", "Edtech"),
                         ("Algorithms", "Distributed systems", "Python")),
    "Electrical Engineering": (("Climate Tech", "AI/ML", "Logistics"),
                               ("Embedded systems", "Signal processing", "Power systems")),
    "Mechanical Engineering": (("Logistics", "Climate Tech"), ("CAD", "Manufacturing", "Robotics")),
    "Civil Engineering": (("Climate Tech", "Logistics"), ("Structural design", "GIS", "Project management")),
    "Chemical Engineering": (("Biotech", "Climate Tech"), ("Process engineering", "Materials science")),
    "Biotechnology": (("Biotech", "Healthtech"), ("Molecular biology", "Bioinformatics", "Lab techniques")),
    "Business Administration": (("Fintech", "E-commerce", "Logistics", "Media & Entertainment"),
                                ("Strategy", "Finance", "Marketing")),
    "Economics": (("Fintech", "Climate Tech", "Media & Entertainment"),
                  ("Econometrics", "Policy analysis", "Financial modelling")),
    "Design": (("E-commerce", "Media & Entertainment", "Edtech"), ("UX design", "Visual design", "Design research")),
    "Mathematics": (("AI/ML", "Fintech", "Cybersecurity"), ("Statistics", "Optimisation", "Quantitative modelling")),
    "Physics": (("AI/ML", "Climate Tech", "Biotech"), ("Modelling and simulation", "Data analysis", "Python")),
    "Public Health": (("Healthtech", "Biotech"), ("Epidemiology", "Health policy", "Biostatistics")),
}

TRACKS: dict[str, dict] = {
    "AI & Data": {
        "room": "Hall A",
        "industries": ("AI/ML",),
        "audience": ("Data scientists", "ML engineers", "Software engineers", "Product managers"),
        "sessions": [
            ("Shipping LLM Features Without Breaking Production", "talk", ["llms", "mlops", "model evaluation"]),
            ("Hands-on: Building a Retrieval-Augmented Search Prototype", "workshop",
             ["retrieval-augmented generation", "embeddings", "python"]),
            ("Panel: Responsible AI in Regulated Industries", "panel", ["responsible ai", "governance", "compliance"]),
            ("Feature Stores Demystified", "talk", ["data engineering", "mlops"]),
            ("Evaluating Models Beyond Accuracy", "talk", ["model evaluation", "metrics", "experimentation"]),
            ("Workshop: From Notebook to Pipeline with Open-Source Tools", "workshop",
             ["python", "data engineering", "open source"]),
            ("Small Models, Big Wins: Efficient Inference on a Budget", "talk", ["edge ai", "inference", "llms"]),
            ("Data Contracts That Teams Actually Keep", "talk", ["data quality", "data governance"]),
        ],
    },
    "Fintech": {
        "room": "Room 1",
        "industries": ("Fintech",),
        "audience": ("Founders", "Product managers", "Compliance teams", "Engineers", "Investors"),
        "sessions": [
            ("Real-Time Fraud Detection at Scale", "talk", ["fraud prevention", "machine learning", "payments"]),
            ("Open Banking APIs: Lessons from Three Markets", "talk", ["open banking", "apis", "regtech"]),
            ("Panel: What Investors Look for in Fintech Founders", "panel",
             ["fundraising", "venture capital", "startups"]),
            ("Workshop: Designing a Compliant KYC Flow", "workshop", ["kyc", "compliance", "ux"]),
            ("Embedded Finance for Non-Finance Companies", "talk", ["embedded finance", "partnerships"]),
            ("Stablecoins and Cross-Border Payments", "talk", ["stablecoins", "payments", "cross-border"]),
            ("Credit Scoring for the Underbanked", "talk", ["lending", "financial inclusion", "alternative data"]),
            ("Hands-on: Reconciling Ledgers with Event Sourcing", "workshop", ["ledgers", "event sourcing"]),
        ],
    },
    "Climate": {
        "room": "Room 2",
        "industries": ("Climate Tech", "Logistics"),
        "audience": ("Founders", "Sustainability leads", "Investors", "Data scientists", "Operations teams"),
        "sessions": [
            ("Measuring Scope 3 Emissions Without Losing Your Mind", "talk",
             ["carbon accounting", "sustainable supply chains", "reporting"]),
            ("Panel: Financing the Energy Transition", "panel", ["climate finance", "renewable energy", "investing"]),
            ("Grid Flexibility and the Home Battery Boom", "talk", ["energy storage", "renewable energy", "iot"]),
            ("Workshop: Building a Carbon Dashboard from Open Data", "workshop",
             ["open data", "data visualisation", "carbon accounting"]),
            ("Satellite Data for Land-Use Monitoring", "talk", ["remote sensing", "geospatial", "computer vision"]),
            ("Circular Supply Chains in Practice", "talk", ["circular economy", "logistics", "sustainability"]),
            ("Climate Tech Go-to-Market: Selling to Utilities", "talk", ["enterprise sales", "utilities",
                                                                         "go-to-market"]),
            ("Panel: Preparing Cities for Heat and Flood", "panel", ["climate adaptation", "cities", "resilience"]),
        ],
    },
    "Product & Growth": {
        "room": "Room 3",
        "industries": ("E-commerce", "Edtech", "Media & Entertainment"),
        "audience": ("Product managers", "Designers", "Marketers", "Founders"),
        "sessions": [
            ("Finding Product-Market Fit Twice", "talk", ["product-market fit", "startups", "strategy"]),
            ("Workshop: Running Experiments That Change Decisions", "workshop",
             ["experimentation", "analytics", "a/b testing"]),
            ("Pricing Your B2B SaaS Product", "talk", ["pricing strategy", "saas", "monetisation"]),
            ("Panel: Growth Loops versus Paid Acquisition", "panel", ["growth marketing", "acquisition", "retention"]),
            ("Design Systems That Scale Across Teams", "talk", ["design systems", "ux", "frontend"]),
            ("Onboarding That Converts: A Teardown", "talk", ["onboarding", "conversion optimisation", "ux"]),
            ("Workshop: Writing Product Specs Engineers Love", "workshop",
             ["product management", "communication"]),
            ("Selling to Enterprises as a Startup", "talk", ["enterprise sales", "go-to-market", "startups"]),
        ],
    },
    "Careers & Leadership": {
        "room": "Room 4",
        "industries": tuple(INDUSTRIES),
        "audience": ("Early-career professionals", "Engineering managers", "Students", "Career switchers",
                     "Team leads"),
        "sessions": [
            ("From Engineer to Engineering Manager", "talk", ["leadership", "management", "career growth"]),
            ("Panel: Hiring Globally and Remotely", "panel", ["hiring", "remote work", "talent"]),
            ("Workshop: Negotiating Your Next Offer", "workshop", ["career growth", "negotiation", "job search"]),
            ("Mentorship That Works: Structures and Pitfalls", "talk", ["mentoring", "culture", "career growth"]),
            ("Building Inclusive Teams in Fast-Growing Startups", "talk", ["diversity & inclusion", "culture",
                                                                           "hiring"]),
            ("Panel: Breaking Into Tech From a Non-Traditional Background", "panel",
             ["career change", "job search", "learning"]),
            ("Workshop: Giving Feedback Without Fear", "workshop", ["communication", "leadership", "feedback"]),
            ("Staff-Plus Paths: Growing Without Managing", "talk", ["career growth", "engineering", "leadership"]),
        ],
    },
}
_SPEAKER_TITLES = ("Founder & CEO", "CTO", "VP Engineering", "Head of Product", "Head of Data", "Principal Engineer",
                   "Venture Partner", "Director of Research", "Chief Sustainability Officer", "Head of Talent",
                   "Staff Software Engineer", "Engineering Director")
_SPEAKER_OFFERINGS = ("1:1 office hours", "Mentoring", "Portfolio reviews", "Hiring for their team",
                      "Startup advice", "Investment conversations", "Career advice", "Technical deep dives")
_ROOM_CAPACITY = {"Hall A": (300, 450), "Room 1": (80, 150), "Room 2": (80, 150), "Room 3": (60, 120),
                  "Room 4": (60, 120)}
_PROPER_WORDS = frozenset({"Python", "Git", "Figma", "React", "Kubernetes", "Shopify", "Excel"})
_TAG_PROSE = {"llms": "LLMs", "mlops": "MLOps", "python": "Python", "edge ai": "edge AI", "apis": "APIs",
              "ux": "UX", "kyc": "KYC", "saas": "SaaS", "responsible ai": "responsible AI", "iot": "IoT",
              "a/b testing": "A/B testing", "regtech": "RegTech"}
_DAY_START_MIN = 9 * 60
_DAY_END_MIN = 17 * 60 + 30
_LUNCH_MIN = 12 * 60 + 30


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
    if first in _PROPER_WORDS or any(c.isupper() for c in first[1:]) or len(first) < 2:
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
        pool.pop(_EXCLUSIVE.get(pick, ""), None)
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


def _roles_for(industry: str) -> list[_Role]:
    return [r for r in ROLES if not r.industries or industry in r.industries]


def _company_for(rng: random.Random, role: _Role, industry: str, last_name: str) -> tuple[str, str]:
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
        size = _SIZE_PHRASE[p["company_size"]]
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
                        and goal in _FAMILY_GOALS[p["role_obj"].family]
                        and _EXCLUSIVE.get(goal) not in p["goals"]]
            rng.shuffle(eligible)
            for p in eligible[:max(0, minimum - have)]:
                p["goals"].append(goal)


def generate_demo_attendees(n: int = 300, seed: int = 7) -> list[dict[str, str]]:
    """`n` made-up attendees as upload rows (ATTENDEE_COLUMNS, all strings, lists joined with ';')."""
    rng = random.Random(f"attendees-{seed}")
    industries = list(INDUSTRIES)
    roles_by_industry = {ind: _roles_for(ind) for ind in industries}
    city_weights = [w for _, _, w in _ATTENDEE_CITIES]
    taken: set[str] = set()
    people: list[dict] = []
    for _ in range(n):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        industry = rng.choice(industries)
        roles = roles_by_industry[industry]
        role = rng.choices(roles, weights=[r.weight for r in roles])[0]
        company, size = _company_for(rng, role, industry, last)
        years = min(30, rng.randint(*role.years))
        goals = _weighted_sample(rng, _FAMILY_GOALS[role.family], rng.choices((1, 2, 3), weights=(3, 5, 3))[0])
        city, country, _ = rng.choices(_ATTENDEE_CITIES, weights=city_weights)[0]
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
        needed_pool = [s for s in (*_FAMILY_NEEDS[role.family], *ind["skills"]) if s not in offered]
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
                                  if role.family not in _NO_PROBLEM_FAMILIES and rng.random() < 0.6 else ""),
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
    spare = _DAY_END_MIN - _DAY_START_MIN - sum(durations)
    even_gap = spare // max(1, len(durations)) // 15 * 15
    starts, cursor, lunched = [], _DAY_START_MIN, False
    for k, duration in enumerate(durations):
        starts.append(cursor)
        cursor += duration
        gap = max(0, even_gap + rng.choice((-15, 0, 0, 15)))
        if not lunched and cursor >= _LUNCH_MIN - 30:
            gap, lunched = max(gap, 60), True
        cursor += min(gap, _DAY_END_MIN - cursor - sum(durations[k + 1:]))
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
    return _TAG_PROSE.get(tag, tag)


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
            title = rng.choice(_SPEAKER_TITLES)
            industry = rng.choice(spec["industries"])
            company = (rng.choice(VC_FIRMS)[0] if title == "Venture Partner"
                       else rng.choice(INDUSTRIES[industry]["companies"])[0])
            expertise = rng.sample(tags, rng.randint(2, 4))
            offerings = rng.sample(_SPEAKER_OFFERINGS, rng.randint(1, 3))
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
            if sum(durations) > _DAY_END_MIN - _DAY_START_MIN:
                durations = [30] * len(chunk)
            starts = _day_starts(rng, durations)
            day = start + timedelta(days=day_index)
            midnight = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
            for (i, (title, session_type, tags)), minute, duration in zip(chunk, starts, durations):
                primary = track_speakers[i % len(track_speakers)]
                emails = [primary["email"]]
                if session_type == "panel" or rng.random() < 0.2:
                    emails.append(rng.choice([s for s in track_speakers if s is not primary])["email"])
                difficulty = rng.choices(("beginner", "intermediate", "advanced"),
                                         weights=(3, 4, 1 if session_type == "workshop" else 2))[0]
                lo, hi = _ROOM_CAPACITY[room]
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


def _slack(role: _Role) -> int:
    """Extra years someone may stay in a role after its typical range (never for students and juniors)."""
    return 0 if role.family in ("student", "junior") else 5

def generate_demo_alumni(n: int = 3000, seed: int = 7) -> list[dict]:
    """`n` made-up alumni with a current job and a geocoded home city (lat/lon jittered by <= 0.05 degrees)."""
    rng = random.Random(f"alumni-{seed}")
    coords = _resolved_cities()
    city_weights = [w for _, _, w in CITIES]
    departments = list(DEPARTMENTS)
    years_range = list(range(1995, _DEMO_YEAR))
    year_weights = [1 + (y - 1995) // 5 for y in years_range]  # more recent classes are larger
    eligible: dict[tuple[str, int], list[_Role]] = {}
    taken: set[str] = set()
    alumni: list[dict] = []
    for _ in range(n):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        department = rng.choice(departments)
        industries, department_skills = DEPARTMENTS[department]
        industry = rng.choice(industries)
        batch_year = rng.choices(years_range, weights=year_weights)[0]
        years = _DEMO_YEAR - batch_year - 1
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
        })
    return alumni
