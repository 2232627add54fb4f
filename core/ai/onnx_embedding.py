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

EXPORT_FORMAT = 2  # bump when the exported graph or the quantisation changes, so old files are not reused
OPSET = 17
OUTLIER_CHANNELS = 32  # per linear layer: its loudest input channels, kept in float32 by the int8 export (16 cost
# the public eval 0.017 of recall@10 against fp32 vectors; 32 and 64 cost 0.009)
PACKAGES = ("torch", "transformers", "tokenizers", "onnx", "onnxruntime", "sentence-transformers")


# A fixed calibration set like the texts an event embeds: skills, topics, roles and industries as short phrases
# (where quantisation errs most), goal descriptions, statement clauses and a long bio. The int8 export finds its
# loud channels on them, and the backend choice holds every runtime to torch fp32 on them.
CALIBRATION_TEXTS = (
    "Kubernetes", "payments infrastructure", "LLM applications", "threat modeling", "clean energy", "robotics",
    "performance marketing", "Cybersecurity", "healthcare software", "Venture capital", "data engineering",
    "product-led growth", "supply chain analytics", "mobile app development", "UX research", "fundraising",
    "Engineer", "VP Engineering", "CEO & Co-founder", "Head of Data", "Senior Product Manager", "Designer",
    "Find a mentor who has been where I am", "Hire people for my team", "Meet investors for our next round",
    "Learn something new from the talks", "Find partners to build with", "Sell our product to new customers",
    "Growing my team; we urgently need people strong in MLOps and ideally some Rust as well",
    "Looking for my next role after years of hands-on work in fraud detection, mostly at fintech companies",
    "Happy to mentor people growing in data platform work, especially those moving over from analytics",
    "Evaluating vendors for observability this quarter; our current setup cannot keep up with our traffic",
    "Raising a seed round for our climate tech startup, built by a small team with deep battery chemistry "
    "experience",
    "How do we keep our model serving costs down while usage grows ten times in a year",
    "Our onboarding drops half the new users before they see any value",
    "I have led platform teams at two scale-ups and now advise early-stage founders on engineering hiring, "
    "architecture reviews and how to run an on-call rotation that does not burn people out. Outside work I "
    "organise a local meetup on distributed systems and write about incident reviews.",
)


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


def weight_matmuls(graph) -> list:
    """The matmuls of an activation by a weight (the model's linear layers), in graph order."""
    weights = {w.name for w in graph.initializer}
    return [n for n in graph.node if n.op_type == "MatMul" and n.input[1] in weights]


def activation_peaks(model, nodes: list, model_path: str, texts: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Per input of the nodes (by name), the largest |value| of each of its channels over `texts`, from the fp32
    model."""
    import onnx
    import onnxruntime as ort
    from tokenizers import Tokenizer

    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    inputs = list(dict.fromkeys(n.input[0] for n in nodes))
    probe.graph.output.extend(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None)
                              for name in inputs)
    session = ort.InferenceSession(probe.SerializeToString(), providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
    tokenizer.enable_truncation(sentence_config(model_path)["max_seq_length"])
    peaks: dict[str, np.ndarray] = {}
    for text in texts:  # one at a time: no padding tokens among the values
        ids = np.array([tokenizer.encode(text).ids], dtype=np.int64)
        outputs = session.run(inputs, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
        for name, values in zip(inputs, outputs, strict=True):
            peak = np.abs(values).reshape(-1, values.shape[-1]).max(axis=0)
            peaks[name] = np.maximum(peaks[name], peak) if name in peaks else peak
    return peaks


def split_outlier_channels(model, nodes: list, peaks: dict[str, np.ndarray], count: int) -> list[str]:
    """Rewrite each node's X·W as (X without its `count` loudest channels)·W + X[loudest]·W[loudest].

    The first product is quantised, with a scale no longer set by the few channels whose values are ten to
    twenty times the rest (quantised whole, the feed-forward layers cost up to 0.03 cosine); the second, small one
    stays in float32. Returns the names of the float32 products."""
    from onnx import helper, numpy_helper

    graph = model.graph
    weights = {w.name: w for w in graph.initializer}
    split: dict[str, tuple[str, str, np.ndarray]] = {}  # input -> (quiet input, loud channels, their indexes)
    kept = []
    for node in nodes:
        x, weight, y = node.input[0], node.input[1], node.output[0]
        name = node.name.strip("/").replace("/", "_")
        at = list(graph.node).index(node)
        if x not in split:  # the query, key and value layers share their input, and so its split
            loud = np.sort(np.argsort(-peaks[x], kind="stable")[:count]).astype(np.int64)
            mask = np.ones(len(peaks[x]), np.float32)
            mask[loud] = 0.0
            graph.initializer.extend([numpy_helper.from_array(mask, f"{name}_quiet"),
                                      numpy_helper.from_array(loud, f"{name}_loud")])
            graph.node.insert(at, helper.make_node("Gather", [x, f"{name}_loud"], [f"{name}_loud_x"], axis=-1,
                                                   name=f"{name}_loud_gather"))
            graph.node.insert(at, helper.make_node("Mul", [x, f"{name}_quiet"], [f"{name}_quiet_x"],
                                                   name=f"{name}_quiet_mul"))
            at += 2
            split[x] = (f"{name}_quiet_x", f"{name}_loud_x", loud)
        quiet_x, loud_x, loud = split[x]
        graph.initializer.append(numpy_helper.from_array(numpy_helper.to_array(weights[weight])[loud],
                                                         f"{name}_loud_weight"))
        node.input[0], node.output[0] = quiet_x, f"{name}_quiet_y"
        graph.node.insert(at + 1, helper.make_node("Add", [f"{name}_quiet_y", f"{name}_loud_y"], [y],
                                                   name=f"{name}_add"))
        graph.node.insert(at + 1, helper.make_node("MatMul", [loud_x, f"{name}_loud_weight"], [f"{name}_loud_y"],
                                                   name=f"{name}_loud_matmul"))
        kept.append(f"{name}_loud_matmul")
    return kept


def _quantize_int8(model_path: str, fp32_path: Path, dest: Path) -> None:
    """Every linear layer in int8 (dynamic, per channel), each with its loudest input channels split off in float32
    (`split_outlier_channels`), the channels found on the calibration texts."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = onnx.load(str(fp32_path))
    nodes = weight_matmuls(model.graph)
    kept = split_outlier_channels(model, nodes, activation_peaks(model, nodes, model_path, CALIBRATION_TEXTS),
                                  OUTLIER_CHANNELS)
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        split = Path(tmp) / "split.onnx"
        onnx.save(model, str(split))
        quantize_dynamic(str(split), str(dest), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul"], nodes_to_exclude=kept)


def export_paths(model_path: str, cache_dir: Path) -> tuple[Path, Path]:
    """Where the fp32 and the int8 export of the model live, keyed by its files and the package versions."""
    import hashlib

    payload = [EXPORT_FORMAT, OPSET, OUTLIER_CHANNELS, model_fingerprint(model_path), package_versions()]
    key = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]
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
            write_atomically(wanted, lambda tmp: _quantize_int8(model_path, fp32, tmp))
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
