"""The embedding runtime (torch fp32 or bf16, ONNX fp32 or int8), calibrated per machine and cached on disk."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Protocol

import numpy as np

from core.ai.onnx_embedding import (
    CALIBRATION_TEXTS,
    EXPORT_FORMAT,
    OUTLIER_CHANNELS,
    OnnxEncoder,
    exported_model,
    file_lock,
    model_fingerprint,
    package_versions,
    write_atomically,
)

log = logging.getLogger(__name__)

CHOICE_FORMAT = 4  # bump when the calibration or the candidates change
MIN_COSINE = 0.99  # every calibration text's vector must agree this well with torch fp32
ISA_LIMITS = ("ONEDNN_MAX_CPU_ISA", "ATEN_CPU_CAPABILITY")  # environment that caps torch's kernels: part of the key
TIMING_ROUNDS = 3  # each candidate's best round counts
TIMING_REPEATS = 4  # the calibration texts are timed 4 times over: whole batches, as an event's texts come

class EmbeddingBackend(StrEnum):
    """What EMBEDDING_BACKEND may force; `auto` lets the calibration choose among the candidates."""

    AUTO = "auto"
    TORCH = "torch"
    ONNX = "onnx"
    ONNX_INT8 = "onnx-int8"


class Candidate(StrEnum):
    """A runtime the calibration can choose."""

    TORCH_FP32 = "torch-fp32"
    TORCH_BF16 = "torch-bf16"
    ONNX_FP32 = "onnx"
    ONNX_INT8 = "onnx-int8"


class Encoder(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray: ...


class TorchEncoder:
    """sentence-transformers on the CPU, optionally under bfloat16 autocast."""

    def __init__(self, model_path: str, batch_size: int = 32, bf16: bool = False):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer  # slow import: only when first needed

        self.model = SentenceTransformer(model_path, device="cpu")
        self.batch_size = batch_size
        self.bf16 = bf16

    def encode(self, texts: list[str]) -> np.ndarray:
        import torch

        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
            vectors = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                        convert_to_numpy=True, show_progress_bar=False)
        return vectors.astype(np.float32, copy=False)


def bf16_supported() -> bool:
    """Whether torch has native bfloat16 kernels on this CPU."""
    import torch

    return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())


def default_cache_dir() -> Path:
    """The user's cache directory (XDG_CACHE_HOME, else ~/.cache) for this app's embedding files."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "globalconnect" / "embeddings"


def cpu_flags() -> list[str]:
    """The CPU's feature flags (Linux), which decide the kernels every runtime picks."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                return sorted(line.split(":", 1)[1].split())
    except OSError:
        pass
    return [platform.machine(), platform.processor()]


def build_candidate(candidate: Candidate, model_path: str, cache_dir: Path, batch_size: int,
                    onnx_threads: int | None = None) -> Encoder:
    """A ready encoder for the candidate; raises when it cannot run here."""
    if candidate in (Candidate.TORCH_FP32, Candidate.TORCH_BF16):
        return TorchEncoder(model_path, batch_size, bf16=candidate == Candidate.TORCH_BF16)
    onnx_path = exported_model(model_path, cache_dir, int8=candidate == Candidate.ONNX_INT8)
    return OnnxEncoder(model_path, onnx_path, batch_size, threads=onnx_threads)


@dataclass
class Trial:
    candidate: Candidate
    seconds: float | None = None
    min_cosine: float | None = None
    error: str | None = None

    @property
    def holds(self) -> bool:
        return self.error is None and self.min_cosine is not None and self.min_cosine >= MIN_COSINE


@dataclass
class Choice:
    """The chosen candidate, the calibration behind it, and an encoder ready to use when it was just built."""

    candidate: Candidate
    trials: list[Trial] = field(default_factory=list)
    from_cache: bool = False
    encoder: Encoder | None = None


def calibrate(model_path: str, cache_dir: Path, batch_size: int, candidates: list[Candidate]) -> Choice:
    """Time every candidate on the calibration texts and keep the fastest whose vectors hold against torch fp32.

    The candidates take turns round by round and each keeps its best round, so that a busy moment on the machine
    does not decide."""
    texts = list(CALIBRATION_TEXTS)
    reference = build_candidate(Candidate.TORCH_FP32, model_path, cache_dir, batch_size)
    expected = reference.encode(texts)  # also the warm-up
    trials, encoders = {Candidate.TORCH_FP32: Trial(Candidate.TORCH_FP32, min_cosine=1.0)}, {}
    encoders[Candidate.TORCH_FP32] = reference
    for candidate in candidates:
        if candidate == Candidate.TORCH_FP32:
            continue
        trial = trials[candidate] = Trial(candidate)
        try:
            encoder = build_candidate(candidate, model_path, cache_dir, batch_size)
            trial.min_cosine = float(np.min(np.sum(encoder.encode(texts) * expected, axis=1)))
        except Exception as exc:  # any failure of an optional runtime means: not this one, never a crash
            trial.error = f"{type(exc).__name__}: {exc}"[:300]
            log.warning("embedding backend %s is not available: %s", candidate, trial.error)
            continue
        if trial.holds:
            encoders[candidate] = encoder
        else:
            log.info("embedding backend %s does not hold (min cosine %.4f < %.2f)", candidate, trial.min_cosine,
                     MIN_COSINE)
    for _ in range(TIMING_ROUNDS):
        for candidate, encoder in encoders.items():
            started = time.perf_counter()
            encoder.encode(texts * TIMING_REPEATS)
            seconds = time.perf_counter() - started
            trials[candidate].seconds = min(trials[candidate].seconds or seconds, seconds)
    best = min(encoders, key=lambda c: trials[c].seconds)
    return Choice(best, list(trials.values()), encoder=encoders[best])


def choice_key(model_path: str, candidates: list[Candidate]) -> str:
    """What a cached choice depends on: the CPU, torch's kernel limits, the model files, how the ONNX exports are
    made (a new int8 export is checked again), the package versions."""
    limits = {name: os.environ.get(name) for name in ISA_LIMITS}
    payload = [CHOICE_FORMAT, MIN_COSINE, cpu_flags(), os.cpu_count(), limits, model_fingerprint(model_path),
               EXPORT_FORMAT, OUTLIER_CHANNELS, package_versions(), sorted(candidates)]
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


def read_choice(path: Path, candidates: list[Candidate]) -> Choice | None:
    """The cached choice, or None when there is none, it cannot be read, or it is not among the candidates."""
    try:
        data = json.loads(path.read_text())
        candidate = Candidate(data["backend"])
    except (OSError, ValueError, KeyError):
        return None
    if candidate not in candidates:
        return None
    trials = [Trial(Candidate(t["candidate"]), t.get("seconds"), t.get("min_cosine"), t.get("error"))
              for t in data.get("trials", [])]
    return Choice(candidate, trials, from_cache=True)


def write_choice(path: Path, choice: Choice) -> None:
    """Cache the choice and its calibration (atomically: a concurrent reader sees the old file or the new)."""
    data = {"backend": str(choice.candidate),
            "trials": [{"candidate": str(t.candidate), "seconds": t.seconds, "min_cosine": t.min_cosine,
                        "error": t.error} for t in choice.trials]}
    write_atomically(path, lambda tmp: tmp.write_text(json.dumps(data, indent=1)))


INT8_DOT_PRODUCT_FLAGS = {"avx512_vnni", "avx_vnni", "amx_int8"}  # x86 instructions that int8 matmuls need to pay


def int8_pays() -> bool:
    """Whether `auto` may choose int8: on x86 only with integer dot-product instructions (VNNI). Without them, on a
    2-core AMD EPYC with AVX2 alone, the int8 export was only 1.14x faster than fp32 and cost accuracy: one of the 16
    planted problem groups of the huddle test was lost, and 0.009 of the public eval's recall@10. Elsewhere (no x86
    flags, e.g. ARM) the calibration decides."""
    flags = set(cpu_flags())
    return "sse2" not in flags or bool(INT8_DOT_PRODUCT_FLAGS & flags)


def auto_candidates(mixed_precision: bool) -> list[Candidate]:
    """The runtimes `auto` may choose: bfloat16 only where the CPU has it and mixed precision is allowed, int8 only
    where it pays (`int8_pays`)."""
    candidates = [Candidate.TORCH_FP32]
    if mixed_precision and bf16_supported():
        candidates.append(Candidate.TORCH_BF16)
    return [*candidates, Candidate.ONNX_FP32, *([Candidate.ONNX_INT8] if int8_pays() else [])]


def choose(model_path: str, cache_dir: Path, batch_size: int, candidates: list[Candidate]) -> Choice:
    """The cached choice for this machine, model and package versions; else a calibration, then cached.

    Concurrent first uses wait for one calibration (a lock beside the file) and then read its result."""
    path = cache_dir / f"choice-{choice_key(model_path, candidates)}.json"
    cached = read_choice(path, candidates)
    if cached is not None:
        return cached
    with file_lock(path.with_suffix(".lock")):
        cached = read_choice(path, candidates)
        if cached is not None:
            return cached
        choice = calibrate(model_path, cache_dir, batch_size, candidates)
        write_choice(path, choice)
    log.info("embedding backend chosen for this machine: %s", choice.candidate)
    return choice


def resolve_encoder(backend: EmbeddingBackend, model_path: str, cache_dir: Path, batch_size: int,
                    mixed_precision: bool) -> tuple[Candidate, Encoder]:
    """The encoder to use: the forced backend, or the machine's choice; torch whenever another runtime fails."""
    bf16 = mixed_precision and bf16_supported()
    torch_default = Candidate.TORCH_BF16 if bf16 else Candidate.TORCH_FP32
    try:
        if backend == EmbeddingBackend.TORCH:
            candidate, encoder = torch_default, None
        elif backend == EmbeddingBackend.AUTO:
            choice = choose(model_path, cache_dir, batch_size, auto_candidates(mixed_precision))
            candidate, encoder = choice.candidate, choice.encoder
        else:
            candidate, encoder = Candidate(str(backend)), None
        return candidate, encoder or build_candidate(candidate, model_path, cache_dir, batch_size)
    except Exception as exc:  # an optional runtime must never stop embedding: torch always works
        log.warning("embedding backend %s failed (%s: %s); using %s", backend, type(exc).__name__, exc,
                    torch_default)
        return torch_default, build_candidate(torch_default, model_path, cache_dir, batch_size)
