"""Vector helpers: profile vectors from text vectors, pgvector's binary format, work spread over cores."""
import struct

import numpy as np

from core.ai.embeddings import mean_direction, vector_from_binary
from core.platform.parallel import map_on_cores


def test_a_profile_vector_is_the_unit_length_mean_of_its_text_vectors():
    vector = mean_direction(np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32))
    assert np.allclose(vector, [np.sqrt(0.5), np.sqrt(0.5)])


def test_a_profile_with_no_texts_gets_a_zero_vector():
    assert not mean_direction(np.zeros((0, 384), dtype=np.float32)).any()


def test_a_binary_pgvector_is_read_as_float32():
    data = struct.pack(">hh3f", 3, 0, 0.5, -1.0, 2.0)
    vector = vector_from_binary(data)
    assert vector.dtype == np.float32 and vector.tolist() == [0.5, -1.0, 2.0]


def test_work_spread_over_cores_comes_back_in_order():
    assert map_on_cores(lambda x: x * x, range(50)) == [x * x for x in range(50)]
