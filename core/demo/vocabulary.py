"""The demo conference's vocabularies: names, industries, roles, cities, departments and tracks (all made up)."""
from __future__ import annotations

from dataclasses import dataclass

GOALS = ("LEARN", "NETWORK", "HIRE", "GET_HIRED", "FIND_PARTNERS", "FIND_INVESTORS", "INVEST", "SELL", "BUY",
         "MENTOR", "GET_MENTORED")
COMPLEMENTARY_GOALS = (("HIRE", "GET_HIRED"), ("MENTOR", "GET_MENTORED"), ("INVEST", "FIND_INVESTORS"),
                       ("SELL", "BUY"))
COMPANY_SIZES = ("SOLO", "STARTUP_1_10", "SMALL_11_50", "MEDIUM_51_200", "LARGE_201_1000", "ENTERPRISE_1000_PLUS")
ATTENDEE_COLUMNS = ("email", "first_name", "last_name", "company", "role", "industry", "company_size",
                    "years_experience", "interests", "goals", "skills_offered", "skills_needed", "bio",
                    "problem_statement", "city", "country", "allow_enrichment")
BIO_MAX_CHARS = 400
DEMO_YEAR = 2026

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
SIZE_PHRASE = {"SOLO": "one-person", "STARTUP_1_10": "early-stage", "SMALL_11_50": "small",
                "MEDIUM_51_200": "mid-sized", "LARGE_201_1000": "large", "ENTERPRISE_1000_PLUS": "global"}


@dataclass(frozen=True)
class RoleTemplate:
    title: str
    years: tuple[int, int]
    family: str
    weight: int
    skills: tuple[str, ...]
    industries: tuple[str, ...] = ()  # empty = any industry
    min_size: int = 0  # index into COMPANY_SIZES


def _r(title, lo, hi, family, weight, skills, industries=(), min_size=0) -> RoleTemplate:
    return RoleTemplate(title, (lo, hi), family, weight, tuple(skills), tuple(industries), min_size)


ROLES: tuple[RoleTemplate, ...] = (
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
FAMILY_GOALS: dict[str, dict[str, int]] = {
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
NO_PROBLEM_FAMILIES = frozenset({"investor", "student", "recruiter", "consultant"})
EXCLUSIVE = {"HIRE": "GET_HIRED", "GET_HIRED": "HIRE", "INVEST": "FIND_INVESTORS", "FIND_INVESTORS": "INVEST",
              "MENTOR": "GET_MENTORED", "GET_MENTORED": "MENTOR", "SELL": "BUY", "BUY": "SELL"}
FAMILY_NEEDS: dict[str, tuple[str, ...]] = {
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
ATTENDEE_CITIES = CITIES[:40]

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
SPEAKER_TITLES = ("Founder & CEO", "CTO", "VP Engineering", "Head of Product", "Head of Data", "Principal Engineer",
                   "Venture Partner", "Director of Research", "Chief Sustainability Officer", "Head of Talent",
                   "Staff Software Engineer", "Engineering Director")
SPEAKER_OFFERINGS = ("1:1 office hours", "Mentoring", "Portfolio reviews", "Hiring for their team",
                      "Startup advice", "Investment conversations", "Career advice", "Technical deep dives")
ROOM_CAPACITY = {"Hall A": (300, 450), "Room 1": (80, 150), "Room 2": (80, 150), "Room 3": (60, 120),
                  "Room 4": (60, 120)}
PROPER_WORDS = frozenset({"Python", "Git", "Figma", "React", "Kubernetes", "Shopify", "Excel"})
TAG_PROSE = {"llms": "LLMs", "mlops": "MLOps", "python": "Python", "edge ai": "edge AI", "apis": "APIs",
              "ux": "UX", "kyc": "KYC", "saas": "SaaS", "responsible ai": "responsible AI", "iot": "IoT",
              "a/b testing": "A/B testing", "regtech": "RegTech"}
DAY_START_MIN = 9 * 60
DAY_END_MIN = 17 * 60 + 30
LUNCH_MIN = 12 * 60 + 30
# Well-known titles the demo attendees list as favourites, so that some of them share a few.
FAVOURITE_TITLES = {
    "book": ("Dune", "The Lean Startup", "Sapiens", "Thinking, Fast and Slow", "The Three-Body Problem",
             "Project Hail Mary"),
    "film": ("Blade Runner (Final Cut)", "Interstellar", "Arrival", "The Social Network", "Spirited Away",
             "Everything Everywhere All at Once"),
    "podcast": ("Hardcore History", "Acquired", "Lex Fridman Podcast", "How I Built This", "Radiolab"),
    "music": ("Kind of Blue", "OK Computer", "Random Access Memories", "Abbey Road (Remastered)", "Rumours"),
}
FAVOURITE_SHARE = 0.5  # about half the demo attendees list favourites
FAVOURITES_PER_PERSON = (2, 5)
