"""Multiple-testing corrections."""

from __future__ import annotations

from missionkit.stats._common import ArrayLike, FloatArray, _s, data_array


def adjust_pvalues(pvalues: ArrayLike, method: str = "holm") -> FloatArray:
    """Adjusted p-values in input order (statsmodels ``multipletests(p, method=...)[1]``).

    ``method``: ``"holm"`` (default), ``"bonferroni"``, ``"hochberg"``, ``"bh"`` (Benjamini-Hochberg
    FDR), ``"by"`` (Benjamini-Yekutieli); statsmodels' ``"simes-hochberg"``, ``"fdr_bh"`` and
    ``"fdr_by"`` are accepted too. Reject at level alpha where ``adjusted <= alpha``.
    """
    p = data_array("adjust_pvalues", "pvalues", pvalues)
    out: FloatArray = _s.adjust_pvalues(p, method)
    return out
