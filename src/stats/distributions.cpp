// Boost.Math behind the light declarations of missionkit/stats/distributions.hpp. All Boost.Math
// templates of the statistics engine are instantiated here, once, to keep compile times down.
#include "missionkit/stats/distributions.hpp"

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/non_central_t.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "detail/checks.hpp"

// GCC 12 reports -Wmaybe-uninitialized inside Boost 1.74's fisher_f quantile once it is inlined here;
// the variable is assigned on every path that reads it (a known false positive of the inliner).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace missionkit::stats {
namespace {

namespace bm = boost::math;
using detail::check_not_nan;
using detail::fail;
using detail::num;

// Arguments are validated before Boost is called, so Boost's own errors would only signal a bug or an
// unreachable corner; report them as NaN (checked below) instead of throwing std::domain_error, and let
// overflow saturate to infinity as scipy does.
using policy = bm::policies::policy<bm::policies::domain_error<bm::policies::errno_on_error>,
                                    bm::policies::pole_error<bm::policies::errno_on_error>,
                                    bm::policies::overflow_error<bm::policies::errno_on_error>,
                                    bm::policies::evaluation_error<bm::policies::errno_on_error>>;
// For binom_ppf: the continuous quantile, which binom_ppf then rounds to scipy's convention itself.
using real_quantile_policy =
    bm::policies::policy<bm::policies::domain_error<bm::policies::errno_on_error>,
                         bm::policies::overflow_error<bm::policies::errno_on_error>,
                         bm::policies::evaluation_error<bm::policies::errno_on_error>,
                         bm::policies::discrete_quantile<bm::policies::real>>;

// Student's t and the noncentral t in double rather than Boost's default long double: the power solvers
// evaluate them tens of thousands of times per curve, and x87 long double made them several times slower
// than scipy.stats (which wraps the same Boost code with promote_double<false>). The tests against scipy
// still hold at 1e-9.
using double_policy = bm::policies::policy<bm::policies::domain_error<bm::policies::errno_on_error>,
                                           bm::policies::pole_error<bm::policies::errno_on_error>,
                                           bm::policies::overflow_error<bm::policies::errno_on_error>,
                                           bm::policies::evaluation_error<bm::policies::errno_on_error>,
                                           bm::policies::promote_double<false>>;

constexpr double inf = std::numeric_limits<double>::infinity();

void check_prob(const char* fn, double p) {
  check_not_nan(fn, "p", p);
  if (!(p >= 0.0 && p <= 1.0)) fail(fn, "p must be in [0, 1], got p=" + num(p));
}

void check_df(const char* fn, const char* name, double df) {
  check_not_nan(fn, name, df);
  if (!(df > 0.0)) fail(fn, std::string(name) + " must be > 0, got " + name + "=" + num(df));
}

void check_shape(const char* fn, const char* name, double v) {
  check_not_nan(fn, name, v);
  if (!(v > 0.0 && std::isfinite(v)))
    fail(fn, std::string(name) + " must be finite and > 0, got " + name + "=" + num(v));
}

double checked(const char* fn, double result) {
  if (std::isnan(result)) fail(fn, "evaluation failed (Boost.Math returned nan)");
  return result;
}

// cdf/sf of a continuous distribution whose support is [lo, hi]; x outside is handled here because
// Boost rejects it as a domain error for bounded supports.
template <class Dist>
double cdf_on(const char* fn, const Dist& d, double x, double lo, double hi) {
  check_not_nan(fn, "x", x);
  if (x <= lo) return 0.0;
  if (x >= hi) return 1.0;
  return checked(fn, bm::cdf(d, x));
}

template <class Dist>
double sf_on(const char* fn, const Dist& d, double x, double lo, double hi) {
  check_not_nan(fn, "x", x);
  if (x <= lo) return 1.0;
  if (x >= hi) return 0.0;
  return checked(fn, bm::cdf(bm::complement(d, x)));
}

template <class Dist>
double ppf_on(const char* fn, const Dist& d, double p, double lo, double hi) {
  check_prob(fn, p);
  if (p == 0.0) return lo;
  if (p == 1.0) return hi;
  return checked(fn, bm::quantile(d, p));
}

template <class Dist>
double isf_on(const char* fn, const Dist& d, double p, double lo, double hi) {
  check_prob(fn, p);
  if (p == 0.0) return hi;
  if (p == 1.0) return lo;
  return checked(fn, bm::quantile(bm::complement(d, p)));
}

bm::normal_distribution<double, policy> std_normal() { return {0.0, 1.0}; }

bm::students_t_distribution<double, double_policy> t_dist(const char* fn, double df) {
  check_df(fn, "df", df);
  return bm::students_t_distribution<double, double_policy>(df);
}

bm::chi_squared_distribution<double, policy> chi2_dist(const char* fn, double df) {
  check_df(fn, "df", df);
  return bm::chi_squared_distribution<double, policy>(df);
}

bm::fisher_f_distribution<double, policy> f_dist(const char* fn, double dfn, double dfd) {
  check_df(fn, "dfn", dfn);
  check_df(fn, "dfd", dfd);
  return bm::fisher_f_distribution<double, policy>(dfn, dfd);
}

bm::beta_distribution<double, policy> beta_dist(const char* fn, double a, double b) {
  check_shape(fn, "a", a);
  check_shape(fn, "b", b);
  return bm::beta_distribution<double, policy>(a, b);
}

bm::binomial_distribution<double, policy> binom_dist(const char* fn, double n, double p) {
  check_not_nan(fn, "n", n);
  if (!(n >= 0.0 && std::isfinite(n) && n == std::floor(n)))
    fail(fn, "n must be a non-negative integer, got n=" + num(n));
  check_prob(fn, p);
  return bm::binomial_distribution<double, policy>(n, p);
}

}  // namespace

double normal_cdf(double x) { return cdf_on("normal_cdf", std_normal(), x, -inf, inf); }
double normal_sf(double x) { return sf_on("normal_sf", std_normal(), x, -inf, inf); }
double normal_ppf(double p) { return ppf_on("normal_ppf", std_normal(), p, -inf, inf); }
double normal_isf(double p) { return isf_on("normal_isf", std_normal(), p, -inf, inf); }

double t_cdf(double x, double df) { return cdf_on("t_cdf", t_dist("t_cdf", df), x, -inf, inf); }
double t_sf(double x, double df) { return sf_on("t_sf", t_dist("t_sf", df), x, -inf, inf); }
double t_ppf(double p, double df) { return ppf_on("t_ppf", t_dist("t_ppf", df), p, -inf, inf); }
double t_isf(double p, double df) { return isf_on("t_isf", t_dist("t_isf", df), p, -inf, inf); }

double chi2_cdf(double x, double df) { return cdf_on("chi2_cdf", chi2_dist("chi2_cdf", df), x, 0.0, inf); }
double chi2_sf(double x, double df) { return sf_on("chi2_sf", chi2_dist("chi2_sf", df), x, 0.0, inf); }
double chi2_ppf(double p, double df) { return ppf_on("chi2_ppf", chi2_dist("chi2_ppf", df), p, 0.0, inf); }
double chi2_isf(double p, double df) { return isf_on("chi2_isf", chi2_dist("chi2_isf", df), p, 0.0, inf); }

double f_cdf(double x, double dfn, double dfd) {
  return cdf_on("f_cdf", f_dist("f_cdf", dfn, dfd), x, 0.0, inf);
}
double f_sf(double x, double dfn, double dfd) { return sf_on("f_sf", f_dist("f_sf", dfn, dfd), x, 0.0, inf); }
double f_ppf(double p, double dfn, double dfd) {
  return ppf_on("f_ppf", f_dist("f_ppf", dfn, dfd), p, 0.0, inf);
}
double f_isf(double p, double dfn, double dfd) {
  return isf_on("f_isf", f_dist("f_isf", dfn, dfd), p, 0.0, inf);
}

double beta_cdf(double x, double a, double b) {
  return cdf_on("beta_cdf", beta_dist("beta_cdf", a, b), x, 0.0, 1.0);
}
double beta_sf(double x, double a, double b) {
  return sf_on("beta_sf", beta_dist("beta_sf", a, b), x, 0.0, 1.0);
}
double beta_ppf(double p, double a, double b) {
  return ppf_on("beta_ppf", beta_dist("beta_ppf", a, b), p, 0.0, 1.0);
}
double beta_isf(double p, double a, double b) {
  return isf_on("beta_isf", beta_dist("beta_isf", a, b), p, 0.0, 1.0);
}

double binom_pmf(double k, double n, double p) {
  auto d = binom_dist("binom_pmf", n, p);
  check_not_nan("binom_pmf", "k", k);
  if (k != std::floor(k) || k < 0 || k > n) return 0.0;
  return checked("binom_pmf", bm::pdf(d, k));
}

double binom_cdf(double k, double n, double p) {
  auto d = binom_dist("binom_cdf", n, p);
  check_not_nan("binom_cdf", "k", k);
  k = std::floor(k);
  if (k < 0) return 0.0;
  if (k >= n) return 1.0;
  return checked("binom_cdf", bm::cdf(d, k));
}

double binom_sf(double k, double n, double p) {
  auto d = binom_dist("binom_sf", n, p);
  check_not_nan("binom_sf", "k", k);
  k = std::floor(k);
  if (k < 0) return 1.0;
  if (k >= n) return 0.0;
  return checked("binom_sf", bm::cdf(bm::complement(d, k)));
}

double binom_ppf(double q, double n, double p) {
  auto d = binom_dist("binom_ppf", n, p);
  check_prob("binom_ppf", q);
  if (q == 0.0) return -1.0;  // scipy: ppf(0) is one below the support
  // A discrete quantile is the first k whose cdf reaches q. Boost's continuous quantile, rounded up, is
  // a starting point that can be off by one where the cdf is flat in floating point, so settle it with
  // the cdf itself (a NaN start, e.g. at p = 0 or 1, just means a search from 0).
  double k = std::ceil(bm::quantile(bm::binomial_distribution<double, real_quantile_policy>(n, p), q));
  k = std::isnan(k) ? 0.0 : std::clamp(k, 0.0, n);
  while (k > 0 && bm::cdf(d, k - 1) >= q) k -= 1;
  while (k < n && bm::cdf(d, k) < q) k += 1;
  return k;
}

double nct_cdf(double x, double df, double nc) {
  check_df("nct_cdf", "df", df);
  detail::check_finite("nct_cdf", "nc", nc);
  return cdf_on("nct_cdf", bm::non_central_t_distribution<double, double_policy>(df, nc), x, -inf, inf);
}

double nct_sf(double x, double df, double nc) {
  check_df("nct_sf", "df", df);
  detail::check_finite("nct_sf", "nc", nc);
  return sf_on("nct_sf", bm::non_central_t_distribution<double, double_policy>(df, nc), x, -inf, inf);
}

}  // namespace missionkit::stats
