"""Statistics for mission analysis (``missionkit.stats``): intervals, tests, power, effect sizes, OLS.

Everything computes in the C++ engine (``missionkit::stats``); these functions validate and shape the
arguments. Conventions shared by all of them:

- ``alpha`` is 1 - confidence level; results are floats (arrays where the inputs are arrays).
- ``alternative`` is ``"two-sided"``, ``"larger"`` (H1: parameter > null) or ``"smaller"``, the
  statsmodels names; scipy's ``"greater"`` and ``"less"`` are accepted as synonyms. Intervals go with the
  test of the same alternative: ``"larger"`` gives ``[low, upper end]``.
- Invalid arguments (NaN, a negative count, a shape that does not broadcast, an unknown method) raise
  :class:`missionkit.DomainError`, a ``ValueError``, whose message names the function and the argument.

Power and sample-size solvers live in :mod:`missionkit.stats.power`.
"""

from __future__ import annotations

from missionkit.stats import power
from missionkit.stats.bootstrap import BootstrapResult, bootstrap_ci, bootstrap_mean_ci
from missionkit.stats.effect import (
    EffectSize,
    cohens_d,
    cohens_d_from_stats,
    cohens_h,
    cohens_h_ci,
    hedges_g,
    hedges_g_from_stats,
    odds_ratio,
    relative_lift,
)
from missionkit.stats.intervals import (
    diff_proportions_ci,
    odds_ratio_ci,
    proportion_ci,
    proportions_2indep_test,
    risk_ratio_ci,
)
from missionkit.stats.means import TTestResult, ttest_1samp, ttest_ind, ttest_ind_from_stats, ztest
from missionkit.stats.multiple import adjust_pvalues
from missionkit.stats.panel import EventStudyResult, PanelResult, WaldTest, did, event_study, ols_fe
from missionkit.stats.power import survey_sample_size
from missionkit.stats.ratio import RatioResult, diff_ratio_ci, nps_ci, ratio_ci
from missionkit.stats.regression import OLSResult, ols
from missionkit.stats.tests import (
    Chi2ContingencyResult,
    FisherExactResult,
    MannWhitneyResult,
    QuantileCI,
    chi2_contingency,
    fisher_exact,
    mann_whitney_u,
    quantile_ci,
)

__all__ = [
    "BootstrapResult",
    "Chi2ContingencyResult",
    "EffectSize",
    "EventStudyResult",
    "FisherExactResult",
    "MannWhitneyResult",
    "OLSResult",
    "PanelResult",
    "QuantileCI",
    "RatioResult",
    "TTestResult",
    "WaldTest",
    "adjust_pvalues",
    "bootstrap_ci",
    "bootstrap_mean_ci",
    "chi2_contingency",
    "cohens_d",
    "cohens_d_from_stats",
    "cohens_h",
    "cohens_h_ci",
    "did",
    "diff_proportions_ci",
    "diff_ratio_ci",
    "event_study",
    "fisher_exact",
    "hedges_g",
    "hedges_g_from_stats",
    "mann_whitney_u",
    "nps_ci",
    "odds_ratio",
    "odds_ratio_ci",
    "ols",
    "ols_fe",
    "power",
    "proportion_ci",
    "proportions_2indep_test",
    "quantile_ci",
    "ratio_ci",
    "relative_lift",
    "risk_ratio_ci",
    "survey_sample_size",
    "ttest_1samp",
    "ttest_ind",
    "ttest_ind_from_stats",
    "ztest",
]
