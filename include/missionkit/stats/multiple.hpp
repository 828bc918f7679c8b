// Multiple-testing corrections of p-values.
#pragma once

#include <span>
#include <vector>

namespace missionkit::stats {

/// \brief Methods of adjust_pvalues, with the statsmodels.stats.multitest.multipletests name in brackets.
/// With m p-values sorted as p(1) <= ... <= p(m), the adjusted value of p(i) is (then capped at 1):
/// - bonferroni ["bonferroni"]: m p(i). Controls the family-wise error rate (FWER) under any dependence.
/// - holm ["holm"]: max over j <= i of (m - j + 1) p(j) (Holm 1979 step-down); FWER, any dependence,
///   uniformly more powerful than Bonferroni.
/// - hochberg ["simes-hochberg"]: min over j >= i of (m - j + 1) p(j) (Hochberg 1988 step-up); FWER
///   under independence or positive dependence.
/// - bh ["fdr_bh"]: min over j >= i of m p(j) / j (Benjamini & Hochberg 1995); false discovery rate under
///   independence or positive regression dependence.
/// - by ["fdr_by"]: bh times sum_{k=1..m} 1/k (Benjamini & Yekutieli 2001); FDR under any dependence.
enum class pvalue_adjustment { bonferroni, holm, hochberg, bh, by };

/// \brief Adjusted p-values in the order of the input (ties get equal adjusted values); reject H_i at level
/// alpha when adjusted[i] <= alpha. Matches multipletests(pvalues, method=...)[1].
/// \throws missionkit::domain_error naming the index of a NaN or a value outside [0, 1].
[[nodiscard]] std::vector<double> adjust_pvalues(std::span<const double> pvalues,
                                                 pvalue_adjustment method = pvalue_adjustment::holm);

}  // namespace missionkit::stats
