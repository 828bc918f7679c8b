// Confidence intervals for one binomial proportion p from `count` successes in `nobs` trials.
#pragma once

#include "missionkit/stats/alternative.hpp"

namespace missionkit::stats {

/// \brief Interval methods for one proportion; each matches the statsmodels method named in brackets
/// (statsmodels.stats.proportion.proportion_confint).
///
/// With z = normal_isf(alpha / 2) (two-sided) or normal_isf(alpha) (one-sided) and p = count / nobs:
/// - wald [normal]: p -+ z sqrt(p (1 - p) / nobs), clipped to [0, 1]. Degenerate ([0, 0]) at count 0
///   and far too narrow near the edges (Brown, Cai & DasGupta 2001); kept for comparison with old reports.
/// - wilson [wilson]: Wilson (1927) score interval, (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) /
///   (1 + z^2/n). Exactly 0 at count 0 and exactly 1 at count nobs. The default: recommended by Brown,
///   Cai & DasGupta (2001) for any n.
/// - agresti_coull [agresti_coull]: Agresti & Coull (1998) with z^2/2 pseudo-successes and failures,
///   n~ = n + z^2, p~ = (count + z^2/2) / n~, p~ -+ z sqrt(p~(1-p~)/n~), clipped to [0, 1] (so the bound
///   on the far side of 0 or n is clipped, as in statsmodels).
/// - clopper_pearson [beta]: the "exact" Clopper & Pearson (1934) interval, lower = Beta(a; x, n-x+1)
///   quantile, upper = Beta(1-a; x+1, n-x) quantile with a = alpha/2 per tail (alpha one-sided). At
///   count 0 the lower bound is 0 and the upper the closed form 1 - a^(1/n); at count n the upper bound is
///   1 and the lower a^(1/n); both are evaluated as -expm1(log(a)/n) and exp(log(a)/n), which stay exact
///   for alpha as small as 1e-300.
/// - jeffreys [jeffreys]: equal-tailed Beta(x + 1/2, n - x + 1/2) posterior interval. Deliberate
///   difference from statsmodels: following Brown, Cai & DasGupta (2001, sec. 4.1.2) the lower bound is
///   set to 0 at count 0 and the upper bound to 1 at count n (statsmodels keeps the Beta quantile there,
///   which excludes p = 0 although 0 successes were seen). Away from 0 and n the two agree.
enum class proportion_ci_method { wald, wilson, agresti_coull, clopper_pearson, jeffreys };

/// \brief Confidence interval for a binomial proportion.
///
/// \param count   successes, in [0, nobs]; non-integer values are accepted (weighted counts) except that
///                they make clopper_pearson's exactness claim void.
/// \param nobs    trials, > 0.
/// \param alpha   1 - confidence level, in (0, 1).
/// \param method  see proportion_ci_method.
/// \param alt     two_sided: alpha/2 in each tail. larger: [low, 1] with low at level alpha (the interval
///                that goes with H1 p > p0). smaller: [0, high]. Deliberate difference from statsmodels
///                0.15, whose proportion_confint(alternative="larger") returns [0, high], the opposite of
///                its own tests' convention; ours is the test-inversion convention used by scipy.
/// \throws missionkit::domain_error naming the argument for NaN, nobs <= 0, count outside [0, nobs] or
///         alpha outside (0, 1).
[[nodiscard]] interval proportion_ci(double count, double nobs, double alpha = 0.05,
                                     proportion_ci_method method = proportion_ci_method::wilson,
                                     alternative alt = alternative::two_sided);

/// \brief The Wilson score bounds for critical value z > 0 (both sides at z), as used by proportion_ci and
/// by the Newcombe difference interval. Arguments are assumed valid (checked by the callers).
[[nodiscard]] interval wilson_bounds(double count, double nobs, double z);

}  // namespace missionkit::stats
