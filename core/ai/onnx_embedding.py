"""The embedding model exported once to ONNX (fp32, and int8 by dynamic quantisation), run with onnxruntime."""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from core.platform.parallel import cores

EXPORT_FORMAT = 1  # bump when the exported graph or the quantisation changes, so old files are not reused
OPSET = 17
PACKAGES = ("torch", "transformers", "tokenizers", "onnx", "onnxruntime", "sentence-transformers")


def package_versions() -> dict[str, str]:
    """Versions of the packages an export or a backend choice depends on ("-" when one is missing)."""
    found = {}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "-"
    return found


def model_fingerprint(model_path: str) -> list:
    """The model's files by name, size and modification time: cheap, and it changes when the model does."""
    root = Path(model_path)
    return sorted([str(f.relative_to(root)), f.stat().st_size, f.stat().st_mtime_ns]
                  for f in root.rglob("*") if f.is_file() and not f.name.startswith("."))


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock across processes and threads (each holder opens its own descriptor)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_atomically(dest: Path, write: Callable[[Path], None]) -> None:
    """Let `write` fill a temporary file beside `dest`, then rename it into place: readers see all or nothing."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def sentence_config(model_path: str) -> dict:
    """What the sentence-transformers config of the model says about length, pooling and normalisation."""
    root = Path(model_path)
    bert = json.loads((root / "sentence_bert_config.json").read_text())
    modules = json.loads((root / "modules.json").read_text())
    pooling_dir = next((m["path"] for m in modules if m["type"].endswith("Pooling")), None)
    pooling = json.loads((root / pooling_dir / "config.json").read_text()) if pooling_dir else {}
    modes = [k for k, v in pooling.items() if k.startswith("pooling_mode") and v]
    if modes != ["pooling_mode_mean_tokens"]:
        raise ValueError(f"only mean pooling is supported, the model uses {modes or 'none'}")
    return {"max_seq_length": int(bert.get("max_seq_length", 256)),
            "normalize": any(m["type"].endswith("Normalize") for m in modules)}


def _export_fp32(model_path: str, dest: Path) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoModel

    class MeanPooled(torch.nn.Module):
        """The transformer and the mean over real tokens, as sentence-transformers' Pooling computes it."""

        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            hidden = self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    model = AutoModel.from_pretrained(model_path, attn_implementation="eager").eval()
    sample = torch.ones(2, 8, dtype=torch.long)
    axes = {"batch": 0, "tokens": 1}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # the tracer's notes on shape checks that hold for every input here
        torch.onnx.export(MeanPooled(model), (sample, sample), str(dest), dynamo=False, opset_version=OPSET,
                          input_names=["input_ids", "attention_mask"], output_names=["embedding"],
                          dynamic_axes={"input_ids": {v: k for k, v in axes.items()},
                                        "attention_mask": {v: k for k, v in axes.items()},
                                        "embedding": {0: "batch"}})


def int8_excluded_nodes(fp32_path: Path) -> list[str]:
    """The feed-forward matmuls stay in float32: quantising them too costs up to 0.02 cosine on short phrases."""
    import onnx

    graph = onnx.load(str(fp32_path), load_external_data=False).graph
    return [n.name for n in graph.node if n.op_type == "MatMul" and ("/intermediate/" in n.name or (
        "/output/dense" in n.name and "/attention/" not in n.name))]


def _quantize_int8(fp32_path: Path, dest: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32_path), str(dest), weight_type=QuantType.QInt8, per_channel=True,
                     op_types_to_quantize=["MatMul"], nodes_to_exclude=int8_excluded_nodes(fp32_path))


def export_paths(model_path: str, cache_dir: Path) -> tuple[Path, Path]:
    """Where the fp32 and the int8 export of the model live, keyed by its files and the package versions."""
    import hashlib

    key = hashlib.sha256(json.dumps([EXPORT_FORMAT, OPSET, model_fingerprint(model_path), package_versions()],
                                    sort_keys=True).encode()).hexdigest()[:16]
    return cache_dir / f"minilm-{key}-fp32.onnx", cache_dir / f"minilm-{key}-int8.onnx"


def exported_model(model_path: str, cache_dir: Path, int8: bool) -> Path:
    """The ONNX file of the model (int8 or fp32), exported once per model and package versions and cached.

    One process or thread exports while the others wait on a lock; the file appears by rename, so nobody ever
    reads half a file."""
    fp32, quantised = export_paths(model_path, cache_dir)
    wanted = quantised if int8 else fp32
    if wanted.exists():
        return wanted
    with file_lock(fp32.with_suffix(".lock")):
        if not fp32.exists():
            write_atomically(fp32, lambda tmp: _export_fp32(model_path, tmp))
        if int8 and not wanted.exists():
            write_atomically(wanted, lambda tmp: _quantize_int8(fp32, tmp))
    return wanted


class OnnxEncoder:
    """Mean-pooled, L2-normalised sentence vectors from an exported model, batched by token length.

    Batches run side by side, one single-threaded session per thread (`threads`, default one per core): a batch of
    a few dozen short texts is too small to share among threads, so one batch per core beats one batch on every
    core (29 s against 36 s for a 10,000-attendee event's texts on 2 cores). Each batch is the same as on one
    session, so the vectors do not depend on the number of threads."""

    def __init__(self, model_path: str, onnx_path: Path, batch_size: int = 32, threads: int | None = None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        config = sentence_config(model_path)
        self.normalize = config["normalize"]
        self.batch_size = batch_size
        self.tokenizer = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
        self.tokenizer.enable_truncation(config["max_seq_length"])
        self.tokenizer.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.sessions = [ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
                         for _ in range(max(1, threads or cores()))]

    def encode(self, texts: list[str]) -> np.ndarray:
        """One float32 vector per text, in the order given."""
        encodings = self.tokenizer.encode_batch(texts)
        lengths = np.array([len(e.ids) for e in encodings])
        order = np.argsort(lengths, kind="stable")  # similar lengths share a batch: little padding
        batches = [order[start:start + self.batch_size] for start in range(0, len(order), self.batch_size)]

        def run(session, batch: np.ndarray) -> np.ndarray:
            width = int(lengths[batch].max())
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                ids[row, :lengths[i]] = encodings[i].ids
                mask[row, :lengths[i]] = 1
            return session.run(None, {"input_ids": ids, "attention_mask": mask})[0]

        def run_share(which: int) -> list[tuple[np.ndarray, np.ndarray]]:
            # every n-th batch: the batches go from short to long texts, so each share gets a fair mix
            return [(batch, run(self.sessions[which], batch)) for batch in batches[which::len(self.sessions)]]

        shares = min(len(self.sessions), len(batches))
        with ThreadPoolExecutor(max(1, shares)) as threads:  # onnxruntime lets go of the GIL while it runs
            done = [found for share in threads.map(run_share, range(shares)) for found in share]
        out = np.zeros((len(texts), done[0][1].shape[1] if done else 0), dtype=np.float32)
        for batch, vectors in done:
            out[batch] = vectors
        if self.normalize:
            out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out
