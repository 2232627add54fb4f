"""The int8 export's rewrite of a linear layer: its loudest input channels split off into a float32 product."""
import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from core.ai.onnx_embedding import split_outlier_channels, weight_matmuls

RNG = np.random.default_rng(3)
W1 = RNG.normal(size=(6, 4)).astype(np.float32)
W2 = RNG.normal(size=(6, 3)).astype(np.float32)


def two_layers_on_one_input() -> onnx.ModelProto:
    """x (batch x tokens x 6) times two weights, as a layer's query and key share their input."""
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w1"], ["y1"], name="/layer/query/MatMul"),
         helper.make_node("MatMul", ["x", "w2"], ["y2"], name="/layer/key/MatMul")],
        "two_layers",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, None, 6])],
        [helper.make_tensor_value_info("y1", TensorProto.FLOAT, [None, None, 4]),
         helper.make_tensor_value_info("y2", TensorProto.FLOAT, [None, None, 3])],
        [numpy_helper.from_array(W1, "w1"), numpy_helper.from_array(W2, "w2")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def run(model: onnx.ModelProto, x: np.ndarray) -> list[np.ndarray]:
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(["y1", "y2"], {"x": x})


def split_model(count: int = 2) -> tuple[onnx.ModelProto, list[str]]:
    model = two_layers_on_one_input()
    peaks = {"x": np.array([1.0, 0.5, 30.0, 0.8, 1.2, 12.0], np.float32)}
    kept = split_outlier_channels(model, weight_matmuls(model.graph), peaks, count)
    return model, kept


def test_splitting_off_the_loud_channels_leaves_the_products_unchanged():
    x = RNG.normal(size=(2, 5, 6)).astype(np.float32)
    model, _ = split_model()
    onnx.checker.check_model(model)
    for split, whole in zip(run(model, x), run(two_layers_on_one_input(), x), strict=True):
        assert np.allclose(split, whole, atol=1e-5)


def test_the_loudest_channels_are_the_ones_kept_in_float32():
    model, kept = split_model()
    loud = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer if i.name.endswith("_loud")}
    assert [v.tolist() for v in loud.values()] == [[2, 5]]
    assert kept == ["layer_query_MatMul_loud_matmul", "layer_key_MatMul_loud_matmul"]


def test_layers_that_share_an_input_share_its_split():
    model, _ = split_model()
    ops = [n.op_type for n in model.graph.node]
    assert ops.count("Mul") == 1 and ops.count("Gather") == 1 and ops.count("MatMul") == 4
