// Hussey & Hughes (2007) mixed-model analysis from cluster-period cell summaries.
//
// Per cluster i with N_i individuals, V_i = sigma^2 H_i, H_i = I + gamma 11' (gamma = tau^2 / sigma^2), so
// H_i^-1 = I - c_i 11' with c_i = gamma / (1 + N_i gamma) and log|H_i| = log(1 + N_i gamma). With X constant
// in a cell, X_i' H_i^-1 X_i = A_i - c_i u_i u_i' (A_i = sum_j n_ij x_ij x_ij', u_i = sum_j n_ij x_ij), and
// r_i' H_i^-1 r_i = sum_j [ss_ij + n_ij (ybar_ij - x_ij'b)^2] - c_i R_i^2 with R_i the cluster residual sum.
// Profiling b and sigma^2 out (sigma^2 = Q / f, f = N - p for REML, N for ML) leaves a function of gamma:
//   l(gamma) = -f/2 log Q - 1/2 sum log(1 + N_i gamma) [- 1/2 log|X'H^-1 X| for REML] + const,
// the same profile that statsmodels MixedLM maximises (its loglike() constants are used here too).
#include "missionkit/stats/stepped_wedge_fit.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <string>
#include <utility>

#include "detail/checks.hpp"
#include "detail/roots.hpp"
#include "missionkit/core/error.hpp"
#include "missionkit/stats/distributions.hpp"

namespace missionkit::stats {
namespace {

constexpr std::string_view fn = "stepped_wedge_analysis";

[[noreturn]] void data_fail(const std::string& what) {
  throw missionkit::data_error(std::string(fn) + ": " + what);
}

void check_lengths(std::size_t n, std::size_t m, const char* name) {
  if (m != n)
    data_fail(std::string(name) + " has " + std::to_string(m) + " values, expected " + std::to_string(n) +
              " (the length of cluster)");
}

void check_codes(std::int64_t c, std::int64_t p, std::int64_t t, std::size_t row) {
  if (c < 0 || p < 0) data_fail("negative cluster or period code at row " + std::to_string(row));
  if (c > 100'000'000 || p > 100'000'000)
    data_fail("cluster or period code too large at row " + std::to_string(row));
  if (t != 0 && t != 1)
    data_fail("treated must be 0 or 1, got " + std::to_string(t) + " at row " + std::to_string(row));
}

// Per-cluster quantities that do not depend on gamma or b.
struct cluster_data {
  double n = 0.0;
  std::vector<int> cells;  // indices into the cell list
};

struct model {
  int p = 0;  // fixed effects: T period indicators + treatment
  int t = 0;
  std::vector<sw_cell> cells;
  std::vector<cluster_data> cl;
  std::vector<Eigen::VectorXd> u;  // u_i = sum_j n_ij x_ij
  Eigen::MatrixXd a;               // sum_i A_i = X'X
  Eigen::VectorXd xty;             // X'y
  double n_obs = 0.0;
  bool reml = true;

  [[nodiscard]] double fac() const { return reml ? n_obs - p : n_obs; }
};

struct eval {
  Eigen::MatrixXd m;  // X'H^-1 X
  Eigen::LDLT<Eigen::MatrixXd> ldlt;
  Eigen::VectorXd b;  // GLS coefficients
  Eigen::VectorXd r;  // cluster residual sums R_i
  double q = 0.0;     // r'H^-1 r
};

eval evaluate(const model& md, double gamma) {
  eval e;
  const int ncl = static_cast<int>(md.cl.size());
  e.m = md.a;
  Eigen::VectorXd v = md.xty;
  for (int i = 0; i < ncl; ++i) {
    const double ci = gamma / (1.0 + md.cl[i].n * gamma);
    double s = 0.0;
    for (int k : md.cl[i].cells) s += md.cells[k].n * md.cells[k].mean;
    e.m.noalias() -= ci * md.u[i] * md.u[i].transpose();
    v -= ci * s * md.u[i];
  }
  e.ldlt.compute(e.m);
  e.b = e.ldlt.solve(v);
  e.r.resize(ncl);
  e.q = 0.0;
  for (int i = 0; i < ncl; ++i) {
    double rr = 0.0, rs = 0.0;
    for (int k : md.cl[i].cells) {
      const auto& c = md.cells[k];
      const double mu = e.b[c.period] + (c.treated ? e.b[md.t] : 0.0);
      const double d = c.mean - mu;
      rr += c.ss + c.n * d * d;
      rs += c.n * d;
    }
    const double ci = gamma / (1.0 + md.cl[i].n * gamma);
    e.r[i] = rs;
    e.q += rr - ci * rs * rs;
  }
  return e;
}

// Derivative of the profile log-likelihood in gamma (envelope theorem: b at its optimum for this gamma).
double score(const model& md, double gamma) {
  const eval e = evaluate(md, gamma);
  double dq = 0.0, dlogh = 0.0;
  Eigen::MatrixXd dm = Eigen::MatrixXd::Zero(md.p, md.p);
  for (std::size_t i = 0; i < md.cl.size(); ++i) {
    const double h = 1.0 + md.cl[i].n * gamma;
    dq -= e.r[static_cast<Eigen::Index>(i)] * e.r[static_cast<Eigen::Index>(i)] / (h * h);
    dlogh += md.cl[i].n / h;
    if (md.reml) dm.noalias() -= md.u[i] * md.u[i].transpose() / (h * h);
  }
  double s = -0.5 * md.fac() * dq / e.q - 0.5 * dlogh;
  if (md.reml) s -= 0.5 * e.ldlt.solve(dm).trace();
  return s;
}

double log_likelihood(const model& md, const eval& e, double gamma) {
  const double f = md.fac();
  double ll = 0.0;
  for (const auto& c : md.cl) ll -= 0.5 * std::log1p(c.n * gamma);
  ll -= 0.5 * f * std::log(e.q / f);
  ll -= 0.5 * f * std::log(2.0 * std::numbers::pi);
  ll -= 0.5 * f;
  if (md.reml) ll -= 0.5 * e.ldlt.vectorD().array().log().sum();
  return ll;
}

std::vector<sw_cell> merge(std::vector<sw_cell> raw) {
  std::sort(raw.begin(), raw.end(), [](const sw_cell& x, const sw_cell& y) {
    return std::pair(x.cluster, x.period) < std::pair(y.cluster, y.period);
  });
  std::vector<sw_cell> out;
  for (const auto& c : raw) {
    if (!out.empty() && out.back().cluster == c.cluster && out.back().period == c.period) {
      auto& o = out.back();
      if (o.treated != c.treated)
        data_fail("treated is not constant within cluster " + std::to_string(c.cluster) + ", period " +
                  std::to_string(c.period) + " (the treatment is assigned per cluster-period cell)");
      // Chan et al. parallel merge of (n, mean, ss).
      const double n = o.n + c.n, d = c.mean - o.mean;
      o.ss += c.ss + d * d * o.n * c.n / n;
      o.mean += d * c.n / n;
      o.n = n;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::vector<sw_cell> sw_cells_from_rows(std::span<const std::int64_t> cluster,
                                        std::span<const std::int64_t> period,
                                        std::span<const std::int64_t> treated, std::span<const double> y) {
  const std::size_t n = cluster.size();
  check_lengths(n, period.size(), "period");
  check_lengths(n, treated.size(), "treated");
  check_lengths(n, y.size(), "outcome");
  std::int64_t nc = 0, np = 0;
  for (std::size_t r = 0; r < n; ++r) {
    check_codes(cluster[r], period[r], treated[r], r);
    if (!std::isfinite(y[r]))
      data_fail("outcome must be finite, got " + detail::num(y[r]) + " at row " + std::to_string(r));
    nc = std::max(nc, cluster[r] + 1);
    np = std::max(np, period[r] + 1);
  }
  const auto cells = static_cast<std::size_t>(nc * np);
  std::vector<double> cnt(cells, 0.0), sum(cells, 0.0), ss(cells, 0.0);
  std::vector<int> tr(cells, -1);
  for (std::size_t r = 0; r < n; ++r) {
    const auto k = static_cast<std::size_t>(cluster[r] * np + period[r]);
    const int t = static_cast<int>(treated[r]);
    if (tr[k] >= 0 && tr[k] != t)
      data_fail("treated is not constant within cluster " + std::to_string(cluster[r]) + ", period " +
                std::to_string(period[r]) + " (row " + std::to_string(r) +
                "); the treatment is assigned per cluster-period cell");
    tr[k] = t;
    cnt[k] += 1.0;
    sum[k] += y[r];
  }
  for (std::size_t k = 0; k < cells; ++k)
    if (cnt[k] > 0) sum[k] /= cnt[k];
  for (std::size_t r = 0; r < n; ++r) {  // second pass: squares about the cell mean, no cancellation
    const auto k = static_cast<std::size_t>(cluster[r] * np + period[r]);
    const double d = y[r] - sum[k];
    ss[k] += d * d;
  }
  std::vector<sw_cell> out;
  for (std::size_t k = 0; k < cells; ++k) {
    if (cnt[k] == 0) continue;
    out.push_back({static_cast<int>(k / static_cast<std::size_t>(np)),
                   static_cast<int>(k % static_cast<std::size_t>(np)), tr[k], cnt[k], sum[k], ss[k]});
  }
  return out;
}

std::vector<sw_cell> sw_cells_from_sums(std::span<const std::int64_t> cluster,
                                        std::span<const std::int64_t> period,
                                        std::span<const std::int64_t> treated, std::span<const double> n,
                                        std::span<const double> sum, std::span<const double> sum_sq) {
  const std::size_t rows = cluster.size();
  check_lengths(rows, period.size(), "period");
  check_lengths(rows, treated.size(), "treated");
  check_lengths(rows, n.size(), "n");
  check_lengths(rows, sum.size(), "sum");
  check_lengths(rows, sum_sq.size(), "sum_sq");
  std::vector<sw_cell> raw;
  raw.reserve(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    check_codes(cluster[r], period[r], treated[r], r);
    if (!(n[r] >= 1.0) || !std::isfinite(n[r]))
      data_fail("n must be >= 1 in every cell, got " + detail::num(n[r]) + " at row " + std::to_string(r));
    if (!std::isfinite(sum[r]) || !std::isfinite(sum_sq[r]))
      data_fail("sum and sum_sq must be finite, got " + detail::num(sum[r]) + " and " +
                detail::num(sum_sq[r]) + " at row " + std::to_string(r));
    const double mean = sum[r] / n[r];
    const double ss = sum_sq[r] - sum[r] * mean;
    // sum_sq below sum^2 / n by more than rounding cannot come from real data.
    if (ss < -1e-9 * std::max(1.0, std::abs(sum_sq[r])))
      data_fail("sum_sq (" + detail::num(sum_sq[r]) + ") is less than sum^2 / n (" +
                detail::num(sum[r] * mean) + ") at row " + std::to_string(r));
    raw.push_back({static_cast<int>(cluster[r]), static_cast<int>(period[r]), static_cast<int>(treated[r]),
                   n[r], mean, std::max(ss, 0.0)});
  }
  return merge(std::move(raw));
}

sw_fit_result stepped_wedge_fit(std::span<const sw_cell> cells_in, bool reml, double alpha) {
  detail::check_alpha(fn, alpha);
  if (cells_in.empty()) data_fail("no data");
  model md;
  md.reml = reml;
  md.cells = merge(std::vector<sw_cell>(cells_in.begin(), cells_in.end()));
  // Re-code clusters and periods densely (codes may have gaps after filtering).
  std::map<int, int> ccode, pcode;
  for (const auto& c : md.cells) {
    ccode.emplace(c.cluster, 0);
    pcode.emplace(c.period, 0);
  }
  int k = 0;
  for (auto& [key, v] : ccode) v = k++;
  k = 0;
  for (auto& [key, v] : pcode) v = k++;
  const int ncl = static_cast<int>(ccode.size());
  md.t = static_cast<int>(pcode.size());
  md.p = md.t + 1;
  if (ncl < 2) data_fail("needs at least 2 clusters, got " + std::to_string(ncl));
  if (md.t < 2) data_fail("needs at least 2 periods, got " + std::to_string(md.t));
  int n_treated = 0;
  for (auto& c : md.cells) {
    c.cluster = ccode[c.cluster];
    c.period = pcode[c.period];
    n_treated += c.treated;
  }
  if (n_treated == 0) data_fail("no treated cell: the treatment effect cannot be estimated");
  if (n_treated == static_cast<int>(md.cells.size()))
    data_fail("no control (untreated) cell: the treatment effect cannot be estimated");
  md.cl.resize(static_cast<std::size_t>(ncl));
  md.u.assign(static_cast<std::size_t>(ncl), Eigen::VectorXd::Zero(md.p));
  md.a = Eigen::MatrixXd::Zero(md.p, md.p);
  md.xty = Eigen::VectorXd::Zero(md.p);
  std::vector<int> last_treated(static_cast<std::size_t>(ncl), 0);
  std::vector<bool> reversed(static_cast<std::size_t>(ncl), false);
  for (int idx = 0; idx < static_cast<int>(md.cells.size()); ++idx) {
    const auto& c = md.cells[idx];
    auto& cl = md.cl[c.cluster];
    cl.n += c.n;
    cl.cells.push_back(idx);
    auto& u = md.u[c.cluster];
    u[c.period] += c.n;
    md.a(c.period, c.period) += c.n;
    md.xty[c.period] += c.n * c.mean;
    if (c.treated) {
      u[md.t] += c.n;
      md.a(md.t, md.t) += c.n;
      md.a(c.period, md.t) += c.n;
      md.a(md.t, c.period) += c.n;
      md.xty[md.t] += c.n * c.mean;
    }
    // cells are ordered by (cluster, period): a control cell after a treated one is a reversal
    if (c.treated)
      last_treated[c.cluster] = 1;
    else if (last_treated[c.cluster])
      reversed[c.cluster] = true;
    md.n_obs += c.n;
  }
  // Identification: theta needs a period holding both treated and control cells (otherwise X_ij is a
  // function of the period and confounded with beta_j).
  {
    std::vector<int> tr(md.t, 0), ctl(md.t, 0);
    for (const auto& c : md.cells) (c.treated ? tr : ctl)[c.period] = 1;
    bool ok = false;
    for (int j = 0; j < md.t; ++j) ok = ok || (tr[j] && ctl[j]);
    if (!ok)
      data_fail(
          "the treatment is confounded with the periods: no period has both treated and control "
          "clusters");
  }
  if (!(md.fac() > 0.0))
    data_fail("too few individuals (" + detail::num(md.n_obs) + ") for " + std::to_string(md.p) +
              " fixed effects");
  {
    double within = 0.0;
    for (const auto& c : md.cells) within += c.ss;
    if (!(within > 0.0) && md.n_obs <= static_cast<double>(md.cells.size()) + md.p)
      data_fail("the residual variance cannot be estimated (no within-cell variation and too few cells)");
  }

  sw_fit_result r;
  r.clusters = ncl;
  r.periods = md.t;
  r.cells = static_cast<int>(md.cells.size());
  r.n_obs = md.n_obs;
  for (bool b : reversed) r.reversals += b ? 1 : 0;

  // Maximise the profile likelihood over gamma >= 0.
  int evals = 0;
  auto s = [&](double g) {
    ++evals;
    return score(md, g);
  };
  double gamma = 0.0;
  const double s0 = s(0.0);
  if (s0 > 0.0) {
    double lo = 0.0, hi = 1.0 / std::max(1.0, md.n_obs / ncl);
    while (s(hi) > 0.0) {
      lo = hi;
      hi *= 4.0;
      if (hi > 1e12) data_fail("the between-cluster variance diverges (no within-cluster variation?)");
    }
    gamma = detail::find_root(s, lo, hi, fn, "the REML/ML score");
    r.converged = true;
  } else {
    r.converged = true;
    r.boundary = true;
  }
  r.iterations = evals;

  const eval e = evaluate(md, gamma);
  const double f = md.fac();
  r.sigma2 = e.q / f;
  r.tau2 = gamma * r.sigma2;
  r.icc = r.tau2 + r.sigma2 > 0.0 ? r.tau2 / (r.tau2 + r.sigma2) : 0.0;
  r.log_likelihood = log_likelihood(md, e, gamma);
  const Eigen::MatrixXd minv = e.ldlt.solve(Eigen::MatrixXd::Identity(md.p, md.p));
  r.theta = e.b[md.t];
  r.std_error = std::sqrt(r.sigma2 * minv(md.t, md.t));
  r.intercept = e.b[0];
  r.period_effects.resize(static_cast<std::size_t>(md.t));
  for (int j = 0; j < md.t; ++j) r.period_effects[static_cast<std::size_t>(j)] = e.b[j] - e.b[0];

  // Observed information of the profile likelihood l(b, gamma) (sigma^2 profiled out), as statsmodels
  // MixedLM.hessian: it couples theta to gamma through the cross term, which the GLS SE ignores.
  {
    const int q = md.p + 1;
    Eigen::MatrixXd h = Eigen::MatrixXd::Zero(q, q);
    h.topLeftCorner(md.p, md.p) = -f * e.m / e.q;
    Eigen::VectorXd cross = Eigen::VectorXd::Zero(md.p);
    Eigen::MatrixXd dm = Eigen::MatrixXd::Zero(md.p, md.p), d2m = dm;
    double dq = 0.0, d2q = 0.0, d2logh = 0.0;
    for (int i = 0; i < ncl; ++i) {
      const double ni = md.cl[i].n, hh = 1.0 + ni * gamma, ri = e.r[i];
      cross += md.u[i] * ri / (hh * hh);
      dq -= ri * ri / (hh * hh);
      d2q += 2.0 * ni * ri * ri / (hh * hh * hh);
      d2logh -= ni * ni / (hh * hh);
      dm -= md.u[i] * md.u[i].transpose() / (hh * hh);
      d2m += 2.0 * ni * md.u[i] * md.u[i].transpose() / (hh * hh * hh);
    }
    const Eigen::VectorXd hbg = -f * cross / e.q;
    h.block(0, md.p, md.p, 1) = hbg;
    h.block(md.p, 0, 1, md.p) = hbg.transpose();
    double hgg = -0.5 * f * (d2q / e.q - (dq / e.q) * (dq / e.q)) - 0.5 * d2logh;
    if (md.reml) {
      const Eigen::MatrixXd a1 = e.ldlt.solve(dm), a2 = e.ldlt.solve(d2m);
      hgg -= 0.5 * (a2.trace() - (a1 * a1).trace());
    }
    h(md.p, md.p) = hgg;
    if (r.boundary) {
      r.std_error_observed = r.std_error;  // gamma on the boundary: no curvature to couple through
    } else {
      const Eigen::MatrixXd cov = (-h).inverse();
      r.std_error_observed = std::sqrt(cov(md.t, md.t));
    }
  }

  r.z = r.theta / r.std_error;
  r.pvalue = 2.0 * normal_sf(std::abs(r.z));
  const double zc = normal_isf(alpha / 2.0);
  r.ci_low = r.theta - zc * r.std_error;
  r.ci_high = r.theta + zc * r.std_error;
  return r;
}

}  // namespace missionkit::stats
