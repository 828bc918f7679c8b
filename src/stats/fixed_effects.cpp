#include "missionkit/stats/fixed_effects.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <unordered_map>

#include "detail/checks.hpp"
#include "missionkit/stats/distributions.hpp"

namespace missionkit::stats {
namespace {

using detail::fail;
using detail::num;

// A column is "absorbed" by the fixed effects when what is left after demeaning is below this fraction of
// its centered norm: exact absorption leaves rounding (~1e-16), a genuine regressor orders of magnitude
// more. The QR in ols() then catches columns that are collinear with each other after demeaning.
constexpr double absorbed_tol = 1e-10;

struct levels {
  std::vector<std::size_t> code;  // dense level of each kept row
  std::vector<double> count;      // rows per level
};

levels dense_codes(std::span<const std::int64_t> labels, const std::vector<std::size_t>& rows) {
  levels l;
  std::unordered_map<std::int64_t, std::size_t> map;
  l.code.reserve(rows.size());
  for (const std::size_t i : rows) {
    auto [it, inserted] = map.try_emplace(labels[i], map.size());
    if (inserted) l.count.push_back(0.0);
    l.count[it->second] += 1.0;
    l.code.push_back(it->second);
  }
  return l;
}

// Connected components of the bipartite graph level-of-fe1 -- level-of-fe2 (union-find): the dummies
// [1, D1, D2] have rank G1 + G2 - components.
std::size_t components(const levels& a, const levels& b) {
  const std::size_t g1 = a.count.size();
  std::vector<std::size_t> parent(g1 + b.count.size());
  std::iota(parent.begin(), parent.end(), std::size_t{0});
  auto find = [&](std::size_t v) {
    while (parent[v] != v) v = parent[v] = parent[parent[v]];
    return v;
  };
  for (std::size_t i = 0; i < a.code.size(); ++i) parent[find(a.code[i])] = find(g1 + b.code[i]);
  std::size_t c = 0;
  for (std::size_t v = 0; v < parent.size(); ++v) c += find(v) == v ? 1 : 0;
  return c;
}

// Subtracts the fixed effects from v (in place) by alternating projections; returns the sweeps used.
std::size_t demean(std::vector<double>& v, const std::vector<levels>& fe, double tol, std::size_t max_iter,
                   const std::string& what) {
  const double n = static_cast<double>(v.size());
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / n;
  double ss = 0.0;
  for (const double x : v) ss += (x - mean) * (x - mean);
  const double scale = ss > 0.0 ? std::sqrt(ss / n) : 1.0;
  std::vector<double> sums;
  for (std::size_t it = 1; it <= max_iter; ++it) {
    double worst = 0.0;
    for (const auto& f : fe) {
      sums.assign(f.count.size(), 0.0);
      for (std::size_t i = 0; i < v.size(); ++i) sums[f.code[i]] += v[i];
      for (std::size_t g = 0; g < sums.size(); ++g) {
        sums[g] /= f.count[g];
        worst = std::max(worst, std::abs(sums[g]));
      }
      for (std::size_t i = 0; i < v.size(); ++i) v[i] -= sums[f.code[i]];
    }
    // One projection is exact; with two, stop when a whole sweep moves the column by less than tol.
    if (fe.size() == 1 || worst <= tol * scale) return it;
  }
  fail("ols_fe", "demeaning " + what + " by the fixed effects did not converge in " +
                     std::to_string(max_iter) +
                     " sweeps; raise max_iter or check for a nearly disconnected panel");
}

}  // namespace

fe_result ols_fe(std::span<const double> y, matrix_view x,
                 const std::vector<std::span<const std::int64_t>>& fe, const fe_options& options) {
  constexpr const char* fn = "ols_fe";
  detail::check_alpha(fn, options.alpha);
  if (fe.empty() || fe.size() > 2)
    fail(fn, "fe must hold one or two label arrays, got " + std::to_string(fe.size()));
  if (options.cov == cov_type::hc2 || options.cov == cov_type::hc3)
    fail(fn, "cov='HC2'/'HC3' need the leverages of the absorbed dummies; use 'HC1' or 'cluster'");
  const bool cluster = options.cov == cov_type::cluster;
  if (cluster && options.groups.empty()) fail(fn, "cov='cluster' needs groups, one label per row");
  const std::size_t n_all = y.size();
  if (x.rows != n_all)
    fail(fn, "X has " + std::to_string(x.rows) + " rows but y has " + std::to_string(n_all));
  for (std::size_t f = 0; f < fe.size(); ++f)
    if (fe[f].size() != n_all)
      fail(fn, "fe[" + std::to_string(f) + "] has " + std::to_string(fe[f].size()) + " labels but y has " +
                   std::to_string(n_all) + " rows");
  const auto g1 = cluster ? options.groups : std::span<const std::int64_t>{};
  const auto g2 = cluster ? options.groups2 : std::span<const std::int64_t>{};
  if (!g1.empty() && g1.size() != n_all)
    fail(fn,
         "groups has " + std::to_string(g1.size()) + " labels but y has " + std::to_string(n_all) + " rows");
  if (!g2.empty() && g2.size() != n_all)
    fail(fn,
         "groups2 has " + std::to_string(g2.size()) + " labels but y has " + std::to_string(n_all) + " rows");
  if (!options.names.empty() && options.names.size() != x.cols)
    fail(fn, "got " + std::to_string(options.names.size()) + " names for " + std::to_string(x.cols) +
                 " columns of X");
  if (x.cols == 0) fail(fn, "X has no columns: with the intercept absorbed there is nothing to estimate");

  // Rows used: y, X finite (NaN = missing, inf = error), every label non-negative.
  std::vector<std::size_t> rows;
  rows.reserve(n_all);
  for (std::size_t i = 0; i < n_all; ++i) {
    bool ok = !std::isnan(y[i]);
    if (std::isinf(y[i]))
      fail(fn, "y[" + std::to_string(i) + "] is " + num(y[i]) + "; only NaN marks a missing value");
    for (std::size_t j = 0; j < x.cols; ++j) {
      const double v = x(i, j);
      if (std::isinf(v))
        fail(fn, "X[" + std::to_string(i) + ", " + std::to_string(j) + "] is " + num(v) +
                     "; only NaN marks a missing value");
      ok = ok && !std::isnan(v);
    }
    for (const auto& f : fe) ok = ok && f[i] >= 0;
    if (!g1.empty()) ok = ok && g1[i] >= 0;
    if (!g2.empty()) ok = ok && g2[i] >= 0;
    if (ok) rows.push_back(i);
  }
  const std::size_t n = rows.size();
  const std::size_t k = x.cols;
  if (n == 0) fail(fn, "no usable rows (all have a missing value or label)");

  fe_result out;
  std::vector<levels> lv;
  for (const auto& f : fe) {
    lv.push_back(dense_codes(f, rows));
    out.n_levels.push_back(lv.back().count.size());
  }
  out.n_absorbed =
      lv.size() == 1 ? out.n_levels[0] : out.n_levels[0] + out.n_levels[1] - components(lv[0], lv[1]);

  std::vector<double> yd(n);
  for (std::size_t r = 0; r < n; ++r) yd[r] = y[rows[r]];
  const double ymean = std::accumulate(yd.begin(), yd.end(), 0.0) / static_cast<double>(n);
  double tss = 0.0;
  for (const double v : yd) tss += (v - ymean) * (v - ymean);
  out.iterations = demean(yd, lv, options.tol, options.max_iter, "y");

  std::vector<double> xd(n * k);
  std::vector<double> col(n);
  for (std::size_t j = 0; j < k; ++j) {
    for (std::size_t r = 0; r < n; ++r) col[r] = x(rows[r], j);
    const double m = std::accumulate(col.begin(), col.end(), 0.0) / static_cast<double>(n);
    double before = 0.0;
    for (const double v : col) before += (v - m) * (v - m);
    const std::string name = j < options.names.size()
                                 ? "'" + options.names[j] + "'"
                                 : "x" + std::to_string(j + 1) + " (column " + std::to_string(j) + " of X)";
    out.iterations =
        std::max(out.iterations, demean(col, lv, options.tol, options.max_iter, "column " + name));
    double after = 0.0;
    for (const double v : col) after += v * v;
    if (!(after > absorbed_tol * absorbed_tol * before))
      fail(fn,
           "column " + name +
               " is absorbed by the fixed effects (constant within their levels, or a sum of them), so its "
               "coefficient is not identified; drop it");
    std::copy(col.begin(), col.end(), xd.begin() + static_cast<std::ptrdiff_t>(j * n));
  }

  std::vector<std::int64_t> gc1, gc2;
  ols_options o;
  o.cov = options.cov;
  o.add_intercept = false;
  o.alpha = options.alpha;
  o.use_t = options.use_t;
  o.names = options.names;
  if (!g1.empty()) {
    for (const std::size_t i : rows) gc1.push_back(g1[i]);
    o.groups = gc1;
  }
  if (!g2.empty()) {
    for (const std::size_t i : rows) gc2.push_back(g2[i]);
    o.groups2 = gc2;
  }
  const double df_new = static_cast<double>(n) - static_cast<double>(k) - static_cast<double>(out.n_absorbed);
  if (!(df_new > 0.0))
    fail(fn, "no residual degrees of freedom: " + std::to_string(n) + " rows for " + std::to_string(k) +
                 " coefficients and " + std::to_string(out.n_absorbed) + " absorbed effects");
  ols_result r = ols(yd, matrix_view::column_major(xd.data(), n, k), o);

  // ols() saw n - k residual df; the dummy regression has n - k - a. Every covariance but HC0 carries
  // 1/df_resid (s^2, HC1's n/(n-k), CRV1's (n-1)/(n-k)), so rescaling by (n-k)/(n-k-a) gives statsmodels'.
  const double s = options.cov == cov_type::hc0 ? 1.0 : r.df_resid / df_new;
  for (double& c : r.cov_params) c *= s;
  out.rsquared_within = r.rsquared;
  r.df_resid = df_new;
  r.df_model = static_cast<double>(k + out.n_absorbed) - 1.0;
  r.has_constant = true;
  r.tss = tss;
  r.rsquared = 1.0 - r.ssr / tss;
  r.rsquared_adj = 1.0 - (static_cast<double>(n) - 1.0) / df_new * (1.0 - r.rsquared);
  r.sigma = std::sqrt(r.ssr / df_new);
  r.nobs_dropped = n_all - n;
  if (r.use_t && !cluster) r.df_inference = df_new;
  const double tail = options.alpha / 2.0;
  const double q = r.use_t ? t_isf(tail, r.df_inference) : normal_isf(tail);
  for (std::size_t j = 0; j < k; ++j) {
    const double se = std::sqrt(r.cov_params[j * k + j]);
    const double t = r.params[j] / se;
    r.bse[j] = se;
    r.tvalues[j] = t;
    r.pvalues[j] = 2.0 * (r.use_t ? t_sf(std::abs(t), r.df_inference) : normal_sf(std::abs(t)));
    r.ci_low[j] = r.params[j] - q * se;
    r.ci_high[j] = r.params[j] + q * se;
  }
  out.ols = std::move(r);
  return out;
}

wald_result wald_test(const ols_result& r, const std::vector<std::size_t>& which) {
  constexpr const char* fn = "wald_test";
  const std::size_t k = r.params.size();
  const auto q = static_cast<Eigen::Index>(which.size());
  if (q == 0) fail(fn, "no coefficients to test");
  Eigen::VectorXd b(q);
  Eigen::MatrixXd v(q, q);
  for (Eigen::Index a = 0; a < q; ++a) {
    const std::size_t ia = which[static_cast<std::size_t>(a)];
    if (ia >= k)
      fail(fn, "coefficient index " + std::to_string(ia) + " out of range (" + std::to_string(k) + ")");
    b(a) = r.params[ia];
    for (Eigen::Index c = 0; c < q; ++c) v(a, c) = r.cov_params[ia * k + which[static_cast<std::size_t>(c)]];
  }
  // statsmodels' wald_test inverts the restricted covariance (pinv); full-pivot LU agrees when it is
  // nonsingular and reports the case where it is not (a cluster covariance of rank < q when G is small).
  const Eigen::FullPivLU<Eigen::MatrixXd> lu(v);
  if (!lu.isInvertible())
    fail(fn, "the covariance of the tested coefficients is singular (rank " + std::to_string(lu.rank()) +
                 " < " + std::to_string(q) +
                 "); with cluster covariances this needs more clusters than coefficients");
  wald_result w;
  w.statistic = b.dot(lu.solve(b));
  w.df = static_cast<double>(q);
  w.pvalue = chi2_sf(w.statistic, w.df);
  w.df_denom =
      r.cov == cov_type::cluster
          ? static_cast<double>(r.n_groups2 > 0 ? std::min(r.n_groups, r.n_groups2) : r.n_groups) - 1.0
          : r.df_resid;
  w.f_statistic = w.statistic / w.df;
  w.f_pvalue = f_sf(w.f_statistic, w.df, w.df_denom);
  return w;
}

}  // namespace missionkit::stats
