"""Curated concept families (skills, topics, industries) with their aliases: the knowledge layer of the skill graph."""

from __future__ import annotations

CONCEPTS: dict[str, tuple[str, ...]] = {
    # Software engineering: languages, web and mobile
    "software engineering": (
        "software development", "software engineer", "software developer", "swe", "programming", "coding",
        "writing code", "application development", "computer science", "programmer", "developer", "coder",
        "building software",
    ),
    "frontend development": (
        "frontend", "front-end", "front end", "frontend engineering", "front-end development", "ui engineering",
        "building web uis", "web interfaces", "react", "react.js", "reactjs", "vue", "vue.js", "angular", "svelte",
        "next.js", "single-page applications", "single page apps", "spa development", "javascript frontend",
    ),
    "javascript and typescript": (
        "javascript", "js", "typescript", "ts", "es6", "ecmascript", "vanilla js", "modern javascript",
        "javascript developer", "typescript developer", "npm", "deno", "bun", "web development languages",
    ),
    "backend development": (
        "backend", "back-end", "back end", "back end development", "backend engineering",
        "server-side development", "server-side", "node.js", "nodejs", "express.js", "django", "flask", "fastapi",
        "spring boot", "ruby on rails", "java backend", "python backend", "golang services", "asp.net",
        "server development",
    ),
    "full-stack development": (
        "full stack", "full-stack", "fullstack", "full stack developer", "full-stack engineer", "mern",
        "mern stack", "mean stack", "lamp stack", "t3 stack", "web development", "web apps",
        "web application development", "end-to-end web development", "frontend and backend", "building websites",
        "web developer",
    ),
    "python programming": (
        "python", "python3", "python developer", "python development", "python scripting", "django", "flask",
        "pip", "pypi", "asyncio", "pythonic", "cpython", "jupyter",
    ),
    "jvm languages": (
        "java", "jvm", "java developer", "spring", "spring boot", "kotlin", "scala", "groovy", "j2ee",
        "jakarta ee", "java ee", "hibernate", "maven", "gradle",
    ),
    "go programming": (
        "golang", "go language", "go lang", "go developer", "goroutines", "go microservices", "gin framework",
        "go backend", "go services",
    ),
    "rust programming": (
        "rust", "rustlang", "rust programming language", "rust developer", "cargo", "tokio", "memory safety",
        "safe systems programming", "rust backend",
    ),
    "c and c++ programming": (
        "c++", "cpp", "c programming", "modern c++", "c/c++", "embedded c", "low-level programming", "stl",
        "cmake", "performance-critical code", "c language",
    ),
    "c# and .net": (
        "c#", "csharp", ".net", "dotnet", ".net core", "asp.net", "blazor", "entity framework", "visual studio",
        "microsoft stack", "wpf", "unity c#",
    ),
    "ruby and rails": (
        "ruby", "ruby on rails", "rails", "ror", "ruby developer", "rspec", "sidekiq", "hotwire", "rubyist",
    ),
    "php development": (
        "php", "laravel", "symfony", "php developer", "wordpress development", "cakephp", "magento development",
        "lamp", "codeigniter",
    ),
    "functional programming": (
        "fp", "haskell", "scala", "elixir", "erlang", "clojure", "f#", "ocaml", "elm", "lisp", "type theory",
        "immutable data", "pure functions",
    ),
    "systems programming": (
        "operating systems", "linux kernel", "kernel development", "os internals", "compilers",
        "compiler engineering", "llvm", "virtualization", "virtualisation", "hypervisors", "file systems", "unix",
        "low-level systems", "systems engineer",
    ),
    "high-performance computing": (
        "hpc", "gpu computing", "gpu programming", "cuda", "parallel computing", "parallel programming",
        "supercomputing", "mpi", "openmp", "performance engineering", "simd", "gpu kernels", "ai infrastructure",
        "ml systems", "triton", "compute clusters",
    ),
    "mobile development": (
        "mobile", "mobile apps", "mobile app development", "app development", "mobile engineering",
        "mobile developer", "smartphone apps", "native apps", "native mobile development", "building apps",
        "apps for phones", "mobile-first",
    ),
    "ios development": (
        "ios", "swift", "swiftui", "objective-c", "iphone apps", "ipad apps", "xcode", "apple platforms", "uikit",
        "app store apps", "ios developer", "ios engineer", "cocoa touch", "apple developer",
    ),
    "android development": (
        "android", "kotlin", "jetpack compose", "android studio", "android apps", "java android",
        "google play apps", "android sdk", "android developer", "android engineer", "kotlin android",
    ),
    "cross-platform mobile": (
        "cross-platform", "cross platform", "cross-platform apps", "react native", "flutter", "dart", "xamarin",
        "ionic", "capacitor", "expo", "kotlin multiplatform", "hybrid apps", "hybrid mobile apps",
        "one codebase for ios and android", ".net maui",
    ),
    "web performance": (
        "page speed", "core web vitals", "web vitals", "lighthouse", "site speed", "frontend performance",
        "load time optimisation", "load time optimization", "lazy loading", "cdn", "performance optimisation",
        "performance optimization", "bundle size", "fast websites", "website performance", "rendering performance",
    ),
    "apis": (
        "api", "api design", "rest", "rest apis", "restful apis", "graphql", "grpc", "openapi", "swagger",
        "api development", "building apis", "api integrations", "webhooks", "api gateway", "api management",
        "integrations", "public apis", "api-first",
    ),
    "microservices": (
        "microservice architecture", "service-oriented architecture", "soa", "service mesh", "istio",
        "event-driven architecture", "domain-driven design", "ddd", "breaking up monoliths",
        "monolith to microservices", "message queues", "kafka", "rabbitmq", "event sourcing", "cqrs",
    ),
    "distributed systems": (
        "distributed computing", "scalability", "high availability", "consensus algorithms", "raft", "paxos",
        "fault tolerance", "large-scale systems", "systems at scale", "horizontal scaling", "concurrency",
        "eventual consistency", "scaling systems", "high-throughput systems",
    ),
    "software architecture": (
        "system design", "solution architecture", "solutions architect", "technical architecture",
        "design patterns", "architecture reviews", "enterprise architecture", "clean architecture",
        "scalable architecture", "software architect", "architectural decisions", "technical design",
    ),
    "databases": (
        "database", "database design", "database administration", "dba", "data modelling", "data modeling",
        "relational databases", "rdbms", "postgresql", "postgres", "mysql", "oracle database", "sql server",
        "schema design", "query optimisation", "query optimization", "database engineering",
    ),
    "sql": (
        "t-sql", "pl/sql", "sql queries", "writing queries", "querying data", "structured query language",
        "sql analytics", "window functions", "joins", "postgresql", "mysql", "sqlite", "sql developer",
        "advanced sql",
    ),
    "nosql": (
        "nosql databases", "mongodb", "mongo", "cassandra", "dynamodb", "couchbase", "couchdb",
        "document databases", "key-value stores", "wide-column stores", "firestore", "neo4j", "graph databases",
        "non-relational databases", "hbase",
    ),
    "search engineering": (
        "search", "search engines", "elasticsearch", "opensearch", "solr", "lucene", "full-text search",
        "information retrieval", "search relevance", "search ranking", "vector search", "semantic search",
        "algolia", "site search", "typesense", "enterprise search",
    ),
    "caching": (
        "cache", "redis", "memcached", "in-memory data stores", "in-memory databases", "cdn caching",
        "cache invalidation", "varnish", "edge caching", "low latency", "low-latency systems", "caching layers",
    ),
    "devops": (
        "dev ops", "devops engineering", "devops engineer", "platform engineering", "platform engineer",
        "build and release", "release engineering", "deployment automation", "ansible", "chef", "puppet",
        "linux administration", "sysadmin", "system administration", "infrastructure engineering", "linux",
    ),
    "ci/cd": (
        "ci", "continuous integration", "continuous delivery", "continuous deployment", "ci pipelines",
        "build pipelines", "deployment pipelines", "jenkins", "github actions", "gitlab ci", "circleci", "argo cd",
        "argocd", "gitops", "release automation", "automated deployments", "shipping to production",
    ),
    "cloud computing": (
        "cloud", "cloud infrastructure", "cloud native", "cloud-native", "cloud migration", "cloud architecture",
        "multi-cloud", "hybrid cloud", "public cloud", "iaas", "paas", "cloud engineering", "cloud engineer",
        "cloud architect", "cloud platforms", "cloud services", "cloud transformation", "finops",
        "cloud cost optimisation", "cloud cost optimization",
    ),
    "aws": (
        "amazon web services", "ec2", "s3", "aws lambda", "cloudformation", "aws certified", "eks", "rds",
        "aws solutions architect", "amazon cloud", "aws cloud", "aws infrastructure", "sqs", "dynamo",
    ),
    "gcp": (
        "google cloud", "google cloud platform", "bigquery", "gke", "cloud run", "firebase", "app engine",
        "vertex ai", "google cloud certified", "gcp certified", "google cloud infrastructure",
    ),
    "azure": (
        "microsoft azure", "azure devops", "aks", "azure functions", "azure cloud", "microsoft cloud",
        "azure certified", "az-900", "azure ad", "azure infrastructure", "azure data factory",
    ),
    "serverless": (
        "faas", "functions as a service", "aws lambda", "lambda", "cloud functions", "cloudflare workers",
        "edge functions", "vercel", "netlify", "jamstack", "serverless architecture", "serverless computing",
        "event-driven compute",
    ),
    "kubernetes and containers": (
        "kubernetes", "k8s", "container orchestration", "containers", "containerization", "containerisation",
        "docker", "helm", "openshift", "eks", "gke", "aks", "rancher", "container platforms", "docker compose",
        "podman", "containerized workloads",
    ),
    "infrastructure as code": (
        "iac", "terraform", "pulumi", "cloudformation", "ansible", "opentofu", "crossplane",
        "declarative infrastructure", "infrastructure automation", "provisioning infrastructure", "aws cdk",
        "bicep", "infra as code", "terraform modules",
    ),
    "observability": (
        "monitoring", "tracing", "distributed tracing", "logging", "log management", "alerting", "sre tooling",
        "prometheus", "grafana", "datadog", "new relic", "opentelemetry", "splunk", "elk stack", "apm",
        "application performance monitoring", "system monitoring", "telemetry pipelines",
    ),
    "site reliability engineering": (
        "sre", "site reliability", "reliability engineering", "incident response", "on-call",
        "incident management", "slos", "slis", "error budgets", "uptime", "availability", "chaos engineering",
        "postmortems", "production engineering", "resilience engineering", "reliability",
    ),
    "networking": (
        "computer networking", "network engineering", "network engineer", "tcp/ip", "dns", "bgp",
        "routing and switching", "cisco", "ccna", "ccnp", "lan/wan", "sd-wan", "load balancing",
        "network security", "vpn", "firewalls", "network infrastructure", "network architecture",
    ),
    "embedded systems": (
        "embedded", "embedded software", "firmware", "firmware development", "firmware engineer",
        "microcontrollers", "mcu", "rtos", "embedded c", "arm cortex", "stm32", "arduino", "raspberry pi",
        "bare metal", "embedded linux", "device drivers", "hardware-software integration",
    ),
    "iot": (
        "internet of things", "connected devices", "smart devices", "iiot", "industrial iot", "sensors",
        "sensor networks", "mqtt", "edge computing", "smart home", "device connectivity", "lorawan", "telemetry",
        "m2m", "connected hardware", "edge devices",
    ),
    "game development": (
        "gamedev", "game dev", "game programming", "unity", "unity3d", "unreal engine", "unreal", "godot",
        "game design", "indie games", "video game development", "game engines", "level design",
        "gameplay programming", "game developer", "making games",
    ),
    "ar/vr": (
        "ar", "vr", "augmented reality", "virtual reality", "mixed reality", "xr", "extended reality",
        "spatial computing", "metaverse", "oculus", "meta quest", "apple vision pro", "hololens", "webxr",
        "immersive experiences", "immersive tech",
    ),
    "computer graphics": (
        "3d graphics", "graphics programming", "rendering", "shaders", "opengl", "vulkan", "directx", "webgl",
        "three.js", "blender", "3d modelling", "3d modeling", "3d art", "real-time rendering", "ray tracing",
    ),
    "blockchain development": (
        "blockchain", "distributed ledger", "dlt", "smart contracts", "smart contract development", "solidity",
        "ethereum", "evm", "hardhat", "foundry", "smart contract auditing", "on-chain", "layer 2", "hyperledger",
        "solana development", "blockchain engineer", "blockchain developer",
    ),
    "web3": (
        "web 3", "web3 development", "defi", "decentralized finance", "decentralised finance", "nfts", "nft",
        "dapps", "decentralized applications", "decentralised applications", "dao", "daos", "tokenomics",
        "crypto native", "onchain apps", "metaverse projects",
    ),
    "quality assurance": (
        "qa", "software testing", "testing", "manual testing", "test planning", "test cases", "bug tracking",
        "qa engineering", "qa engineer", "quality engineering", "regression testing", "exploratory testing", "uat",
        "user acceptance testing", "istqb", "software quality",
    ),
    "test automation": (
        "automated testing", "automation testing", "selenium", "cypress", "playwright", "unit testing",
        "integration testing", "end-to-end testing", "e2e testing", "tdd", "test-driven development", "jest",
        "pytest", "sdet", "appium", "test frameworks",
    ),
    "accessibility": (
        "a11y", "wcag", "inclusive design", "accessible design", "screen readers", "aria", "section 508",
        "digital accessibility", "ada compliance", "accessible web", "web accessibility", "accessibility audits",
        "disability inclusion", "accessible products",
    ),
    "open source": (
        "open-source", "oss", "foss", "open source contributor", "open source maintainer", "open source software",
        "contributing to open source", "linux foundation", "apache foundation", "free software",
        "open source community", "inner source", "github", "open source projects",
    ),
    "developer relations": (
        "devrel", "developer advocate", "developer advocacy", "developer evangelist", "developer experience", "dx",
        "developer community", "technical evangelism", "hackathons", "developer marketing", "developer ecosystem",
        "developer engagement", "community for developers",
    ),
    "technical writing": (
        "documentation", "docs", "developer docs", "api documentation", "technical documentation", "docs-as-code",
        "user guides", "knowledge base", "technical communication", "manuals", "release notes", "technical writer",
        "writing documentation",
    ),
    "low-code": (
        "low code", "no-code", "no code", "nocode", "bubble", "webflow", "airtable", "zapier", "power apps",
        "microsoft power platform", "retool", "outsystems", "mendix", "citizen developers", "internal tools",
        "no-code tools", "low-code platforms",
    ),
    "process automation": (
        "robotic process automation", "rpa", "uipath", "automation anywhere", "blue prism",
        "business process automation", "workflow automation", "intelligent automation", "hyperautomation",
        "automating manual tasks", "n8n", "make.com",
    ),
    "developer tooling": (
        "developer tools", "devtools", "dev tools", "developer productivity", "developer platforms",
        "internal developer platform", "build systems", "bazel", "monorepos", "monorepo", "git", "version control",
        "github", "code review", "ide plugins", "developer experience",
    ),
    "engineering management": (
        "engineering manager", "eng manager", "vp engineering", "vp of engineering", "head of engineering", "cto",
        "chief technology officer", "director of engineering", "tech lead", "technical lead",
        "engineering leadership", "leading engineering teams", "staff engineer", "principal engineer",
        "technical leadership", "scaling engineering teams",
    ),
    "technical program management": (
        "tpm", "technical programme management", "technical project management", "technical program manager",
        "engineering program manager", "release management", "cross-functional delivery", "program delivery",
        "engineering operations",
    ),
    "solutions engineering": (
        "solutions engineer", "sales engineering", "sales engineer", "pre-sales", "presales", "technical sales",
        "solution consulting", "solutions consultant", "technical account manager", "tam", "proof of concept",
        "product demos", "customer engineering", "field engineering", "forward deployed engineer",
    ),
    "content management systems": (
        "cms", "wordpress", "drupal", "contentful", "headless cms", "sanity", "strapi", "webflow",
        "website building", "squarespace", "wix", "website management", "content platforms",
    ),
    "quantum computing": (
        "quantum", "qubits", "quantum algorithms", "qiskit", "quantum software", "quantum hardware",
        "quantum information", "quantum technologies", "quantum tech", "quantum machine learning",
        "quantum sensing",
    ),
    "it services": (
        "managed services", "msp", "it outsourcing", "it support", "system integrators", "systems integration",
        "it infrastructure", "outsourcing", "offshoring", "nearshoring", "bpo", "business process outsourcing",
        "it consultancy", "it operations", "help desk", "legacy modernisation", "legacy modernization",
        "mainframe",
    ),
    "crm systems": (
        "crm", "salesforce", "hubspot", "customer relationship management", "salesforce development",
        "salesforce developer", "dynamics crm", "pipedrive", "crm implementation", "crm strategy", "zoho crm",
        "salesforce admin",
    ),
    "erp systems": (
        "erp", "sap", "oracle erp", "netsuite", "microsoft dynamics", "dynamics 365", "erp implementation",
        "sap s/4hana", "enterprise resource planning", "workday", "odoo", "business systems",
        "enterprise applications",
    ),
    "localisation": (
        "localization", "l10n", "internationalisation", "internationalization", "i18n", "translation",
        "translator", "multilingual content", "language services", "transcreation", "localisation management",
    ),

    # Data and analytics
    "data engineering": (
        "data pipelines", "etl", "elt", "etl pipelines", "data ingestion", "data integration", "spark",
        "apache spark", "airflow", "apache airflow", "fivetran", "batch processing", "data infrastructure",
        "data platform", "data engineer", "building data pipelines", "pyspark", "big data", "hadoop",
    ),
    "data warehousing": (
        "data warehouse", "dwh", "snowflake", "bigquery", "redshift", "databricks", "lakehouse", "data lake",
        "data lakes", "delta lake", "dimensional modelling", "dimensional modeling", "star schema",
        "modern data stack", "dbt", "analytics engineering", "analytics engineer",
    ),
    "stream processing": (
        "real-time data", "streaming data", "kafka", "apache kafka", "flink", "apache flink", "kinesis",
        "event streaming", "spark streaming", "pub/sub", "change data capture", "cdc", "real-time analytics",
        "event pipelines",
    ),
    "business intelligence": (
        "bi", "analytics", "data analytics", "data analysis", "data analyst", "reporting", "dashboards",
        "kpi reporting", "kpis", "tableau", "power bi", "looker", "metabase", "qlik", "excel", "advanced excel",
        "insights", "self-service analytics", "business analytics", "business analyst",
    ),
    "data visualisation": (
        "data visualization", "dataviz", "data viz", "visualizing data", "visualising data", "charts", "d3.js",
        "d3", "infographics", "storytelling with data", "data storytelling", "tableau", "power bi", "plotly",
        "dashboard design", "visual analytics", "charting",
    ),
    "data science": (
        "data scientist", "predictive modelling", "predictive modeling", "predictive analytics", "pandas",
        "scikit-learn", "sklearn", "jupyter", "jupyter notebooks", "r programming", "r language",
        "advanced analytics", "feature engineering", "kaggle", "data mining", "applied data science", "numpy",
    ),
    "statistics": (
        "statistical analysis", "statistical modelling", "statistical modeling", "regression analysis",
        "regression", "bayesian statistics", "bayesian inference", "hypothesis testing", "probability",
        "econometrics", "biostatistics", "causal inference", "spss", "stata", "sas", "quantitative analysis",
        "quantitative methods", "statistician",
    ),
    "quantitative finance": (
        "quant", "quants", "quantitative trading", "algorithmic trading", "algo trading", "high-frequency trading",
        "hft", "quantitative research", "quant research", "derivatives pricing", "risk modelling", "risk modeling",
        "portfolio optimisation", "portfolio optimization", "trading systems", "financial engineering",
    ),
    "operations research": (
        "optimisation", "optimization", "mathematical optimisation", "mathematical optimization",
        "linear programming", "integer programming", "scheduling optimisation", "simulation", "route optimisation",
        "route optimization", "solvers", "constraint programming", "decision science", "supply chain optimisation",
    ),
    "geospatial": (
        "gis", "geographic information systems", "mapping", "arcgis", "qgis", "remote sensing",
        "satellite imagery", "satellite data", "location data", "location intelligence", "spatial analysis",
        "earth observation", "geospatial analytics", "maps",
    ),
    "bioinformatics": (
        "computational biology", "genomics data", "sequence analysis", "protein structure prediction", "alphafold",
        "computational chemistry", "cheminformatics", "molecular modelling", "molecular modeling",
        "systems biology", "bioinformatician", "biological data",
    ),
    "data governance": (
        "data quality", "master data management", "mdm", "data catalog", "data catalogue", "data lineage",
        "metadata management", "data stewardship", "data management", "data strategy", "data ownership",
        "data mesh", "collibra", "data contracts", "data observability",
    ),
    "data labelling": (
        "data labeling", "data annotation", "annotation", "labelled data", "labeled data", "training data",
        "human-in-the-loop", "ground truth", "scale ai", "labelbox", "dataset curation", "synthetic data",
    ),
    "experimentation": (
        "a/b testing", "ab testing", "a-b testing", "a/b tests", "split testing", "controlled experiments",
        "online experiments", "online experimentation", "experiment design", "multivariate testing",
        "feature flags", "optimizely", "statistical significance", "test and learn", "experimentation platform",
    ),

    # AI and machine learning
    "artificial intelligence": (
        "ai", "a.i.", "ai research", "ai researcher", "ai engineering", "ai engineer", "intelligent systems",
        "cognitive computing", "ai/ml", "ai technology", "ai solutions", "ai startups", "applied ai", "ai systems",
    ),
    "machine learning": (
        "ml", "ml engineering", "ml engineer", "machine learning engineer", "supervised learning",
        "unsupervised learning", "classification models", "predictive models", "xgboost", "scikit-learn",
        "model training", "ai/ml", "gradient boosting", "ml models", "applied ml", "machine learning models",
        "statistical learning",
    ),
    "deep learning": (
        "neural networks", "neural nets", "pytorch", "tensorflow", "keras", "jax", "transformers", "cnns", "rnns",
        "convolutional neural networks", "gpu training", "representation learning", "deep neural networks",
        "model architectures", "deep learning research",
    ),
    "reinforcement learning": (
        "rl", "deep reinforcement learning", "rlhf", "multi-agent reinforcement learning", "policy optimisation",
        "policy optimization", "bandits", "multi-armed bandits", "decision making under uncertainty",
        "reward modelling", "reward modeling", "game-playing ai", "sequential decision making",
    ),
    "natural language processing": (
        "nlp", "text analytics", "text mining", "computational linguistics", "language technology",
        "sentiment analysis", "named entity recognition", "ner", "text classification", "spacy", "hugging face",
        "machine translation", "information extraction", "semantic search", "language understanding",
        "text processing",
    ),
    "speech and conversational ai": (
        "speech recognition", "asr", "text-to-speech", "tts", "speech synthesis", "voice assistants", "voice ai",
        "voice technology", "speech technology", "conversational ai", "chatbots", "chatbot development",
        "dialogue systems", "voice interfaces", "alexa skills", "spoken language understanding",
    ),
    "computer vision": (
        "image recognition", "image processing", "object detection", "image classification", "image segmentation",
        "opencv", "visual recognition", "video analytics", "video understanding", "facial recognition",
        "face recognition", "ocr", "optical character recognition", "yolo", "machine vision", "visual ai",
    ),
    "generative ai": (
        "genai", "gen ai", "generative models", "text-to-image", "image generation", "diffusion models",
        "stable diffusion", "midjourney", "dall-e", "ai-generated content", "synthetic media", "ai art",
        "ai content creation", "foundation models", "chatgpt", "generative artificial intelligence",
    ),
    "llm applications": (
        "llms", "llm", "large language models", "llm apps", "llm engineering", "rag",
        "retrieval-augmented generation", "retrieval augmented generation", "langchain", "llamaindex",
        "vector databases", "embeddings", "fine-tuning llms", "llm fine-tuning", "openai api", "gpt", "gpt-4",
        "claude", "ai copilots", "building with llms",
    ),
    "prompt engineering": (
        "prompt design", "prompting", "prompt engineer", "chatgpt prompts", "system prompts",
        "prompt optimisation", "prompt optimization", "few-shot prompting", "chain of thought",
        "chain-of-thought prompting", "using chatgpt", "ai prompting", "prompt writing", "prompt crafting",
    ),
    "ai agents": (
        "agentic ai", "autonomous agents", "multi-agent systems", "agent frameworks", "tool use",
        "function calling", "crewai", "autogen", "ai automation", "agent workflows", "agentic workflows",
        "llm agents", "ai assistants", "building ai agents", "langgraph",
    ),
    "responsible ai": (
        "ai ethics", "ethical ai", "ai safety", "ai alignment", "ai governance", "fairness in ml",
        "algorithmic fairness", "algorithmic bias", "explainable ai", "xai", "trustworthy ai", "eu ai act",
        "ai regulation", "model interpretability", "ai policy", "ai risk",
    ),
    "ai strategy": (
        "ai transformation", "ai adoption", "ai for business", "enterprise ai", "ai in business",
        "ai implementation", "ai use cases", "ai roadmap", "ai product strategy", "ai-first", "ai integration",
        "ai consulting", "ai readiness", "ai-powered products", "ai products",
    ),
    "mlops": (
        "ml ops", "ml infrastructure", "ml platform", "model deployment", "model serving", "model monitoring",
        "ml pipelines", "mlflow", "kubeflow", "sagemaker", "vertex ai", "feature stores", "feature store",
        "model registry", "llmops", "productionizing models", "productionising models", "ml in production",
    ),
    "recommender systems": (
        "recommendation systems", "recommendation engines", "recommendations", "recommender", "personalisation",
        "personalization", "collaborative filtering", "matrix factorisation", "matrix factorization",
        "ranking systems", "content recommendation", "learning to rank", "feed ranking", "personalized feeds",
        "personalised feeds", "search ranking",
    ),
    "time series forecasting": (
        "time series", "time-series", "time series analysis", "forecasting", "demand forecasting",
        "sales forecasting", "arima", "prophet", "anomaly detection", "sequential data", "forecasting models",
        "predictive forecasting", "signal forecasting",
    ),

    # Security, privacy and trust
    "cybersecurity": (
        "cyber security", "information security", "infosec", "it security", "security engineering",
        "security engineer", "cyber", "security operations", "soc", "security analyst", "blue team",
        "threat detection", "siem", "security operations centre", "security operations center",
        "incident response", "detection engineering",
    ),
    "application security": (
        "appsec", "secure coding", "owasp", "owasp top 10", "sast", "dast", "code security", "secure sdlc",
        "devsecops", "vulnerability management", "software supply chain security", "dependency scanning",
        "web security", "api security", "product security", "secure software development",
    ),
    "cloud security": (
        "cspm", "cloud security posture management", "cnapp", "cwpp", "aws security", "container security",
        "kubernetes security", "cloud compliance", "secure cloud architecture", "cloud iam",
        "securing cloud infrastructure", "cloud native security",
    ),
    "threat modelling": (
        "threat modeling", "stride", "attack surface analysis", "security architecture", "security design reviews",
        "attack trees", "threat analysis", "security risk assessment", "threat intelligence",
        "cyber threat intelligence", "cti", "mitre att&ck", "security architect", "risk assessment",
    ),
    "penetration testing": (
        "pentesting", "pen testing", "pentest", "ethical hacking", "ethical hacker", "red team", "red teaming",
        "offensive security", "oscp", "vulnerability assessment", "bug bounty", "bug bounties",
        "exploit development", "burp suite", "kali linux", "security testing", "white hat hacking",
    ),
    "identity and access management": (
        "iam", "identity management", "access management", "sso", "single sign-on", "oauth", "oauth2", "oidc",
        "openid connect", "saml", "okta", "auth0", "authentication", "authorization", "authorisation", "mfa",
        "zero trust", "privileged access management", "active directory", "identity verification",
    ),
    "cryptography": (
        "encryption", "public key infrastructure", "pki", "tls", "ssl", "applied cryptography",
        "post-quantum cryptography", "zero-knowledge proofs", "zk proofs", "zkp", "key management", "hsm",
        "homomorphic encryption", "digital signatures", "cryptographer", "cryptographic protocols",
        "privacy-enhancing technologies", "federated learning", "secure multi-party computation",
        "confidential computing",
    ),
    "security compliance": (
        "compliance", "soc 2", "soc2", "iso 27001", "iso27001", "grc", "governance risk and compliance",
        "security audits", "pci dss", "pci compliance", "hipaa compliance", "nist", "nist csf", "fedramp",
        "internal controls", "sox compliance", "audit readiness", "vanta", "drata",
    ),
    "fraud detection": (
        "fraud prevention", "anti-fraud", "fraud analytics", "fraud", "aml", "anti-money laundering", "kyc",
        "know your customer", "transaction monitoring", "risk scoring", "chargebacks", "fraud risk",
        "financial crime", "fincrime", "identity verification", "account takeover prevention", "trust and safety",
    ),
    "data privacy": (
        "privacy", "gdpr", "ccpa", "data protection", "privacy engineering", "privacy by design", "dpo",
        "data protection officer", "personal data", "pii", "consent management", "privacy compliance",
        "anonymisation", "anonymization", "differential privacy", "uk gdpr", "privacy law",
    ),
    "digital forensics": (
        "forensics", "incident investigation", "malware analysis", "reverse engineering", "dfir", "threat hunting",
        "memory forensics", "e-discovery", "ediscovery", "cyber forensics", "computer forensics",
        "malware research",
    ),

    # Robotics and hardware
    "robotics": (
        "robots", "robotic systems", "ros", "ros2", "robot operating system", "robot control",
        "robotic manipulation", "motion planning", "industrial robots", "cobots", "collaborative robots",
        "robot arms", "robotic arms", "mobile robots", "humanoid robots", "humanoids", "mechatronics",
        "robotics engineering", "robotics engineer",
    ),
    "robot perception": (
        "slam", "localization and mapping", "localisation and mapping", "sensor fusion", "lidar", "point clouds",
        "3d perception", "depth sensing", "visual odometry", "state estimation", "perception systems",
        "perception engineer", "stereo vision", "kalman filters", "autonomy perception",
    ),
    "autonomous vehicles": (
        "self-driving cars", "self-driving", "autonomous driving", "self driving", "adas", "driver assistance",
        "autonomy stack", "robotaxis", "robotaxi", "autonomous systems", "vehicle autonomy", "path planning",
        "motion planning", "autonomous trucking", "driverless cars", "waymo",
    ),
    "drones": (
        "drone", "uav", "uavs", "unmanned aerial vehicles", "unmanned aircraft", "quadcopters", "drone delivery",
        "aerial robotics", "drone pilot", "uas", "flight controllers", "px4", "ardupilot", "drone mapping",
        "drone technology",
    ),
    "semiconductors": (
        "semiconductor", "chips", "chip design", "asic", "fpga", "vlsi", "silicon", "integrated circuits", "eda",
        "verilog", "vhdl", "systemverilog", "rtl design", "semiconductor manufacturing", "foundry", "fabs",
        "soc design", "risc-v", "chip industry",
    ),
    "electronics": (
        "electrical engineering", "electrical engineer", "pcb design", "pcb", "pcbs", "circuit design",
        "analog electronics", "digital electronics", "power electronics", "hardware engineering",
        "hardware engineer", "altium", "kicad", "schematic design", "signal integrity", "electronic design",
        "electronics engineering", "photonics", "optics", "optoelectronics",
    ),
    "signal processing": (
        "dsp", "digital signal processing", "audio signal processing", "rf engineering", "radio frequency", "rf",
        "wireless communications", "antenna design", "sdr", "software defined radio", "signal analysis", "radar",
        "communications systems",
    ),
    "additive manufacturing": (
        "3d printing", "3d printers", "rapid prototyping", "metal 3d printing", "fdm", "sla printing",
        "stereolithography", "3d printed parts", "digital fabrication", "maker spaces", "makerspace",
    ),
    "mechanical engineering": (
        "mechanical design", "mechanical engineer", "cad", "solidworks", "fusion 360", "autocad", "catia", "creo",
        "fea", "finite element analysis", "cfd", "computational fluid dynamics", "gd&t", "cnc machining", "cnc",
        "product design engineering",
    ),
    "hardware product development": (
        "hardware startups", "hardware startup", "consumer hardware", "physical products", "npi",
        "new product introduction", "hardware prototyping", "prototyping hardware", "dfm",
        "design for manufacturing", "design for manufacture", "manufacturing scale-up", "contract manufacturing",
        "bringing hardware to market", "injection moulding", "injection molding", "hardware development",
    ),
    "consumer electronics": (
        "consumer hardware", "wearables", "wearable tech", "wearable devices", "smart devices", "gadgets",
        "smartwatches", "audio devices", "headphones", "smartphones", "connected hardware", "smart home devices",
    ),
    "materials and mining": (
        "advanced materials", "materials engineering", "chemicals", "chemical engineering", "polymers",
        "nanotechnology", "nanomaterials", "composites", "metallurgy", "materials research", "specialty chemicals",
        "coatings", "mining", "critical minerals", "metals and mining", "commodities",
    ),

    # Product and design
    "product management": (
        "product manager", "pm", "product owner", "product strategy", "roadmapping", "product roadmap", "roadmaps",
        "prioritisation", "prioritization", "product lifecycle", "product leadership", "head of product", "cpo",
        "chief product officer", "feature prioritization", "building products", "product vision", "prd",
        "product requirements", "group product manager",
    ),
    "product discovery": (
        "customer discovery", "problem discovery", "jobs to be done", "jtbd", "opportunity solution tree",
        "customer interviews", "validating ideas", "idea validation", "product-market fit", "product market fit",
        "pmf", "mvp", "minimum viable product", "lean startup", "continuous discovery", "assumption testing",
        "problem validation",
    ),
    "ux research": (
        "user research", "usability testing", "user interviews", "design research", "customer research",
        "ethnographic research", "qualitative research", "user testing", "personas", "journey mapping",
        "research ops", "researchops", "diary studies", "card sorting", "mixed methods research", "ux researcher",
        "user researcher",
    ),
    "ux/ui design": (
        "ux design", "ui design", "ux", "ui", "ui/ux", "user experience", "user interface design",
        "interaction design", "ixd", "product design", "product designer", "figma", "sketch", "wireframing",
        "prototyping", "human-centered design", "human-centred design", "user-centered design",
        "user-centred design", "web design",
    ),
    "design systems": (
        "design system", "component libraries", "component library", "ui component library", "pattern libraries",
        "design tokens", "storybook", "atomic design", "ui kits", "design ops", "designops", "reusable components",
        "material design", "design language",
    ),
    "product analytics": (
        "amplitude", "mixpanel", "heap", "posthog", "pendo", "user analytics", "funnel analysis",
        "retention analysis", "cohort analysis", "event tracking", "product metrics", "engagement metrics",
        "north star metric", "usage analytics", "activation metrics", "product data",
    ),
    "service design": (
        "design thinking", "customer journey mapping", "customer experience design", "cx design",
        "service blueprints", "service blueprinting", "human-centred service design", "co-design", "codesign",
        "design sprints", "design sprint",
    ),
    "graphic design": (
        "visual design", "illustration", "illustrator", "adobe creative suite", "adobe creative cloud",
        "photoshop", "adobe illustrator", "indesign", "motion graphics", "motion design", "typography",
        "layout design", "canva", "after effects", "graphic designer", "visual communication",
    ),
    "writing and content": (
        "copywriting", "copywriter", "content writing", "content writer", "ux writing", "content design",
        "editing", "editor", "blogging", "ghostwriting", "storytelling", "creative writing", "scriptwriting",
        "writer", "long-form writing", "proofreading",
    ),
    "video and audio production": (
        "video production", "filmmaking", "film production", "video editing", "content production",
        "post-production", "cinematography", "photography", "photographer", "premiere pro", "final cut pro",
        "youtube videos", "podcasting", "podcast production", "audio production", "audio engineering",
        "videography",
    ),

    # Business: sales, marketing and growth
    "sales": (
        "selling", "sales strategy", "sales pipeline", "quota attainment", "sales management", "sales leader",
        "sales leadership", "head of sales", "vp sales", "commercial", "commercial director", "direct sales",
        "b2c sales", "revenue generation", "closing deals", "sales professional", "salesperson",
    ),
    "enterprise sales": (
        "b2b sales", "complex sales", "strategic sales", "account executive", "ae", "selling to enterprises",
        "enterprise account executive", "solution selling", "consultative selling", "consultative sales",
        "large deals", "saas sales", "meddic", "meddpicc", "challenger sale", "long sales cycles",
        "enterprise deals", "software sales",
    ),
    "sales development": (
        "sdr", "bdr", "sales development representative", "business development representative", "outbound sales",
        "outbound", "outbound prospecting", "prospecting", "cold calling", "cold emailing", "cold outreach",
        "lead generation", "lead gen", "pipeline generation", "appointment setting", "sales outreach",
        "inside sales",
    ),
    "account management": (
        "account manager", "key account management", "key accounts", "client relationships",
        "client relationship management", "customer relationships", "upselling", "cross-selling", "upsell",
        "renewals", "expansion revenue", "strategic accounts", "client services", "relationship management",
        "client management", "account director",
    ),
    "partnerships": (
        "strategic partnerships", "business development", "biz dev", "bizdev", "channel partnerships",
        "channel sales", "alliances", "strategic alliances", "partner management", "partner manager",
        "reseller partnerships", "resellers", "partner ecosystem", "joint ventures", "integration partnerships",
        "affiliate partnerships", "partnership development",
    ),
    "customer success": (
        "csm", "customer success manager", "customer retention", "churn", "churn reduction", "reducing churn",
        "customer onboarding", "onboarding customers", "client success", "customer health", "customer advocacy",
        "customer lifetime value", "retention", "customer adoption",
    ),
    "customer support": (
        "customer service", "support operations", "helpdesk", "help desk", "zendesk", "intercom", "contact centre",
        "contact center", "call centre", "call center", "customer care", "support tickets", "ticketing",
        "technical support", "tech support", "support team",
    ),
    "customer experience": (
        "cx", "nps", "net promoter score", "voice of the customer", "voc", "customer satisfaction", "csat",
        "customer journey", "customer feedback", "customer loyalty", "loyalty programs", "loyalty programmes",
        "customer-centricity", "customer centricity", "customer insights",
    ),
    "marketing": (
        "digital marketing", "online marketing", "marketing strategy", "integrated marketing",
        "marketing leadership", "cmo", "chief marketing officer", "head of marketing", "vp marketing",
        "b2b marketing", "b2c marketing", "marketing manager", "marketer", "marketing campaigns",
        "omnichannel marketing",
    ),
    "growth marketing": (
        "growth hacking", "growth", "growth strategy", "growth hacker", "user acquisition", "customer acquisition",
        "activation", "retention marketing", "viral loops", "referral programs", "referral programmes",
        "funnel optimisation", "funnel optimization", "conversion rate optimisation",
        "conversion rate optimization", "cro", "aarrr", "growth loops", "growth lead", "scaling user base",
    ),
    "product-led growth": (
        "plg", "self-serve", "self-serve growth", "freemium", "free trial conversion", "bottom-up adoption",
        "product-led sales", "viral growth", "in-product onboarding", "user activation", "product qualified leads",
        "pqls", "product-led", "product led growth",
    ),
    "lifecycle marketing": (
        "email marketing", "crm marketing", "marketing automation", "drip campaigns", "email campaigns",
        "newsletters", "mailchimp", "klaviyo", "braze", "iterable", "customer engagement", "push notifications",
        "retention campaigns", "nurture campaigns", "lead nurturing", "hubspot marketing",
    ),
    "performance marketing": (
        "paid acquisition", "paid media", "paid ads", "paid marketing", "digital advertising",
        "online advertising", "ppc", "pay per click", "sem", "search engine marketing", "google ads", "adwords",
        "facebook ads", "meta ads", "paid social", "roas", "cpa", "media buying", "linkedin ads", "tiktok ads",
    ),
    "seo": (
        "search engine optimisation", "search engine optimization", "organic search", "organic traffic",
        "organic growth", "keyword research", "technical seo", "link building", "backlinks", "on-page seo",
        "google search console", "ahrefs", "semrush", "local seo", "search rankings", "serp", "seo strategy",
    ),
    "content marketing": (
        "content strategy", "content strategist", "blogging", "thought leadership", "editorial",
        "editorial strategy", "content creation", "inbound marketing", "inbound", "whitepapers", "ebooks",
        "case studies", "content calendar", "brand storytelling", "b2b content", "content marketer",
    ),
    "product marketing": (
        "pmm", "product marketing manager", "positioning", "messaging", "positioning and messaging",
        "competitive intelligence", "market positioning", "product launches", "launches", "sales enablement",
        "value proposition", "competitive analysis", "analyst relations", "launch marketing", "customer marketing",
    ),
    "demand generation": (
        "demand gen", "pipeline marketing", "abm", "account-based marketing", "account based marketing",
        "webinars", "mqls", "marketing qualified leads", "b2b demand gen", "field marketing", "lead scoring",
        "marketing pipeline", "demand generation manager",
    ),
    "revenue operations": (
        "revops", "sales operations", "sales ops", "marketing operations", "marketing ops", "crm operations",
        "salesforce admin", "hubspot admin", "pipeline forecasting", "sales analytics", "gtm operations",
        "deal desk", "territory planning", "commission planning", "revenue ops",
    ),
    "social media marketing": (
        "social media", "smm", "social media management", "social media manager", "instagram marketing",
        "linkedin marketing", "tiktok marketing", "organic social", "social strategy", "social media strategy",
        "social content", "community management", "social listening",
    ),
    "influencer and creator economy": (
        "creator economy", "content creators", "content creator", "influencers", "influencer",
        "influencer marketing", "youtubers", "youtuber", "creators", "ugc", "user-generated content",
        "creator tools", "patreon", "substack", "creator monetisation", "creator monetization", "tiktok",
        "newsletter writer",
    ),
    "events": (
        "event management", "event planning", "event planner", "conferences", "trade shows", "event marketing",
        "event production", "meetups", "hosting events", "experiential marketing", "virtual events",
        "event organisation", "event organization", "event organiser", "event organizer", "hackathons", "summits",
    ),
    "brand": (
        "branding", "brand strategy", "brand marketing", "brand identity", "brand management", "brand manager",
        "brand positioning", "visual identity", "rebranding", "brand building", "brand awareness",
        "creative direction", "creative director", "brand storytelling", "brand guidelines", "brand design",
    ),
    "public relations": (
        "pr", "communications", "comms", "corporate communications", "media relations", "press relations",
        "press releases", "crisis communications", "internal communications", "external communications",
        "spokesperson", "earned media", "reputation management", "press coverage", "journalist relations",
        "pr agency",
    ),
    "community building": (
        "community management", "community manager", "online communities", "community-led growth",
        "building communities", "community builder", "discord community", "slack community",
        "community engagement", "ambassador programs", "ambassador programmes", "user groups", "meetups",
        "fan communities", "community strategy", "community",
    ),
    "advertising": (
        "ad agency", "advertising agency", "creative agency", "media agency", "advertising campaigns",
        "creative strategy", "copywriting", "media planning", "account planning", "brand campaigns",
        "integrated campaigns", "ad campaigns", "ads", "creative advertising",
    ),
    "pricing": (
        "pricing strategy", "monetisation", "monetization", "price optimisation", "price optimization",
        "packaging and pricing", "saas pricing", "usage-based pricing", "subscription pricing", "revenue models",
        "business models", "value-based pricing", "dynamic pricing", "willingness to pay", "discount strategy",
        "revenue management",
    ),
    "go-to-market": (
        "gtm", "go to market", "gtm strategy", "go-to-market strategy", "market entry", "launch strategy",
        "commercialisation", "commercialization", "market expansion", "international expansion",
        "ideal customer profile", "icp", "sales and marketing alignment", "route to market", "gtm planning",
        "market launch",
    ),
    "public speaking": (
        "keynote speaking", "keynote speaker", "speaker", "presenting", "presentations", "conference talks",
        "conference speaking", "moderating panels", "panel moderator", "panel discussions", "podcast host",
        "keynotes", "speaking engagements", "speaking", "presentation skills",
    ),
    "negotiation": (
        "negotiating", "deal negotiation", "contract negotiation", "conflict resolution", "mediation",
        "persuasion", "influencing stakeholders", "negotiator", "commercial negotiation", "influencing",
    ),

    # Business: finance, investing and legal
    "fundraising": (
        "raising capital", "raising money", "raising funds", "seed round", "series a", "series b", "pitch deck",
        "pitching investors", "investor pitch", "investor relations", "venture funding", "startup funding",
        "capital raising", "term sheets", "pre-seed", "raising a round", "convertible notes", "safe notes",
        "crowdfunding", "funding round",
    ),
    "venture capital": (
        "vc", "venture investing", "venture capitalist", "early-stage investing", "seed investing", "venture fund",
        "vc fund", "venture partner", "general partner", "deal flow", "dealflow", "portfolio companies",
        "startup investing", "limited partners", "lps", "corporate venture capital", "cvc", "growth equity",
        "investor",
    ),
    "angel investing": (
        "angel investor", "angel", "angels", "business angel", "business angels", "angel syndicate",
        "angel syndicates", "angel networks", "angel groups", "super angel", "early-stage investing",
        "pre-seed investing", "investing in startups", "startup investing", "vc scout", "scout investor",
        "angel checks",
    ),
    "private equity": (
        "pe", "buyouts", "leveraged buyouts", "lbo", "growth equity", "portfolio operations", "value creation",
        "pe fund", "private markets", "alternative investments", "fund management", "carried interest",
        "search funds", "search fund", "private capital", "pe investor",
    ),
    "mergers and acquisitions": (
        "m&a", "mergers & acquisitions", "acquisitions", "corporate development", "corp dev", "due diligence",
        "deal making", "dealmaking", "post-merger integration", "valuation", "valuations", "exits",
        "startup exits", "divestitures", "investment banking", "sell-side", "buy-side", "ipo", "selling a company",
    ),
    "capital markets": (
        "trading", "stock market", "equities", "equities trading", "investment banking", "brokerage", "securities",
        "sales and trading", "market making", "derivatives", "fixed income", "bonds", "stock exchanges", "traders",
        "hedge funds", "public markets",
    ),
    "asset management": (
        "wealth management", "portfolio management", "portfolio manager", "financial advisory",
        "financial advisor", "financial adviser", "financial planning", "investment management", "family office",
        "family offices", "fund manager", "wealthtech", "robo-advisors", "investment research", "equities",
        "fixed income", "private banking",
    ),
    "corporate finance": (
        "fp&a", "financial planning and analysis", "financial modelling", "financial modeling", "budgeting",
        "forecasting", "cfo", "chief financial officer", "finance leadership", "treasury", "cash flow management",
        "unit economics", "financial analysis", "finance", "variance analysis", "board reporting",
        "fractional cfo", "finance director",
    ),
    "accounting": (
        "bookkeeping", "accountant", "cpa", "chartered accountant", "aca", "acca", "audit", "auditing", "tax",
        "taxation", "financial reporting", "ifrs", "gaap", "us gaap", "accounts payable", "accounts receivable",
        "xero", "quickbooks", "month-end close", "controller",
    ),
    "legal": (
        "law", "lawyer", "attorney", "solicitor", "barrister", "legal counsel", "general counsel",
        "in-house counsel", "contracts", "contract law", "contract negotiation", "commercial contracts",
        "corporate law", "legal advice", "paralegal", "litigation", "employment law", "legal operations",
        "law firm",
    ),
    "intellectual property": (
        "ip", "patents", "patent", "patent law", "patent attorney", "patent agent", "trademarks", "trademark",
        "copyright", "ip strategy", "patent prosecution", "ip licensing", "licensing", "trade secrets",
        "freedom to operate", "patent portfolio", "tech transfer", "technology transfer",
    ),
    "regulatory affairs": (
        "regulatory", "regulation", "regulatory strategy", "fda", "fda approval", "regulatory submissions",
        "ce marking", "mdr", "medical device regulation", "ema", "regulatory compliance", "regulatory approval",
        "regulatory pathways", "510(k)", "clinical regulatory", "regulatory consultant",
    ),
    "public policy": (
        "policy", "government affairs", "government relations", "lobbying", "public affairs", "policy advocacy",
        "think tanks", "policy analysis", "legislative affairs", "regulatory policy", "tech policy",
        "policy maker", "policymaker", "policymaking", "advocacy",
    ),
    "economics": (
        "economist", "macroeconomics", "microeconomics", "economic policy", "behavioural economics",
        "behavioral economics", "economic research", "development economics", "labour economics",
        "labor economics", "econometrics", "economic analysis", "market design",
    ),
    "behavioural science": (
        "behavioral science", "behavioural design", "behavioral design", "nudging", "nudges", "psychology",
        "consumer psychology", "cognitive science", "habit formation", "persuasive design", "behaviour change",
        "behavior change", "decision science",
    ),

    # Business: people, operations and strategy
    "human resources": (
        "hr", "people operations", "people ops", "hr business partner", "hrbp", "employee relations",
        "compensation and benefits", "comp and ben", "total rewards", "hr policies", "employee onboarding",
        "employee experience", "hris", "chro", "chief people officer", "people team", "workforce planning",
        "payroll", "hr manager", "head of people",
    ),
    "recruiting": (
        "recruitment", "talent acquisition", "ta", "recruiter", "technical recruiting", "tech recruiting",
        "tech recruitment", "headhunting", "headhunter", "executive search", "sourcing candidates", "hiring",
        "talent sourcing", "employer branding", "employer brand", "staffing", "interviewing",
        "candidate experience", "recruitment agency", "talent partner",
    ),
    "people management": (
        "leadership", "team leadership", "managing teams", "managing people", "line management", "line manager",
        "team lead", "team leader", "leading teams", "people manager", "team building", "building teams",
        "scaling teams", "performance management", "one-on-ones", "1:1s", "servant leadership",
        "high-performing teams",
    ),
    "executive leadership": (
        "ceo", "chief executive", "chief executive officer", "c-suite", "c-level", "managing director",
        "general manager", "president", "executive", "senior leadership", "senior leader", "vp", "vice president",
        "founder-ceo", "chief of staff", "board member", "board of directors", "non-executive director",
        "board advisor",
    ),
    "coaching and mentoring": (
        "coaching", "mentoring", "mentorship", "executive coaching", "career coaching", "leadership coaching",
        "life coaching", "mentor", "mentors", "coach", "career development", "career advice",
        "professional development", "career guidance", "giving back", "sponsorship", "mentee",
    ),
    "learning and development": (
        "l&d", "training", "corporate training", "upskilling", "reskilling", "instructional design",
        "instructional designer", "workshops", "facilitation", "facilitator", "training programs",
        "training programmes", "e-learning content", "lms", "talent development", "capability building",
        "leadership development",
    ),
    "diversity and inclusion": (
        "diversity equity and inclusion", "dei", "d&i", "inclusion", "belonging", "edi",
        "employee resource groups", "inclusive hiring", "women in tech", "women in stem",
        "underrepresented founders", "allyship", "inclusive leadership", "diversity", "inclusive workplaces",
        "neurodiversity",
    ),
    "organisational culture": (
        "organizational culture", "company culture", "culture building", "culture", "employee engagement",
        "org design", "organisational design", "organizational design", "change management",
        "organisational development", "organizational development", "remote work", "hybrid work", "future of work",
        "distributed teams", "remote teams",
    ),
    "operations": (
        "business operations", "ops", "operational excellence", "bizops", "process improvement",
        "process optimisation", "process optimization", "lean", "six sigma", "lean six sigma",
        "operations management", "operations manager", "coo", "chief operating officer", "scaling operations",
        "standard operating procedures", "sops", "kaizen", "continuous improvement",
    ),
    "supply chain and logistics": (
        "supply chain", "supply chain management", "scm", "logistics", "inventory management",
        "warehouse management", "warehousing", "distribution", "fulfilment", "fulfillment", "demand planning",
        "s&op", "freight", "shipping", "last-mile delivery", "last mile", "3pl", "supply chain optimization",
        "supply chain optimisation",
    ),
    "procurement": (
        "purchasing", "sourcing", "strategic sourcing", "vendor management", "supplier management",
        "supplier relationships", "spend management", "tendering", "tenders", "rfps", "rfp", "contract management",
        "category management", "buyer", "purchasing decisions", "indirect procurement", "procurement manager",
        "vendor selection",
    ),
    "project management": (
        "project manager", "pm", "pmp", "prince2", "programme management", "program management", "program manager",
        "programme manager", "pmo", "project delivery", "delivery management", "delivery manager",
        "stakeholder management", "gantt charts", "jira", "asana", "project planning", "project coordination",
        "managing projects",
    ),
    "agile and scrum": (
        "agile", "scrum", "scrum master", "kanban", "agile coaching", "agile coach", "safe", "scaled agile",
        "scaled agile framework", "sprints", "sprint planning", "agile methodologies", "agile methodology",
        "agile transformation", "retrospectives", "agile delivery", "product owner", "psm",
    ),
    "consulting": (
        "consultant", "management consulting", "management consultant", "strategy consulting", "advisory",
        "advisor", "adviser", "business consulting", "mckinsey", "bcg", "bain", "big four", "big 4",
        "freelance consulting", "independent consultant", "fractional executive", "it consulting",
        "technology consulting", "consultancy",
    ),
    "strategy": (
        "business strategy", "corporate strategy", "strategic planning", "competitive strategy", "market analysis",
        "market research", "business planning", "strategic initiatives", "okrs", "long-range planning",
        "growth strategy", "strategic thinking", "scenario planning", "business model innovation", "strategist",
        "strategic partnerships",
    ),
    "entrepreneurship": (
        "entrepreneur", "founder", "co-founder", "cofounder", "startups", "startup", "startup founder",
        "founding team", "building a startup", "solo founder", "serial entrepreneur", "bootstrapping",
        "bootstrapped", "starting a business", "founding a company", "small business owner", "business owner",
        "early-stage startups",
    ),
    "startup ecosystem": (
        "startup accelerators", "accelerator", "accelerators", "incubator", "incubators", "y combinator", "yc",
        "techstars", "startup programs", "startup programmes", "venture studio", "venture studios",
        "venture building", "demo day", "innovation hubs", "startup community", "startup scene",
        "startup ecosystem builder",
    ),
    "innovation": (
        "corporate innovation", "open innovation", "innovation management", "r&d", "research and development",
        "intrapreneurship", "emerging technologies", "emerging tech", "new ventures", "innovation labs",
        "innovation lab", "digital transformation", "disruptive innovation", "tech scouting",
        "innovation strategy",
    ),
    "academic research": (
        "research", "phd", "researcher", "postdoc", "postdoctoral", "university research", "scientific research",
        "publications", "peer review", "research scientist", "principal investigator", "academia", "academic",
        "professor", "lecturer", "research lab", "phd student",
    ),

    # Industries: finance
    "fintech": (
        "financial technology", "fin tech", "financial services", "financial services technology",
        "embedded finance", "open banking", "banking-as-a-service", "baas", "personal finance apps",
        "personal finance", "financial inclusion", "robo-advisors", "neobanks", "fintech startups", "money apps",
        "finserv", "regtech", "regulatory technology", "compliance automation",
    ),
    "payments": (
        "payment processing", "payment systems", "payment gateways", "payment infrastructure", "stripe", "adyen",
        "paypal", "card payments", "acquiring", "card issuing", "cross-border payments", "remittances",
        "real-time payments", "checkout", "mobile payments", "digital wallets", "point of sale", "payment rails",
        "psd2", "merchant services",
    ),
    "digital banking": (
        "neobank", "neobanks", "challenger banks", "challenger bank", "online banking", "mobile banking",
        "banking", "retail banking", "core banking", "open banking", "banking-as-a-service", "banking technology",
        "bank", "banks", "monzo", "revolut", "chime", "banking apps",
    ),
    "lending and credit": (
        "lending", "credit", "credit risk", "underwriting", "loans", "consumer lending", "sme lending",
        "alternative lending", "credit scoring", "bnpl", "buy now pay later", "mortgages", "microfinance",
        "revenue-based financing", "lending platforms", "credit cards",
    ),
    "insurtech": (
        "insurance technology", "insurance", "insurer", "insurers", "underwriting", "claims", "claims processing",
        "actuarial", "actuarial science", "actuary", "reinsurance", "embedded insurance", "insurance distribution",
        "p&c insurance", "life insurance", "insurance broker", "insurance industry",
    ),
    "crypto": (
        "cryptocurrency", "cryptocurrencies", "bitcoin", "btc", "ethereum", "digital assets", "crypto exchange",
        "crypto exchanges", "stablecoins", "crypto trading", "tokens", "tokenisation", "tokenization", "defi",
        "crypto custody", "crypto investing", "crypto industry",
    ),

    # Industries: health and life sciences
    "healthtech": (
        "health tech", "digital health", "healthcare technology", "health it", "telehealth", "telemedicine",
        "virtual care", "ehr", "ehrs", "electronic health records", "health apps", "remote patient monitoring",
        "patient engagement", "healthcare software", "mhealth", "health data", "healthcare innovation",
        "health startups", "femtech", "women's health",
    ),
    "healthcare": (
        "health care", "hospitals", "hospital", "clinicians", "clinical", "physician", "physicians", "doctor",
        "doctors", "nursing", "nurse", "patient care", "health systems", "nhs", "public health", "primary care",
        "care providers", "medical practice", "healthcare operations", "medicine",
    ),
    "mental health and wellbeing": (
        "mental health", "wellbeing", "well-being", "wellness", "mental wellness", "therapy", "therapist",
        "mindfulness", "behavioural health", "behavioral health", "meditation", "meditation apps", "burnout",
        "burnout prevention", "employee wellbeing", "nutrition", "health and wellness",
    ),
    "ageing and longevity": (
        "aging", "ageing", "agetech", "age tech", "eldercare", "elder care", "elderly care", "longevity",
        "healthy ageing", "healthy aging", "senior care", "caregiving", "home care", "care homes",
        "longevity biotech",
    ),
    "medtech": (
        "medical devices", "medical device", "medical technology", "med tech", "diagnostics", "medical imaging",
        "surgical robotics", "implants", "in vitro diagnostics", "ivd", "point-of-care diagnostics", "samd",
        "software as a medical device", "iso 13485", "wearable health devices", "digital diagnostics",
    ),
    "biotech": (
        "biotechnology", "life sciences", "synthetic biology", "synbio", "biologics", "cell therapy",
        "gene therapy", "crispr", "gene editing", "molecular biology", "bioprocessing", "biomanufacturing",
        "antibody discovery", "protein engineering", "wet lab", "lab automation", "biotech startups",
    ),
    "pharma": (
        "pharmaceuticals", "pharmaceutical", "pharmaceutical industry", "drug discovery", "drug development",
        "clinical trials", "clinical research", "contract research organisation", "cro", "medicinal chemistry",
        "pharmacology", "biopharma", "medical affairs", "pharmacovigilance", "gmp", "ai drug discovery",
        "therapeutics",
    ),
    "genomics": (
        "genetics", "dna sequencing", "sequencing", "next-generation sequencing", "ngs", "precision medicine",
        "personalised medicine", "personalized medicine", "genome", "genomic medicine", "single-cell",
        "multi-omics", "proteomics", "transcriptomics", "bioinformatics", "genetic testing",
    ),

    # Industries: climate, energy and environment
    "climate tech": (
        "climatetech", "climate technology", "climate solutions", "climate change", "climate action",
        "decarbonisation", "decarbonization", "net zero", "net-zero", "carbon reduction", "emissions reduction",
        "climate mitigation", "climate adaptation", "climate resilience", "climate startups", "greentech",
        "cleantech", "clean tech", "climate",
    ),
    "clean energy": (
        "renewable energy", "renewables", "solar", "solar energy", "solar pv", "solar power", "wind",
        "wind energy", "wind power", "offshore wind", "green hydrogen", "hydrogen", "geothermal", "clean power",
        "sustainable energy", "energy transition", "clean energy transition", "renewable power", "nuclear energy",
        "fusion energy",
    ),
    "energy storage": (
        "batteries", "battery technology", "battery storage", "lithium-ion", "battery chemistry", "grid storage",
        "grid-scale storage", "solid-state batteries", "bess", "battery management systems", "battery recycling",
        "ev batteries", "long-duration energy storage",
    ),
    "carbon accounting": (
        "carbon footprint", "ghg accounting", "greenhouse gas accounting", "ghg protocol", "scope 3",
        "scope 3 emissions", "scope 1 2 3", "emissions reporting", "carbon measurement", "life cycle assessment",
        "lca", "sbti", "science based targets", "emissions data", "carbon management software",
        "carbon management",
    ),
    "carbon removal": (
        "carbon capture", "ccs", "ccus", "carbon capture and storage", "carbon dioxide removal", "cdr",
        "direct air capture", "dac", "carbon sequestration", "biochar", "enhanced weathering",
        "nature-based solutions", "engineered carbon removal",
    ),
    "carbon markets": (
        "carbon credits", "carbon offsets", "carbon offsetting", "offsetting", "voluntary carbon market", "vcm",
        "compliance carbon markets", "emissions trading", "ets", "cap and trade", "carbon pricing", "mrv",
        "carbon registries", "verra", "carbon trading",
    ),
    "sustainability": (
        "esg", "environmental social and governance", "corporate sustainability", "csr",
        "corporate social responsibility", "sustainability reporting", "csrd", "sustainable business",
        "sustainability strategy", "climate disclosure", "tcfd", "b corp", "sustainability manager",
        "responsible business", "sustainable practices", "green finance", "climate finance", "esg investing",
        "sustainable investing",
    ),
    "circular economy": (
        "recycling", "waste management", "waste reduction", "upcycling", "reuse", "zero waste", "circularity",
        "sustainable packaging", "packaging", "resale", "recommerce", "materials recovery", "waste-to-value",
        "second-hand",
    ),
    "nature and water": (
        "nature tech", "biodiversity", "conservation", "nature-based solutions", "ecosystem restoration",
        "rewilding", "ocean conservation", "wildlife conservation", "forestry", "land use",
        "environmental monitoring", "environmental science", "reforestation", "nature positive", "water tech",
        "water management", "water treatment", "desalination",
    ),
    "energy and utilities": (
        "energy", "utilities", "utility", "power grid", "electricity grid", "electricity", "smart grid",
        "grid modernisation", "grid modernization", "energy sector", "energy industry", "oil and gas",
        "energy trading", "power generation", "transmission and distribution", "demand response",
        "energy efficiency", "energy management", "power sector",
    ),
    "electric vehicles": (
        "ev", "evs", "ev charging", "charging infrastructure", "electrification", "e-mobility", "emobility",
        "electric cars", "electric vehicle", "ev fleets", "fleet electrification", "vehicle electrification",
        "charge point operators", "v2g", "vehicle-to-grid", "ev infrastructure",
    ),

    # Industries: food, education, commerce and property
    "agtech": (
        "agritech", "agri-tech", "agriculture technology", "agriculture", "agricultural technology", "farming",
        "precision agriculture", "vertical farming", "indoor farming", "controlled environment agriculture",
        "regenerative agriculture", "crop science", "agrifood", "farm management", "smart farming", "farmers",
    ),
    "foodtech": (
        "food tech", "food technology", "alternative proteins", "alternative protein", "alt protein",
        "plant-based food", "plant-based", "cultivated meat", "cell-cultured meat", "precision fermentation",
        "food science", "food innovation", "future of food", "food waste", "restaurant tech", "food delivery",
        "food systems",
    ),
    "consumer goods": (
        "cpg", "consumer packaged goods", "fmcg", "fast-moving consumer goods", "food and beverage", "f&b",
        "beverages", "consumer brands", "consumer goods brands", "grocery", "groceries", "packaged food",
        "household products", "consumer products",
    ),
    "edtech": (
        "ed tech", "education technology", "educational technology", "online learning", "e-learning", "elearning",
        "online courses", "online education", "moocs", "learning platforms", "lms", "digital learning",
        "remote learning", "tutoring", "coding bootcamps", "bootcamps", "learning apps", "edtech startups",
    ),
    "education": (
        "teaching", "teacher", "educator", "curriculum design", "curriculum development", "pedagogy", "schools",
        "k-12", "k12", "higher education", "universities", "university", "lecturing", "instruction", "students",
        "academic teaching", "further education",
    ),
    "e-commerce": (
        "ecommerce", "e-comm", "online retail", "online store", "online stores", "online shop", "d2c", "dtc",
        "direct-to-consumer", "direct to consumer", "shopify", "woocommerce", "magento", "amazon seller",
        "amazon fba", "online sales", "ecommerce platforms", "digital commerce", "social commerce",
        "headless commerce",
    ),
    "marketplaces": (
        "marketplace", "two-sided marketplaces", "two-sided marketplace", "two-sided markets", "platform business",
        "gig economy", "peer-to-peer marketplaces", "b2b marketplaces", "online marketplaces",
        "marketplace liquidity", "supply and demand matching", "marketplace growth", "sharing economy", "etsy",
        "ebay",
    ),
    "retail": (
        "retail industry", "brick and mortar", "brick-and-mortar", "physical retail", "stores", "store operations",
        "merchandising", "visual merchandising", "retail operations", "omnichannel", "omnichannel retail",
        "retail tech", "retailtech", "point of sale", "consumer retail", "retailer", "retailers",
        "category management",
    ),
    "fashion and beauty": (
        "fashion", "apparel", "fashion tech", "beauty", "cosmetics", "skincare", "luxury", "luxury goods",
        "luxury retail", "beauty industry", "fashion design", "textiles", "sustainable fashion", "clothing brand",
        "beauty tech", "beauty brands",
    ),
    "proptech": (
        "prop tech", "property technology", "real estate", "real estate tech", "property", "property management",
        "commercial real estate", "cre", "residential real estate", "real estate investing",
        "real estate development", "smart buildings", "built environment", "facilities management", "coworking",
        "flexible workspace", "realtor", "estate agent",
    ),
    "construction tech": (
        "contech", "construction technology", "construction", "construction management", "bim",
        "building information modelling", "building information modeling", "aec",
        "architecture engineering construction", "civil engineering", "infrastructure projects",
        "modular construction", "prefab", "built environment", "building materials", "green buildings",
        "architectural design",
    ),

    # Industries: transport, travel and media
    "mobility": (
        "transportation", "transport", "urban mobility", "micromobility", "e-scooters", "bike sharing",
        "ride-hailing", "ridesharing", "ride sharing", "public transit", "public transport",
        "mobility as a service", "maas", "future of mobility", "shared mobility", "transit",
    ),
    "logistics tech": (
        "logtech", "freight tech", "freight forwarding", "trucking", "fleet management", "shipment tracking",
        "supply chain visibility", "delivery tech", "last-mile logistics", "warehouse automation",
        "warehouse robotics", "digital freight", "tms", "transportation management systems", "wms", "courier",
        "parcel delivery", "logistics software", "maritime", "shipping industry",
    ),
    "travel and hospitality": (
        "travel", "tourism", "hospitality", "hotels", "hotel management", "travel tech", "traveltech", "airlines",
        "online travel", "online travel agencies", "vacation rentals", "short-term rentals", "restaurants",
        "hospitality tech", "booking platforms", "tour operators", "destination marketing", "hotel industry",
    ),
    "media and entertainment": (
        "media", "entertainment", "streaming", "video streaming", "music streaming", "film", "tv", "television",
        "publishing", "digital media", "news media", "journalism", "journalist", "broadcasting", "ott",
        "media tech", "film industry", "music", "music industry",
    ),
    "gaming": (
        "video games", "games industry", "game industry", "game studios", "game studio", "esports", "e-sports",
        "mobile games", "mobile gaming", "console games", "pc gaming", "game publishing", "live ops",
        "free-to-play", "f2p", "game monetisation", "game monetization", "twitch",
    ),
    "sports tech": (
        "sportstech", "sports", "sports analytics", "sports performance", "athletes", "fitness", "fitness tech",
        "fitness apps", "wearables", "sports betting", "fan engagement", "sports media", "sports industry",
        "athletic performance", "sports science", "sports business",
    ),

    # Industries: public sector, infrastructure and industrial
    "legal tech": (
        "legaltech", "law tech", "lawtech", "legal technology", "contract management software", "clm",
        "contract lifecycle management", "e-discovery", "document automation", "legal automation",
        "ai for lawyers", "legal ai", "legal research tools", "online dispute resolution", "legal innovation",
    ),
    "govtech": (
        "gov tech", "government technology", "public sector", "government", "civic tech", "civictech",
        "digital government", "e-government", "public services", "local government", "federal government",
        "public administration", "government contracting", "public procurement", "civil service", "civil servant",
        "smart cities", "smart city", "urban tech", "civic innovation",
    ),
    "nonprofit and impact": (
        "nonprofit", "non-profit", "not-for-profit", "ngo", "ngos", "charity", "social impact", "impact",
        "social enterprise", "philanthropy", "foundations", "grantmaking", "grant writing",
        "nonprofit fundraising", "volunteering", "international development", "humanitarian", "social good",
        "tech for good", "impact investing",
    ),
    "telecom": (
        "telecoms", "telecommunications", "telco", "telcos", "5g", "mobile networks", "wireless networks",
        "network operators", "mobile operators", "carriers", "isp", "internet service providers", "broadband",
        "fibre", "fiber", "satellite internet", "lte", "open ran", "oran", "connectivity",
    ),
    "space tech": (
        "spacetech", "space industry", "space sector", "new space", "newspace", "satellites",
        "satellite technology", "satellite", "smallsats", "cubesats", "launch vehicles", "rockets",
        "space exploration", "earth observation", "space startups", "spacecraft", "orbital", "commercial space",
    ),
    "defence": (
        "defense", "defense tech", "defence tech", "defensetech", "national security", "military", "dual-use",
        "dual-use technology", "defense contracting", "defence procurement", "homeland security",
        "intelligence community", "defense industry", "defence industry", "aerospace and defense",
        "aerospace and defence", "a&d", "military technology",
    ),
    "manufacturing": (
        "industry 4.0", "smart manufacturing", "industrial automation", "factory automation",
        "advanced manufacturing", "digital twin", "digital twins", "plc", "scada", "predictive maintenance", "mes",
        "manufacturing execution systems", "iiot", "lean manufacturing", "factories", "factory", "shop floor",
        "quality control", "operational technology", "industrial",
    ),
    "automotive": (
        "automotive industry", "cars", "car industry", "auto industry", "automakers", "automaker", "vehicles",
        "oem", "tier 1 suppliers", "connected cars", "connected vehicles", "software-defined vehicles", "autosar",
        "vehicle engineering", "automotive software", "infotainment", "automotive engineering",
    ),
    "aerospace": (
        "aviation", "aircraft", "aerospace engineering", "aeronautics", "aeronautical engineering", "avionics",
        "airlines", "aviation industry", "evtol", "urban air mobility", "flight systems", "jet engines", "mro",
        "maintenance repair and overhaul", "aerospace industry", "air mobility",
    ),

    # Industries: software and tech sectors
    "saas": (
        "b2b saas", "software as a service", "b2b software", "enterprise software", "b2b tech",
        "subscription software", "cloud software", "vertical saas", "horizontal saas", "smb software", "arr",
        "recurring revenue", "enterprise tech", "business software", "saas startups", "saas company",
    ),
    "hr tech": (
        "hrtech", "hr technology", "recruiting software", "recruitment software", "ats",
        "applicant tracking systems", "applicant tracking system", "workforce management", "people analytics",
        "hris", "employee engagement platforms", "payroll software", "talent platforms", "workplace tech",
        "job boards", "hiring platforms", "future of work",
    ),
    "martech and adtech": (
        "martech", "marketing technology", "adtech", "ad tech", "advertising technology",
        "programmatic advertising", "programmatic", "dsp", "ssp", "ad networks", "ad exchanges",
        "customer data platforms", "cdp", "attribution", "marketing attribution", "ad serving", "retail media",
        "marketing automation",
    ),
    "cybersecurity industry": (
        "security startups", "security vendors", "cybersecurity market", "security products", "mssp",
        "managed security services", "cyber insurance", "security software", "cybersecurity companies",
        "cybersecurity startups", "security industry", "cyber industry",
    ),
    "consumer apps": (
        "consumer tech", "consumer internet", "b2c apps", "b2c", "social apps", "social media platforms",
        "social networks", "social networking", "dating apps", "messaging apps", "mobile consumer apps",
        "consumer subscriptions", "viral apps", "consumer startups", "consumer products", "consumer mobile",
    ),
    "deep tech": (
        "deeptech", "frontier tech", "frontier technology", "hard tech", "hardtech", "science-based startups",
        "research commercialisation", "research commercialization", "spinouts", "university spinouts", "spin-offs",
        "breakthrough technologies",
    ),
}

GOAL_DESCRIPTIONS: dict[str, str] = {
    "LEARN": (
        "A curious professional or student who wants to learn new skills, understand emerging topics and pick up "
        "practical knowledge from experts and peers."
    ),
    "NETWORK": (
        "A sociable professional who wants to meet peers, expand their professional network and build relationships "
        "across companies and industries."
    ),
    "HIRE": "A hiring manager, team lead, founder or recruiter who is growing a team and hiring people.",
    "GET_HIRED": "A professional looking for a new job, open to work and exploring their next role.",
    "FIND_PARTNERS": (
        "A founder, business development or partnerships lead looking for co-founders, collaborators, strategic "
        "partners, distribution channels or integration partners."
    ),
    "FIND_INVESTORS": (
        "A startup founder or CEO who is raising capital, pitching a seed or Series A round and looking for "
        "investors."
    ),
    "INVEST": (
        "An investor such as a venture capital partner, angel investor or fund manager who backs startups and "
        "early-stage companies."
    ),
    "SELL": (
        "A salesperson, account executive, founder or vendor with a product or service to sell who is looking for "
        "customers and new clients."
    ),
    "BUY": (
        "A buyer, procurement lead or decision-maker evaluating vendors, tools and services to purchase for their "
        "organisation."
    ),
    "MENTOR": (
        "An experienced senior professional, executive or seasoned founder who wants to mentor, coach and advise "
        "others and give back."
    ),
    "GET_MENTORED": (
        "An early-career professional, career changer or first-time founder seeking a mentor, guidance, advice and "
        "career coaching."
    ),
}
