#include "missionkit/stats/regression.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "detail/checks.hpp"
#include "missionkit/core/parallel.hpp"
#include "missionkit/stats/distributions.hpp"

namespace missionkit::stats {
namespace {

using detail::fail;
using detail::num;
using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// Rows per block of the streaming QR: large enough that Eigen's blocked Householder code runs at full
// speed, small enough that the block stays in cache (1024 x 11 doubles = 88 kB).
constexpr std::size_t chunk_rows = 1024;

// Column j of X is taken as a linear combination of columns 0..j-1 when the part of it orthogonal to them,
// |R(j, j)|, is below this fraction of its norm. Exactly collinear columns give ~1e-16 after rounding;
// NIST's Filip (a degree-10 polynomial, the hardest StRD problem) gives ~1e-10 in its last column and must
// pass, as it does in statsmodels (pinv with rcond 1e-15).
constexpr double collinear_tol = 1e-13;

std::string column_name(const std::vector<std::string>& names, std::size_t j, bool intercept) {
  if (intercept && j == 0) return "'const' (the added intercept)";
  const std::size_t jx = intercept ? j - 1 : j;
  if (jx < names.size()) return "'" + names[jx] + "'";
  return "x" + std::to_string(jx + 1) + " (column " + std::to_string(jx) + " of X)";
}

// True when row i is used: y and every x finite or NaN-free, labels non-negative. +-inf is an error
// (a NaN is "missing", an infinity is a bug upstream).
bool row_used(const char* fn, std::span<const double> y, const matrix_view& x,
              std::span<const std::int64_t> g1, std::span<const std::int64_t> g2, std::size_t i,
              std::size_t first_row) {
  bool ok = true;
  const double yi = y[i];
  if (std::isnan(yi))
    ok = false;
  else if (std::isinf(yi))
    fail(fn, "y[" + std::to_string(first_row + i) + "] is " + num(yi) + "; only NaN marks a missing value");
  for (std::size_t j = 0; j < x.cols; ++j) {
    const double v = x(i, j);
    if (std::isnan(v))
      ok = false;
    else if (std::isinf(v))
      fail(fn, "X[" + std::to_string(first_row + i) + ", " + std::to_string(j) + "] is " + num(v) +
                   "; only NaN marks a missing value");
  }
  if (!g1.empty() && g1[i] < 0) ok = false;
  if (!g2.empty() && g2[i] < 0) ok = false;
  return ok;
}

void check_lengths(const char* fn, std::span<const double> y, const matrix_view& x,
                   std::span<const std::int64_t> g1, std::span<const std::int64_t> g2) {
  if (x.rows != y.size())
    fail(fn, "X has " + std::to_string(x.rows) + " rows but y has " + std::to_string(y.size()));
  if (!g1.empty() && g1.size() != y.size())
    fail(fn, "groups has " + std::to_string(g1.size()) + " labels but y has " + std::to_string(y.size()) +
                 " rows");
  if (!g2.empty() && g2.size() != y.size())
    fail(fn, "groups2 has " + std::to_string(g2.size()) + " labels but y has " + std::to_string(y.size()) +
                 " rows");
}

// Upper triangle of the R factor of m (rows >= cols), written into r (cols x cols, column-major).
void r_factor(const MatrixXd& m, std::vector<double>& r) {
  const Index c = m.cols();
  Eigen::HouseholderQR<MatrixXd> qr(m);
  Eigen::Map<MatrixXd> out(r.data(), c, c);
  out = qr.matrixQR().topRows(c).triangularView<Eigen::Upper>();
}

}  // namespace

// ---- pass 1 ------------------------------------------------------------------------------------------

ols_partial::ols_partial(std::size_t k_columns, bool add_intercept)
    : k_x_(k_columns),
      add_intercept_(add_intercept),
      r_((k_columns + (add_intercept ? 1 : 0) + 1) * (k_columns + (add_intercept ? 1 : 0) + 1), 0.0),
      first_(k_columns, 0.0),
      constant_(k_columns, 1) {}

void ols_partial::add(std::span<const double> y, matrix_view x, std::span<const std::int64_t> groups,
                      std::span<const std::int64_t> groups2, std::size_t first_row) {
  constexpr const char* fn = "ols";
  check_lengths(fn, y, x, groups, groups2);
  if (x.cols != k_x_)
    fail(fn, "X has " + std::to_string(x.cols) + " columns but this fit was started with " +
                 std::to_string(k_x_));
  const std::size_t k = k_x_ + (add_intercept_ ? 1 : 0);
  const Index k1 = static_cast<Index>(k + 1);
  // Each block: the R factor so far on top, then up to chunk_rows new rows [x_i y_i]; its R factor is the
  // R factor of all rows so far (TSQR).
  MatrixXd m(k1 + static_cast<Index>(chunk_rows), k1);
  std::size_t i = 0;
  while (i < y.size()) {
    m.topRows(k1) = Eigen::Map<const MatrixXd>(r_.data(), k1, k1);
    Index used = 0;
    double c_n = 0.0;
    double c_sum = 0.0;
    for (; i < y.size() && used < static_cast<Index>(chunk_rows); ++i) {
      if (!row_used(fn, y, x, groups, groups2, i, first_row)) {
        ++dropped_;
        continue;
      }
      const Index row = k1 + used;
      Index c = 0;
      if (add_intercept_) m(row, c++) = 1.0;
      for (std::size_t j = 0; j < k_x_; ++j) {
        const double v = x(i, j);
        m(row, c++) = v;
        const bool first_seen = n_ == 0.0 && c_n == 0.0;
        if (first_seen)
          first_[j] = v;
        else if (v != first_[j])
          constant_[j] = 0;
      }
      m(row, c) = y[i];
      c_sum += y[i];
      c_n += 1.0;
      ++used;
    }
    if (used == 0) continue;
    // Chunk moments by two passes over the rows just copied, merged into the running ones (Chan et al.).
    const double c_mean = c_sum / c_n;
    const double c_m2 = (m.col(k1 - 1).segment(k1, used).array() - c_mean).square().sum();
    const double n = n_ + c_n;
    const double d = c_mean - mean_y_;
    m2_y_ += c_m2 + d * d * n_ * c_n / n;
    mean_y_ += d * c_n / n;
    n_ = n;
    r_factor(m.topRows(k1 + used), r_);
  }
}

ols_partial& ols_partial::operator+=(const ols_partial& other) {
  if (other.k_x_ != k_x_ || other.add_intercept_ != add_intercept_)
    fail("ols_partial", "cannot merge states of fits with different columns");
  dropped_ += other.dropped_;
  if (other.n_ == 0.0) return *this;
  if (n_ == 0.0) {
    const std::size_t dropped = dropped_;
    *this = other;
    dropped_ = dropped;
    return *this;
  }
  const Index k1 = static_cast<Index>(k_x_ + (add_intercept_ ? 1 : 0) + 1);
  MatrixXd m(2 * k1, k1);
  m.topRows(k1) = Eigen::Map<const MatrixXd>(r_.data(), k1, k1);
  m.bottomRows(k1) = Eigen::Map<const MatrixXd>(other.r_.data(), k1, k1);
  r_factor(m, r_);
  const double n = n_ + other.n_;
  const double d = other.mean_y_ - mean_y_;
  m2_y_ += other.m2_y_ + d * d * n_ * other.n_ / n;
  mean_y_ += d * other.n_ / n;
  n_ = n;
  for (std::size_t j = 0; j < k_x_; ++j)
    constant_[j] = constant_[j] && other.constant_[j] && first_[j] == other.first_[j];
  return *this;
}

std::vector<double> ols_partial::xtx() const {
  const Index k = static_cast<Index>(k_x_ + (add_intercept_ ? 1 : 0));
  const Eigen::Map<const MatrixXd> r(r_.data(), k + 1, k + 1);
  std::vector<double> out(static_cast<std::size_t>(k * k));
  Eigen::Map<MatrixXd>(out.data(), k, k) = r.topLeftCorner(k, k).transpose() * r.topLeftCorner(k, k);
  return out;
}

std::vector<double> ols_partial::xty() const {
  const Index k = static_cast<Index>(k_x_ + (add_intercept_ ? 1 : 0));
  const Eigen::Map<const MatrixXd> r(r_.data(), k + 1, k + 1);
  std::vector<double> out(static_cast<std::size_t>(k));
  Eigen::Map<VectorXd>(out.data(), k) = r.topLeftCorner(k, k).transpose() * r.col(k).head(k);
  return out;
}

ols_fit ols_partial::solve(const std::vector<std::string>& names) const {
  constexpr const char* fn = "ols";
  const std::size_t k = k_x_ + (add_intercept_ ? 1 : 0);
  const Index ki = static_cast<Index>(k);
  if (k == 0) fail(fn, "X has no columns and no intercept was asked for");
  if (!(n_ > static_cast<double>(k)))
    fail(fn, "needs more usable rows than coefficients, got " + num(n_) + " rows (" +
                 std::to_string(dropped_) + " dropped for missing values) for " + std::to_string(k) +
                 " coefficients");
  const Eigen::Map<const MatrixXd> r(r_.data(), ki + 1, ki + 1);
  const auto r11 = r.topLeftCorner(ki, ki);
  // In a Householder QR without pivoting |R(j, j)| is the distance of column j from the span of the
  // columns before it, so the first column that fails the test is the one to name.
  for (Index j = 0; j < ki; ++j) {
    const double norm = r11.col(j).head(j + 1).norm();
    const auto ju = static_cast<std::size_t>(j);
    if (norm == 0.0) fail(fn, "column " + column_name(names, ju, add_intercept_) + " is all zeros; drop it");
    if (std::abs(r11(j, j)) <= collinear_tol * norm) {
      const std::size_t jx = add_intercept_ ? ju - 1 : ju;
      if (add_intercept_ && ju > 0 && constant_[jx])
        fail(fn, "column " + column_name(names, ju, add_intercept_) +
                     " is constant and add_intercept=true adds another constant; drop the column or pass "
                     "add_intercept=false");
      fail(fn, "column " + column_name(names, ju, add_intercept_) +
                   " is a linear combination of the columns before it (perfectly collinear), so the "
                   "coefficients are not identified; drop it");
    }
  }
  ols_fit f;
  f.k = k;
  f.add_intercept = add_intercept_;
  f.nobs = n_;
  f.nobs_dropped = dropped_;
  f.params.resize(k);
  f.r_inv.resize(k * k);
  Eigen::Map<VectorXd> beta(f.params.data(), ki);
  beta = r11.triangularView<Eigen::Upper>().solve(r.col(ki).head(ki));
  Eigen::Map<MatrixXd> rinv(f.r_inv.data(), ki, ki);
  rinv.setIdentity();
  r11.triangularView<Eigen::Upper>().solveInPlace(rinv);
  f.ssr = r(ki, ki) * r(ki, ki);
  // statsmodels' k_constant: an intercept added, or a column of X that is constant and not zero.
  bool constant_column = false;
  for (std::size_t j = 0; j < k_x_; ++j)
    constant_column = constant_column || (constant_[j] && first_[j] != 0);
  f.has_constant = add_intercept_ || constant_column;
  f.tss = f.has_constant ? m2_y_ : m2_y_ + n_ * mean_y_ * mean_y_;
  return f;
}

// ---- pass 2 ------------------------------------------------------------------------------------------

std::size_t ols_scores::pair_hash::operator()(const std::pair<std::int64_t, std::int64_t>& p) const noexcept {
  // splitmix64 finaliser of the first label, xor the second: keys are exact pairs, the hash only spreads.
  auto z = static_cast<std::uint64_t>(p.first) + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return static_cast<std::size_t>(z ^ static_cast<std::uint64_t>(p.second));
}

ols_scores::ols_scores(const ols_fit& fit, cov_type cov, bool two_way, std::size_t maxlags)
    : fit_(fit),
      cov_(cov),
      two_way_(two_way && cov == cov_type::cluster),
      meat_(fit.k * fit.k, 0.0),
      maxlags_(cov == cov_type::hac ? maxlags : 0) {}

namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Newey-West lag terms sum_{l=1..L} w_l (u_t u_{t-l}' + u_{t-l} u_t'), Bartlett w_l = 1 - l/(L+1) (Newey &
// West 1987; statsmodels' S_hac_simple), over the rows t >= earlier of w (rows in time order; the first
// `earlier` rows were counted before). cross_only: only pairs whose earlier row is among those first rows
// (merging two states whose own pairs are already in their meats).
void add_lag_terms(Eigen::Ref<MatrixXd> meat, const RowMatrix& w, Index earlier, std::size_t maxlags,
                   bool cross_only) {
  const Index rows = w.rows();
  for (std::size_t lu = 1; lu <= maxlags; ++lu) {
    const auto l = static_cast<Index>(lu);
    const Index begin = std::max(earlier, l);
    const Index end = cross_only ? std::min(rows, earlier + l) : rows;
    if (end <= begin) continue;
    const double weight = 1.0 - static_cast<double>(lu) / static_cast<double>(maxlags + 1);
    const MatrixXd g = w.middleRows(begin, end - begin).transpose() * w.middleRows(begin - l, end - begin);
    meat += weight * (g + g.transpose());
  }
}

// [a; b] for row-major blocks of k doubles per row stored in vectors.
RowMatrix stack_rows(const std::vector<double>& a, const std::vector<double>& b, Index k) {
  const Index ra = static_cast<Index>(a.size()) / k;
  const Index rb = static_cast<Index>(b.size()) / k;
  RowMatrix m(ra + rb, k);
  if (ra > 0) m.topRows(ra) = Eigen::Map<const RowMatrix>(a.data(), ra, k);
  if (rb > 0) m.bottomRows(rb) = Eigen::Map<const RowMatrix>(b.data(), rb, k);
  return m;
}

// The last min(maxlags, rows) rows of m, as a vector of k doubles per row.
std::vector<double> last_rows(const RowMatrix& m, std::size_t maxlags) {
  const Index r = std::min(m.rows(), static_cast<Index>(maxlags));
  const RowMatrix t = m.bottomRows(r);
  return {t.data(), t.data() + t.size()};
}

// Appends to head the first rows of m until it holds maxlags rows.
void fill_head(std::vector<double>& head, const RowMatrix& m, std::size_t maxlags) {
  const Index k = m.cols();
  const Index have = static_cast<Index>(head.size()) / k;
  const Index take = std::min(m.rows(), static_cast<Index>(maxlags) - have);
  if (take <= 0) return;
  const RowMatrix t = m.topRows(take);
  head.insert(head.end(), t.data(), t.data() + t.size());
}

template <typename Map, typename Key>
std::size_t slot_index(Map& slots, std::vector<double>& sums, const Key& key, std::size_t k) {
  auto [it, inserted] = slots.try_emplace(key, slots.size());
  if (inserted) sums.resize(sums.size() + k, 0.0);
  return it->second;
}

template <typename Map, typename Key>
double* slot_of(Map& slots, std::vector<double>& sums, const Key& key, std::size_t k) {
  const std::size_t slot = slot_index(slots, sums, key, k);  // before data(): it may grow `sums`
  return sums.data() + slot * k;
}

// A direct-mapped cache of label -> slot in front of the hash map: a cluster's rows come again and again,
// and with the usual integer labels nearly every lookup is then one compare instead of a hash. Slots are
// never renumbered, so a cached slot stays right as the map grows.
class slot_cache {
 public:
  std::size_t get(std::unordered_map<std::int64_t, std::size_t>& slots, std::vector<double>& sums,
                  std::int64_t label, std::size_t k) {
    const std::size_t h = static_cast<std::size_t>(label) & (size - 1);
    if (!used_[h] || key_[h] != label) {
      key_[h] = label;
      slot_[h] = slot_index(slots, sums, label, k);
      used_[h] = true;
    }
    return slot_[h];
  }

 private:
  static constexpr std::size_t size = 4096;
  std::vector<std::int64_t> key_ = std::vector<std::int64_t>(size);
  std::vector<std::size_t> slot_ = std::vector<std::size_t>(size);
  std::vector<bool> used_ = std::vector<bool>(size, false);
};

}  // namespace

void ols_scores::add(std::span<const double> y, matrix_view x, std::span<const std::int64_t> groups,
                     std::span<const std::int64_t> groups2) {
  constexpr const char* fn = "ols";
  check_lengths(fn, y, x, groups, groups2);
  const std::size_t k = fit_.k;
  const Index ki = static_cast<Index>(k);
  const bool intercept = fit_.add_intercept;
  if (x.cols + (intercept ? 1 : 0) != k) fail(fn, "X has a different number of columns than the fit");
  if (cov_ == cov_type::cluster && groups.empty()) fail(fn, "cov='cluster' needs groups, one label per row");
  if (two_way_ && groups2.empty()) fail(fn, "two-way clustering needs groups2, one label per row");
  const Eigen::Map<const VectorXd> beta(fit_.params.data(), ki);
  const Eigen::Map<const MatrixXd> rinv(fit_.r_inv.data(), ki, ki);
  Eigen::Map<MatrixXd> meat(meat_.data(), ki, ki);
  MatrixXd xc(static_cast<Index>(chunk_rows), ki);
  VectorXd yc(static_cast<Index>(chunk_rows));
  std::vector<std::size_t> rows(chunk_rows);
  MatrixXd z;
  slot_cache cache1;
  const bool hc = cov_ != cov_type::nonrobust && cov_ != cov_type::cluster && cov_ != cov_type::hac;
  std::size_t i = 0;
  while (i < y.size()) {
    Index used = 0;
    for (; i < y.size() && used < static_cast<Index>(chunk_rows); ++i) {
      if (!row_used(fn, y, x, cov_ == cov_type::cluster ? groups : std::span<const std::int64_t>{},
                    two_way_ ? groups2 : std::span<const std::int64_t>{}, i, 0))
        continue;
      Index c = 0;
      if (intercept) xc(used, c++) = 1.0;
      for (std::size_t j = 0; j < x.cols; ++j) xc(used, c++) = x(i, j);
      yc(used) = y[i];
      rows[static_cast<std::size_t>(used)] = i;
      ++used;
    }
    if (used == 0 || cov_ == cov_type::nonrobust) continue;
    const auto xs = xc.topRows(used);
    const VectorXd e = yc.head(used) - xs * beta;
    // Rotated rows z_i = R^-T x_i: the leverage is |z_i|^2 and the meat in this basis is sum w_i z_i z_i'.
    z.noalias() = xs * rinv.triangularView<Eigen::Upper>();
    if (hc) {
      VectorXd w = e.array().square();
      if (cov_ == cov_type::hc2 || cov_ == cov_type::hc3) {
        const VectorXd one_minus_h = 1.0 - z.rowwise().squaredNorm().array();
        if (cov_ == cov_type::hc2)
          w.array() /= one_minus_h.array();
        else
          w.array() /= one_minus_h.array().square();
      }
      meat.noalias() += z.transpose() * w.asDiagonal() * z;
      continue;
    }
    if (cov_ == cov_type::hac) {
      // Scores u_t = z_t e_t in time order; the previous chunk's last L scores go on top so that the lag
      // products across the boundary are counted once, here.
      const RowMatrix u = z.array().colwise() * e.array();
      meat.noalias() += u.transpose() * u;
      if (maxlags_ == 0) continue;
      const RowMatrix w = stack_rows(tail_, std::vector<double>(u.data(), u.data() + u.size()), ki);
      add_lag_terms(meat, w, static_cast<Index>(tail_.size() / k), maxlags_, false);
      fill_head(head_, u, maxlags_);
      tail_ = last_rows(w, maxlags_);
      continue;
    }
    for (Index r = 0; r < used; ++r) {
      const std::size_t row = rows[static_cast<std::size_t>(r)];
      const auto u = z.row(r) * e(r);
      const std::size_t slot = cache1.get(slot1_, sums1_, groups[row], k);  // before data(): may grow
      Eigen::Map<Eigen::RowVectorXd>(sums1_.data() + slot * k, ki) += u;
      if (two_way_) {
        Eigen::Map<Eigen::RowVectorXd>(slot_of(slot2_, sums2_, groups2[row], k), ki) += u;
        Eigen::Map<Eigen::RowVectorXd>(
            slot_of(slot12_, sums12_, std::make_pair(groups[row], groups2[row]), k), ki) += u;
      }
    }
  }
}

ols_scores& ols_scores::operator+=(const ols_scores& other) {
  if (other.fit_.k != fit_.k || other.cov_ != cov_ || other.two_way_ != two_way_ ||
      other.maxlags_ != maxlags_)
    fail("ols_scores", "cannot merge states of different fits or covariance types");
  const std::size_t k = fit_.k;
  for (std::size_t i = 0; i < meat_.size(); ++i) meat_[i] += other.meat_[i];
  if (cov_ == cov_type::hac && maxlags_ > 0) {
    // other's rows follow ours: pair its first L scores with our last L (the only lags not yet counted).
    const auto ki = static_cast<Index>(k);
    Eigen::Map<MatrixXd> meat(meat_.data(), ki, ki);
    add_lag_terms(meat, stack_rows(tail_, other.head_, ki), static_cast<Index>(tail_.size() / k), maxlags_,
                  true);
    fill_head(head_, stack_rows({}, other.head_, ki), maxlags_);
    tail_ = last_rows(stack_rows(tail_, other.tail_, ki), maxlags_);
  }
  auto merge = [k](auto& slots, std::vector<double>& sums, const auto& oslots,
                   const std::vector<double>& osums) {
    for (const auto& [key, s] : oslots) {
      double* dst = slot_of(slots, sums, key, k);
      for (std::size_t j = 0; j < k; ++j) dst[j] += osums[s * k + j];
    }
  };
  merge(slot1_, sums1_, other.slot1_, other.sums1_);
  merge(slot2_, sums2_, other.slot2_, other.sums2_);
  merge(slot12_, sums12_, other.slot12_, other.sums12_);
  return *this;
}

ols_result ols_scores::finish(const ols_options& options) const {
  constexpr const char* fn = "ols";
  detail::check_alpha(fn, options.alpha);
  const std::size_t k = fit_.k;
  const Index ki = static_cast<Index>(k);
  const double n = fit_.nobs;
  const double kd = static_cast<double>(k);
  const double df_resid = n - kd;
  const Eigen::Map<const MatrixXd> rinv(fit_.r_inv.data(), ki, ki);

  ols_result res;
  res.cov = cov_;
  res.maxlags = maxlags_;
  res.nobs = static_cast<std::size_t>(n);
  res.nobs_dropped = fit_.nobs_dropped;
  res.params = fit_.params;
  res.has_constant = fit_.has_constant;
  res.df_model = kd - (fit_.has_constant ? 1.0 : 0.0);
  res.df_resid = df_resid;
  res.ssr = fit_.ssr;
  res.tss = fit_.tss;
  res.rsquared = 1.0 - fit_.ssr / fit_.tss;
  // statsmodels: 1 - (n - k_constant) / df_resid * (1 - R^2).
  res.rsquared_adj = 1.0 - (n - (fit_.has_constant ? 1.0 : 0.0)) / df_resid * (1.0 - res.rsquared);
  res.sigma = std::sqrt(fit_.ssr / df_resid);

  // Covariance in the rotated basis (C), then V = R^-1 C R^-T.
  MatrixXd c(ki, ki);
  auto cluster_meat = [&](const std::vector<double>& sums, std::size_t groups, const char* what) {
    if (groups < 2)
      fail(fn, std::string("cov='cluster' needs at least 2 clusters in ") + what + ", got " +
                   std::to_string(groups));
    const Eigen::Map<const MatrixXd> s(sums.data(), ki, static_cast<Index>(groups));
    const double g = static_cast<double>(groups);
    // CRV1 small-sample factor, statsmodels cov_cluster(use_correction=True).
    return MatrixXd((s * s.transpose()) * (g / (g - 1.0) * (n - 1.0) / df_resid));
  };
  switch (cov_) {
    case cov_type::nonrobust:
      c = MatrixXd::Identity(ki, ki) * (fit_.ssr / df_resid);
      break;
    case cov_type::hc0:
    case cov_type::hc2:
    case cov_type::hc3:
      c = Eigen::Map<const MatrixXd>(meat_.data(), ki, ki);
      break;
    case cov_type::hac:
      // statsmodels' cov_hac_simple: n / (n - k) only with use_correction (its default for HAC is false).
      c = Eigen::Map<const MatrixXd>(meat_.data(), ki, ki) * (options.use_correction ? n / df_resid : 1.0);
      res.use_correction = options.use_correction;
      break;
    case cov_type::hc1:
      c = Eigen::Map<const MatrixXd>(meat_.data(), ki, ki) * (n / df_resid);
      break;
    case cov_type::cluster:
      res.n_groups = slot1_.size();
      c = cluster_meat(sums1_, slot1_.size(), "groups");
      if (two_way_) {
        res.n_groups2 = slot2_.size();
        c += cluster_meat(sums2_, slot2_.size(), "groups2");
        // The intersection can have a single cell only when both dimensions do, caught above.
        c -= cluster_meat(sums12_, slot12_.size(), "the intersection of groups and groups2");
      }
      break;
  }
  MatrixXd v = rinv * c * rinv.transpose();
  v = (v + v.transpose()) * 0.5;  // exact symmetry for consumers that check it
  res.cov_params.resize(k * k);
  Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(res.cov_params.data(),
                                                                                     ki, ki) = v;

  res.use_t = options.use_t.value_or(cov_ == cov_type::nonrobust);
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (!res.use_t)
    res.df_inference = inf;
  else if (cov_ == cov_type::cluster)
    res.df_inference =
        static_cast<double>(two_way_ ? std::min(res.n_groups, res.n_groups2) : res.n_groups) - 1.0;
  else
    res.df_inference = df_resid;
  const double tail = options.alpha / 2.0;
  const double q = res.use_t ? t_isf(tail, res.df_inference) : normal_isf(tail);
  res.bse.resize(k);
  res.tvalues.resize(k);
  res.pvalues.resize(k);
  res.ci_low.resize(k);
  res.ci_high.resize(k);
  for (std::size_t j = 0; j < k; ++j) {
    const double se = std::sqrt(v(static_cast<Index>(j), static_cast<Index>(j)));
    const double t = res.params[j] / se;
    res.bse[j] = se;
    res.tvalues[j] = t;
    res.pvalues[j] = 2.0 * (res.use_t ? t_sf(std::abs(t), res.df_inference) : normal_sf(std::abs(t)));
    res.ci_low[j] = res.params[j] - q * se;
    res.ci_high[j] = res.params[j] + q * se;
  }
  res.names.reserve(k);
  if (fit_.add_intercept) res.names.emplace_back("const");
  for (std::size_t j = 0; j + (fit_.add_intercept ? 1 : 0) < k; ++j)
    res.names.push_back(j < options.names.size() ? options.names[j] : "x" + std::to_string(j + 1));
  return res;
}

// ---- one call ----------------------------------------------------------------------------------------

ols_result ols(std::span<const double> y, matrix_view x, const ols_options& options) {
  constexpr const char* fn = "ols";
  detail::check_alpha(fn, options.alpha);
  const bool cluster = options.cov == cov_type::cluster;
  const std::span<const std::int64_t> g1 = cluster ? options.groups : std::span<const std::int64_t>{};
  const std::span<const std::int64_t> g2 = cluster ? options.groups2 : std::span<const std::int64_t>{};
  if (cluster && g1.empty()) fail(fn, "cov='cluster' needs groups, one label per row");
  check_lengths(fn, y, x, g1, g2);
  if (!options.names.empty() && options.names.size() != x.cols)
    fail(fn, "got " + std::to_string(options.names.size()) + " names for " + std::to_string(x.cols) +
                 " columns of X");

  // One contiguous block of rows per thread; partial states are merged in block order.
  const std::size_t n = y.size();
  auto sub = [&](std::size_t b, std::size_t e) {
    matrix_view v = x;
    v.data = x.data + static_cast<std::ptrdiff_t>(b) * x.row_stride;
    v.rows = e - b;
    return v;
  };
  auto part = [](std::span<const std::int64_t> g, std::size_t b, std::size_t e) {
    return g.empty() ? g : g.subspan(b, e - b);
  };
  const std::size_t blocks = block_count(n);
  std::vector<ols_partial> p1(blocks, ols_partial(x.cols, options.add_intercept));
  parallel_blocks(n, [&](std::size_t blk, std::size_t b, std::size_t e) {
    p1[blk].add(y.subspan(b, e - b), sub(b, e), part(g1, b, e), part(g2, b, e), b);
  });
  for (std::size_t blk = 1; blk < blocks; ++blk) p1[0] += p1[blk];
  const ols_fit fit = p1[0].solve(options.names);

  const bool two_way = cluster && !g2.empty();
  // Blocks are contiguous and merged in order, so HAC lag products across block boundaries are formed by +=.
  std::vector<ols_scores> p2(blocks, ols_scores(fit, options.cov, two_way, options.maxlags));
  if (options.cov != cov_type::nonrobust) {
    parallel_blocks(n, [&](std::size_t blk, std::size_t b, std::size_t e) {
      p2[blk].add(y.subspan(b, e - b), sub(b, e), part(g1, b, e), part(g2, b, e));
    });
    for (std::size_t blk = 1; blk < blocks; ++blk) p2[0] += p2[blk];
  }
  return p2[0].finish(options);
}

}  // namespace missionkit::stats
