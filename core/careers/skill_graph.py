"""The skill graph (seed 003, AI system 1): skill nodes, related-skill edges, Louvain clusters and demand trends."""
from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date, timedelta

import networkx as nx
import numpy as np
from scipy import sparse
from sqlalchemy import delete, insert, select, text
from sqlalchemy.orm import Session

from core.ai.embeddings import Embedder, embed_texts
from core.events.visibility import live, takes_part_in_analytics
from core.knowledge.skill_names import SkillName, canonical_skill, default_label
from core.knowledge.skills import normalize_phrase
from core.platform.clock import Clock
from core.platform.job_context import JobContext
from db.bulk import copy_to_temp_table
from db.models import Alumnus, CourseCompletion, JobPosting, Person
from db.models.careers import BuildKind, CareerBuild, SkillCluster, SkillEdge, SkillNode, SkillRelation

SKILL_GRAPH_JOB = "skill-graph"
GRAPH_VERSION = "2"  # part of the input hash: a change of these rules rebuilds an unchanged graph
# Co-occurrence is counted per context and weighted: postings say what employers ask for together (the strongest
# signal), profiles (alumni, attendees) what people hold together, courses what is taught together.
CONTEXT_WEIGHTS = {"postings": 1.0, "profiles": 0.7, "courses": 0.5}
EDGES_PER_SKILL = 10  # stored edges per source skill, best weight first
CANDIDATES_PER_SKILL = 20  # nearest skills by meaning and by co-occurrence considered per skill
EDGE_NODE_LIMIT = 5000  # beyond this many distinct skills only the most frequent get edges (rare ones stay nodes)
MIN_SUPPORT = 2  # documents two skills must share before their co-occurrence counts
SIM_FLOOR = 0.25  # cosine at or below which two skill names count as unrelated in meaning
SIM_SHARE, COOC_SHARE, FAMILY_BONUS = 0.4, 0.6, 0.15
MIN_WEIGHT = 0.05
# Short skill names embed noisily (MiniLM: Python-Django .50, Python-Bioinformatics .40): a relation by meaning
# alone, with no co-occurrence and no shared family, needs at least this cosine.
SIMILAR_ONLY_FLOOR = 0.45
TREND_DAYS = 180  # recent window: the TREND_DAYS before the newest posting; earlier window: the TREND_DAYS before it
MIN_TREND_POSTINGS = 20  # postings each window needs before any trend is computed
MIN_EARLIER_JOBS = 3  # earlier postings a skill needs for its trend
CLUSTER_SEED = 7
CLUSTER_NAME_SKILLS = 3


def _documents(session: Session, alumni_rows: list) -> dict[str, list[tuple[list[str], date | None]]]:
    """Each source's documents as (skill phrases, date): postings, alumni, live attendees who take part in
    analytics, courses."""
    postings = [(list(skills or []), posted or (updated.date() if updated else None)) for skills, posted, updated in
                session.execute(select(JobPosting.skills, JobPosting.posted_on, JobPosting.updated_at))]
    alumni = [(list(row.skills or []), None) for row in alumni_rows]
    people = [(list(s or []), None) for s in session.scalars(
        select(Person.skills_offered).where(live(Person), takes_part_in_analytics(Person)))]
    courses = [(list(s or []), None) for s in session.scalars(select(CourseCompletion.skills_learned))]
    return {"postings": postings, "alumni": alumni, "attendees": people, "courses": courses}


def _input_hash(documents: dict[str, list[tuple[list[str], date | None]]], model_name: str) -> str:
    digest = hashlib.sha256(f"{GRAPH_VERSION}|{model_name}".encode())
    for context in sorted(documents):
        lines = sorted("\x1f".join(sorted(skills)) + f"\x1e{day or ''}" for skills, day in documents[context])
        digest.update(f"\x1d{context}\x1d".encode())
        digest.update("\n".join(lines).encode())
    return digest.hexdigest()


class _Names:
    """Canonical names of raw skill phrases, each phrase resolved once."""

    def __init__(self) -> None:
        self.cache: dict[str, SkillName | None] = {}

    def __call__(self, phrase: str) -> SkillName | None:
        if phrase not in self.cache:
            self.cache[phrase] = canonical_skill(phrase)
        return self.cache[phrase]


def _labels(keys: list[str], spellings: Counter, names: _Names) -> dict[str, str]:
    """Each key's most common original spelling that normalises to it, preferring spellings with capitals;
    all-lowercase data falls back to the static label ("sql" -> "SQL")."""
    best: dict[str, tuple[int, int, str]] = {}  # key -> (-count, length, spelling): the smallest wins
    for spelling, count in spellings.items():
        name = names(spelling)
        shown = " ".join(spelling.split())
        if name is None or normalize_phrase(shown) != name.key or shown == shown.lower():
            continue
        rank = (-count, len(shown), shown)
        if name.key not in best or rank < best[name.key]:
            best[name.key] = rank
    return {key: best[key][2][:120] if key in best else default_label(key)[:120] for key in keys}


def _incidence(docs: list[list[int]], n_skills: int) -> sparse.csr_matrix:
    """(documents x skills) 0/1 matrix."""
    rows = np.repeat(np.arange(len(docs)), [len(d) for d in docs])
    cols = np.fromiter((i for d in docs for i in d), dtype=np.int64, count=len(rows))
    return sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(docs), n_skills))


def _top_per_row(rows: np.ndarray, cols: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """Indexes of the k best-scored entries of each row (ties: lower column first)."""
    order = np.lexsort((cols, -scores, rows))
    sorted_rows = rows[order]
    starts = np.searchsorted(sorted_rows, sorted_rows, side="left")
    rank = np.arange(len(order)) - starts
    return order[rank < k]


def _similar_pairs(vectors: np.ndarray, eligible: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each eligible skill's k nearest eligible skills by cosine (blockwise, never the full matrix at once)."""
    sources, targets = [], []
    sub = vectors[eligible]
    k = min(k, len(eligible) - 1)
    if k <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    for start in range(0, len(eligible), 2048):
        block = sub[start:start + 2048] @ sub.T
        block[np.arange(len(block)), np.arange(start, start + len(block))] = -np.inf
        nearest = np.argpartition(-block, k - 1, axis=1)[:, :k]
        sources.append(np.repeat(eligible[start:start + len(block)], k))
        targets.append(eligible[nearest.ravel()])
    return np.concatenate(sources), np.concatenate(targets)


def _edges(nodes: list[SkillName], vectors: np.ndarray, matrices: dict[str, sparse.csr_matrix],
           eligible: np.ndarray) -> dict[str, np.ndarray]:
    """Candidate pairs (nearest by meaning or by co-occurrence), their evidence and weight; the best per source.

    cooccurrence = P(B | A) = sum_c w_c * n_c(A, B) / sum_c w_c * n_c(A) over contexts c (CONTEXT_WEIGHTS);
    lift = max(0, (P(B | A) - P(B)) / (1 - P(B))), so that skills everyone lists do not relate to everything;
    weight = min(1, SIM_SHARE * clip((cos - SIM_FLOOR) / (1 - SIM_FLOOR)) + COOC_SHARE * lift
                 + FAMILY_BONUS if both skills are in one taxonomy family)."""
    n = len(nodes)
    counts = {c: sparse.csr_matrix(m.T @ m) for c, m in matrices.items()}
    degree = {c: np.asarray(m.sum(axis=0)).ravel() for c, m in matrices.items()}
    weighted = sum(CONTEXT_WEIGHTS[c] * counts[c] for c in counts)
    support = sum(counts.values())
    denominator = sum(CONTEXT_WEIGHTS[c] * degree[c] for c in degree)
    documents = sum(CONTEXT_WEIGHTS[c] * matrices[c].shape[0] for c in matrices)
    prior = denominator / documents if documents else np.zeros(n)
    mask = np.zeros(n, dtype=bool)
    mask[eligible] = True

    together = sparse.triu(support, k=1).tocoo()  # symmetric: take each pair once, then both directions
    a = np.concatenate([together.row, together.col])
    b = np.concatenate([together.col, together.row])
    keep = (np.concatenate([together.data, together.data]) >= MIN_SUPPORT) & mask[a] & mask[b]
    a, b = a[keep], b[keep]
    probability = np.asarray(weighted[a, b]).ravel() / np.maximum(denominator[a], 1e-9)
    lift = np.clip((probability - prior[b]) / np.maximum(1 - prior[b], 1e-9), 0, None)
    best = _top_per_row(a, b, lift, CANDIDATES_PER_SKILL)
    sim_a, sim_b = _similar_pairs(vectors, eligible, CANDIDATES_PER_SKILL)
    pairs = np.unique(np.concatenate([a[best] * n + b[best], sim_a * n + sim_b]))
    src, tgt = pairs // n, pairs % n
    cosine = np.einsum("ij,ij->i", vectors[src], vectors[tgt]).astype(np.float64)
    shared = np.asarray(support[src, tgt]).ravel()
    cooc = np.where(shared > 0, np.asarray(weighted[src, tgt]).ravel() / np.maximum(denominator[src], 1e-9), 0.0)
    lift = np.where(shared >= MIN_SUPPORT,
                    np.clip((cooc - prior[tgt]) / np.maximum(1 - prior[tgt], 1e-9), 0, None), 0.0)
    families = np.array([node.family or "" for node in nodes], dtype=object)
    same_family = (families[src] == families[tgt]) & (families[src] != "")
    weight = np.minimum(1.0, SIM_SHARE * np.clip((cosine - SIM_FLOOR) / (1 - SIM_FLOOR), 0, 1)
                        + COOC_SHARE * np.minimum(lift, 1.0) + FAMILY_BONUS * same_family)
    job_p = np.asarray(counts["postings"][src, tgt]).ravel() / np.maximum(degree["postings"][src], 1)
    other = CONTEXT_WEIGHTS["profiles"] * np.asarray(counts["profiles"][src, tgt]).ravel() + \
        CONTEXT_WEIGHTS["courses"] * np.asarray(counts["courses"][src, tgt]).ravel()
    other_p = other / np.maximum(CONTEXT_WEIGHTS["profiles"] * degree["profiles"][src]
                                 + CONTEXT_WEIGHTS["courses"] * degree["courses"][src], 1e-9)
    reason = np.where(same_family, SkillRelation.SAME_FAMILY.value,
                      np.where(lift > 0, np.where(job_p >= other_p, SkillRelation.DEMANDED_TOGETHER.value,
                                                  SkillRelation.OFTEN_TOGETHER.value),
                               SkillRelation.SIMILAR_MEANING.value))
    keep = (weight >= MIN_WEIGHT) & ((reason != SkillRelation.SIMILAR_MEANING.value) | (cosine >= SIMILAR_ONLY_FLOOR))
    chosen = np.flatnonzero(keep)[_top_per_row(src[keep], tgt[keep], weight[keep], EDGES_PER_SKILL)]
    chosen = chosen[np.lexsort((tgt[chosen], src[chosen]))]
    return {"source": src[chosen], "target": tgt[chosen], "similarity": cosine[chosen], "cooccurrence": cooc[chosen],
            "weight": weight[chosen], "reason": reason[chosen]}


def _clusters(labels: list[str], keys: list[str], edges: dict[str, np.ndarray]) -> tuple[
        dict[int, int], np.ndarray, list[dict]]:
    """Louvain communities of the undirected graph (weight: the stronger direction), numbered by size then name;
    centrality: PageRank scaled so the most central skill has 1. Single skills without edges form no cluster."""
    graph = nx.Graph()
    undirected: dict[tuple[int, int], float] = {}
    for a, b, w in zip(edges["source"].tolist(), edges["target"].tolist(), edges["weight"].tolist(), strict=True):
        pair = (a, b) if a < b else (b, a)
        undirected[pair] = max(w, undirected.get(pair, 0.0))
    graph.add_nodes_from(sorted({i for pair in undirected for i in pair}))
    graph.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(undirected.items()))
    centrality = np.zeros(len(keys))
    if graph.number_of_edges() == 0:
        return {}, centrality, []
    rank = nx.pagerank(graph, weight="weight")
    top = max(rank.values())
    for node, value in rank.items():
        centrality[node] = round(value / top, 6)
    communities = nx.community.louvain_communities(graph, weight="weight", seed=CLUSTER_SEED)
    named = []
    for members in communities:
        if len(members) < 2:
            continue
        ordered = sorted(members, key=lambda i: (-centrality[i], keys[i]))
        named.append((ordered, ", ".join(labels[i] for i in ordered[:CLUSTER_NAME_SKILLS])))
    named.sort(key=lambda item: (-len(item[0]), item[1]))
    cluster_of: dict[int, int] = {}
    rows = []
    for cluster_id, (ordered, name) in enumerate(named, start=1):
        cluster_of.update((i, cluster_id) for i in ordered)
        rows.append({"id": cluster_id, "name": name[:200], "skills": [labels[i] for i in ordered],
                     "size": len(ordered)})
    return cluster_of, centrality, rows


def _trends(postings: list[tuple[list[int], date | None]], n: int) -> tuple[np.ndarray, np.ndarray, list]:
    """Postings per skill in the recent and the earlier window, and the growth of the skill's share of postings
    (recent share / earlier share - 1); None without enough postings in either window."""
    recent, earlier = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    days = [day for _, day in postings if day is not None]
    if not days:
        return recent, earlier, [None] * n
    newest = max(days)
    cut, start = newest - timedelta(days=TREND_DAYS), newest - timedelta(days=2 * TREND_DAYS)
    in_recent = [skills for skills, day in postings if day is not None and day > cut]
    in_earlier = [skills for skills, day in postings if day is not None and start < day <= cut]
    for docs, counts in ((in_recent, recent), (in_earlier, earlier)):
        if docs:
            counts += np.asarray(_incidence(docs, n).sum(axis=0)).ravel().astype(np.int64)
    if len(in_recent) < MIN_TREND_POSTINGS or len(in_earlier) < MIN_TREND_POSTINGS:
        return recent, earlier, [None] * n
    growth = (recent / len(in_recent)) / np.maximum(earlier / len(in_earlier), 1e-12) - 1
    return recent, earlier, [round(float(g), 4) if e >= MIN_EARLIER_JOBS else None for g, e in zip(
        growth, earlier, strict=True)]


def _refresh_alumni_keys(session: Session, names: _Names, alumni_rows: list) -> int:
    """Set Alumnus.skill_keys where it is missing or differs from the keys of the alumnus's skills."""
    changed = []
    for alumnus_id, skills, stored in alumni_rows:
        keys = list(dict.fromkeys(name.key for name in map(names, skills or []) if name is not None))
        if keys != list(stored or []):
            changed.append((alumnus_id, keys))
    if changed:
        copy_to_temp_table(session, "new_skill_keys", "alumni", ("id", "skill_keys"), changed)
        session.execute(text(
            "UPDATE alumni SET skill_keys = n.skill_keys FROM new_skill_keys n WHERE alumni.id = n.id"))
        session.execute(text("DROP TABLE new_skill_keys"))
    return len(changed)


def _copy_rows(session: Session, table: str, columns: tuple[str, ...], rows) -> None:
    """Insert many rows through COPY (a temporary table), far faster than INSERT statements."""
    copy_to_temp_table(session, f"new_{table}", table, columns, rows)
    listed = ", ".join(columns)
    session.execute(text(f"INSERT INTO {table} ({listed}) SELECT {listed} FROM new_{table}"))
    session.execute(text(f"DROP TABLE new_{table}"))


def rebuild_skill_graph(session: Session, *, embedder: Embedder, clock: Clock, force: bool = False) -> dict:
    """Rebuild nodes, edges, clusters and trends from every skill list; skipped when the inputs (and the model) are
    unchanged since the last build, unless forced. Replaces the rows in the session; the caller commits."""
    alumni_rows = session.execute(select(Alumnus.id, Alumnus.skills, Alumnus.skill_keys)).all()
    documents = _documents(session, alumni_rows)
    input_hash = _input_hash(documents, embedder.model_name)
    previous = session.get(CareerBuild, BuildKind.SKILL_GRAPH.value)
    if previous is not None and previous.input_hash == input_hash and not force:
        return {**previous.summary, "skipped": True}
    names = _Names()
    spellings: Counter = Counter(phrase for docs in documents.values() for skills, _ in docs for phrase in skills)
    known = {name.key: name for name in map(names, spellings) if name is not None}
    keys = sorted(known)
    nodes = [known[k] for k in keys]
    index = {k: i for i, k in enumerate(keys)}
    indexed = {context: [(sorted({index[name.key] for name in map(names, skills) if name is not None}), day)
                         for skills, day in docs] for context, docs in documents.items()}
    sources = {c: _incidence([d for d, _ in docs], len(keys)) for c, docs in indexed.items()}
    count_of = {c: np.asarray(m.sum(axis=0)).ravel().astype(np.int64) for c, m in sources.items()}
    matrices = {"postings": sources["postings"], "courses": sources["courses"],
                "profiles": sparse.vstack([sources["alumni"], sources["attendees"]], format="csr")}
    total = sum(count_of.values()) if count_of else np.zeros(0, dtype=np.int64)
    labels_of = _labels(keys, spellings, names)
    labels = [labels_of[k] for k in keys]

    vectors_of = embed_texts(session, embedder, keys)
    vectors = np.stack([vectors_of[k] for k in keys]).astype(np.float32) if keys else np.zeros((0, 1), np.float32)
    eligible = np.sort(np.lexsort((np.arange(len(keys)), -total))[:EDGE_NODE_LIMIT])
    edges = _edges(nodes, vectors, matrices, eligible) if len(keys) > 1 else {
        f: np.zeros(0) for f in ("source", "target", "similarity", "cooccurrence", "weight", "reason")}
    cluster_of, centrality, clusters = _clusters(labels, keys, edges)
    recent, earlier, trend = _trends(indexed["postings"], len(keys))
    popularity = np.log1p(total) / np.log1p(total.max()) if len(keys) and total.max() > 0 else np.zeros(len(keys))

    for table in (SkillEdge, SkillNode, SkillCluster):
        session.execute(delete(table).execution_options(synchronize_session=False))
    if clusters:
        session.execute(insert(SkillCluster), clusters)
    node_columns = ("id", "key", "name", "family", "alumni_count", "job_count", "course_count", "attendee_count",
                    "popularity", "recent_jobs", "earlier_jobs", "trend", "cluster_id", "centrality")
    _copy_rows(session, "skill_nodes", node_columns, (
        (i + 1, k, labels[i], nodes[i].family, int(count_of["alumni"][i]), int(count_of["postings"][i]),
         int(count_of["courses"][i]), int(count_of["attendees"][i]), round(float(popularity[i]), 6), int(recent[i]),
         int(earlier[i]), trend[i], cluster_of.get(i), float(centrality[i])) for i, k in enumerate(keys)))
    _copy_rows(session, "skill_edges", ("source_id", "target_id", "similarity", "cooccurrence", "weight", "reason"),
               zip((edges["source"] + 1).tolist(), (edges["target"] + 1).tolist(),
                   np.round(edges["similarity"], 6).tolist(), np.round(edges["cooccurrence"], 6).tolist(),
                   np.round(edges["weight"], 6).tolist(), edges["reason"].tolist(), strict=True))
    updated = _refresh_alumni_keys(session, names, alumni_rows)
    summary = {"nodes": len(keys), "edges": int(len(edges["source"])), "clusters": len(clusters),
               "trending": sum(t is not None for t in trend)}
    if previous is None:
        previous = CareerBuild(kind=BuildKind.SKILL_GRAPH.value)
        session.add(previous)
    previous.input_hash, previous.built_at, previous.summary = input_hash, clock.now(), summary
    session.flush()
    return {**summary, "alumni_keys_updated": updated, "skipped": False}


def skill_graph_job(ctx: JobContext) -> dict:
    """Job body: rebuild the skill graph when its inputs changed; always when run by hand (manual, cli)."""
    if ctx.embedder is None:
        raise RuntimeError("skill-graph needs an embedder; run it through the worker or the CLI.")
    return rebuild_skill_graph(ctx.session, embedder=ctx.embedder, clock=ctx.clock,
                               force=ctx.trigger in ("manual", "cli"))
