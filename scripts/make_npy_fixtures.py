#!/usr/bin/env python3
"""Writes Fixtures/npy/*.npy with numpy itself, for the .npy reader's tests.
The values are literals here and in Tests/InterpreterTests/NPYTests.swift.
Made with numpy 2.4.6 (no randomness)."""
import os
import numpy as np

out = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Fixtures", "npy")
os.makedirs(out, exist_ok=True)
np.save(os.path.join(out, "f32_2x3.npy"), np.array([[1.5, -2.0, 3.25], [0.0, 1e-3, -7.0]], dtype=np.float32))
np.save(os.path.join(out, "i64_fortran_2x3.npy"), np.asfortranarray(np.array([[1, 2, 3], [4, 5, 6]], dtype=np.int64)))
np.save(os.path.join(out, "bool_4.npy"), np.array([True, False, False, True]))
np.save(os.path.join(out, "str_3.npy"), np.array(["a", "héllo", ""]))
np.save(os.path.join(out, "f16_3.npy"), np.array([0.5, -1.0, 65504.0], dtype=np.float16))
np.save(os.path.join(out, "f64_scalar.npy"), np.array(2.5, dtype=np.float64))
print("wrote", sorted(os.listdir(out)))
