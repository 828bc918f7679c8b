"""Shared plumbing of missionkit.stats: the typed shim over ``_core.stats`` and argument broadcasting.

``_core.pyi`` declares ``stats: Any``; the public functions here are typed instead, and go through the
one name ``_s`` so that mypy --strict checks everything else.
"""

from __future__ import annotations

from typing import Any, Union

import numpy as np
import numpy.typing as npt

from missionkit import _core

_s: Any = _core.stats

FloatArray = npt.NDArray[np.float64]
#: A float, or an array of floats (any shape; arguments broadcast against each other as in numpy).
FloatOrArray = Union[float, FloatArray]
ArrayLike = npt.ArrayLike

ALTERNATIVES = ("two-sided", "larger", "smaller", "greater", "less")


def broadcast(fn: str, **args: ArrayLike) -> tuple[tuple[int, ...], list[FloatArray]]:
    """Arguments as flat float64 arrays for the element-wise C++ functions, and their common shape.

    Size-1 arguments stay size 1 (the binding repeats them), so a scalar next to a 1,000-point grid costs
    nothing. Shapes that do not broadcast raise ValueError naming the arguments.
    """
    arrays: dict[str, FloatArray] = {}
    for name, value in args.items():
        if value is None:
            raise ValueError(f"{fn}: {name} must be a number or an array of numbers, got None")
        try:
            arrays[name] = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError) as e:
            raise ValueError(f"{fn}: {name} must be a number or an array of numbers ({e})") from None
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{k}{v.shape}" for k, v in arrays.items())
        raise ValueError(f"{fn}: the shapes of {shapes} do not broadcast together") from None
    flat = [a.reshape(1) if a.size == 1 else np.broadcast_to(a, shape).ravel() for a in arrays.values()]
    return shape, flat


def shaped(out: FloatArray, shape: tuple[int, ...]) -> FloatOrArray:
    """A float for scalar inputs, else an array of the broadcast shape."""
    if shape == ():
        return float(out[0])
    return out.reshape(shape)


def data_array(fn: str, name: str, x: ArrayLike) -> FloatArray:
    """A 1-D float64 sample (a list, numpy array, pandas Series...); other shapes raise ValueError."""
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{fn}: {name} must be a 1-D array of numbers ({e})") from None
    if a.ndim != 1:
        raise ValueError(f"{fn}: {name} must be 1-D, got shape {a.shape}")
    return a


def fmt(x: float) -> str:
    """Four significant digits for reprs."""
    return f"{x:.4g}"
