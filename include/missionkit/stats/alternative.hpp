// The alternative hypothesis of a test, and with it the shape of the matching confidence interval.
#pragma once

namespace missionkit::stats {

/// \brief The alternative hypothesis H1 for a test of theta against a null value theta0.
///
/// - two_sided: H1 theta != theta0; intervals put alpha/2 in each tail.
/// - larger:    H1 theta >  theta0; intervals are [low, upper end of the parameter space] at level alpha.
/// - smaller:   H1 theta <  theta0; intervals are [lower end of the parameter space, high].
///
/// Names follow statsmodels ("two-sided", "larger", "smaller"); scipy calls larger "greater" and
/// smaller "less". An interval always holds the null values that the test with the same alternative does
/// not reject at alpha (test/interval duality), as scipy's confidence_interval() does.
enum class alternative { two_sided, larger, smaller };

/// \brief A confidence interval [low, high]. One-sided intervals use the end of the parameter space
/// (0 or 1 for a proportion, +-infinity for a mean difference, 0 or +infinity for a ratio).
struct interval {
  double low = 0.0;
  double high = 0.0;
};

}  // namespace missionkit::stats
