// mann_whitney_u and quantile_ci. Oracle: scipy 1.17.1 (stats.mannwhitneyu, and
// stats.quantile_test(x, q=0, p=...).confidence_interval(level), whose p is our q), printed with repr();
// every row names its call. scipy's alternative 'greater'/'less' are our larger/smaller. Samples:
// rng = np.random.default_rng(20261125), drawn in the order below (np.round(rng.normal(...), digits),
// np.round(rng.exponential(2.0, 101), 3)).
#include <gtest/gtest.h>

#include "../support.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/stats/nonparametric.hpp"

using namespace missionkit::stats;

namespace {

using missionkit::testing::error_of;
using a = alternative;
constexpr double inf = std::numeric_limits<double>::infinity();

const std::vector<double> s1x = {1.1, 2.3, 0.4, 3.8, 2.9};
const std::vector<double> s1y = {0.2, 1.7, 0.9, 0.5, 1.2, 0.8};
const std::vector<double> s2x = {1.0, 2.0, 2.0, 3.0, 4.0};
const std::vector<double> s2y = {2.0, 3.0, 3.0, 5.0, 1.0, 1.0};
const std::vector<double> s3x = {-1.92,  -0.369, 1.126, 1.016,  -1.349, -0.048,
                                 -0.004, 0.155,  0.477, -0.732, 0.307,  -0.328};
const std::vector<double> s3y = {0.511, 0.104,  0.456,  0.635, 1.557, 1.358, 1.308, 1.75,
                                 2.088, -0.995, -1.413, 0.857, 0.972, 1.523, 1.769};
const std::vector<double> s4x = {-0.5712, -1.047, -0.7605, 0.8113,  -0.6083, -0.0934, 0.652,
                                 -1.4598, 0.5536, 0.9311,  1.6818,  -0.655,  0.4294,  1.565,
                                 1.6895,  1.4565, 1.5265,  -0.4083, -0.1707, 2.7391};
const std::vector<double> s4y = {1.7793,  0.4241,  -0.1125, 1.8122, -0.4182, 0.3641, 1.0062, 0.0568, 0.2867,
                                 0.0789,  0.8303,  1.6224,  0.9939, -2.1883, 1.5694, 2.2609, 1.2346, 0.5535,
                                 -0.9524, -0.0306, 2.4424,  -0.075, 1.6249,  0.7772, 1.2821};

struct mwu_row {
  const std::vector<double>* x;
  const std::vector<double>* y;
  alternative alt;
  mwu_method method;
  bool use_continuity;
  double statistic, pvalue;
};

const std::vector<mwu_row> mwu_rows = {
    {&s1x, &s1y, a::two_sided, mwu_method::automatic, true, 23.0,
     0.17748917748917747},  // stats.mannwhitneyu(s1x, s1y, use_continuity=True, alternative='two-sided',
                            // method='auto')
    {&s1x, &s1y, a::larger, mwu_method::automatic, true, 23.0,
     0.08874458874458874},  // stats.mannwhitneyu(s1x, s1y, use_continuity=True, alternative='greater',
                            // method='auto')
    {&s1x, &s1y, a::smaller, mwu_method::automatic, true, 23.0,
     0.9372294372294372},  // stats.mannwhitneyu(s1x, s1y, use_continuity=True, alternative='less',
                           // method='auto')
    {&s1x, &s1y, a::two_sided, mwu_method::asymptotic, true, 23.0,
     0.17090352023079747},  // stats.mannwhitneyu(s1x, s1y, use_continuity=True, alternative='two-sided',
                            // method='asymptotic')
    {&s1x, &s1y, a::larger, mwu_method::asymptotic, true, 23.0,
     0.08545176011539873},  // stats.mannwhitneyu(s1x, s1y, use_continuity=True, alternative='greater',
                            // method='asymptotic')
    {&s1x, &s1y, a::smaller, mwu_method::asymptotic, true, 23.0,
     0.9396545997362772},  // stats.mannwhitneyu(s1x, s1y, use_continuity=True, alternative='less',
                           // method='asymptotic')
    {&s1x, &s1y, a::two_sided, mwu_method::asymptotic, false, 23.0,
     0.14412703481601533},  // stats.mannwhitneyu(s1x, s1y, use_continuity=False, alternative='two-sided',
                            // method='asymptotic')
    {&s1x, &s1y, a::larger, mwu_method::asymptotic, false, 23.0,
     0.07206351740800766},  // stats.mannwhitneyu(s1x, s1y, use_continuity=False, alternative='greater',
                            // method='asymptotic')
    {&s1x, &s1y, a::smaller, mwu_method::asymptotic, false, 23.0,
     0.9279364825919924},  // stats.mannwhitneyu(s1x, s1y, use_continuity=False, alternative='less',
                           // method='asymptotic')
    {&s2x, &s2y, a::two_sided, mwu_method::automatic, true, 15.0,
     1.0},  // stats.mannwhitneyu(s2x, s2y, use_continuity=True, alternative='two-sided', method='auto')
    {&s2x, &s2y, a::larger, mwu_method::automatic, true, 15.0,
     0.5373991304287047},  // stats.mannwhitneyu(s2x, s2y, use_continuity=True, alternative='greater',
                           // method='auto')
    {&s2x, &s2y, a::smaller, mwu_method::automatic, true, 15.0,
     0.5373991304287047},  // stats.mannwhitneyu(s2x, s2y, use_continuity=True, alternative='less',
                           // method='auto')
    {&s2x, &s2y, a::two_sided, mwu_method::exact, true, 15.0,
     1.0},  // stats.mannwhitneyu(s2x, s2y, use_continuity=True, alternative='two-sided', method='exact')
    {&s2x, &s2y, a::larger, mwu_method::exact, true, 15.0,
     0.5346320346320346},  // stats.mannwhitneyu(s2x, s2y, use_continuity=True, alternative='greater',
                           // method='exact')
    {&s2x, &s2y, a::smaller, mwu_method::exact, true, 15.0,
     0.5346320346320346},  // stats.mannwhitneyu(s2x, s2y, use_continuity=True, alternative='less',
                           // method='exact')
    {&s3x, &s3y, a::two_sided, mwu_method::automatic, true, 37.0,
     0.010414994659063268},  // stats.mannwhitneyu(s3x, s3y, use_continuity=True, alternative='two-sided',
                             // method='auto')
    {&s3x, &s3y, a::larger, mwu_method::automatic, true, 37.0,
     0.9954799334969903},  // stats.mannwhitneyu(s3x, s3y, use_continuity=True, alternative='greater',
                           // method='auto')
    {&s3x, &s3y, a::smaller, mwu_method::automatic, true, 37.0,
     0.005207497329531634},  // stats.mannwhitneyu(s3x, s3y, use_continuity=True, alternative='less',
                             // method='auto')
    {&s3x, &s3y, a::two_sided, mwu_method::exact, true, 37.0,
     0.008709688182026316},  // stats.mannwhitneyu(s3x, s3y, use_continuity=True, alternative='two-sided',
                             // method='exact')
    {&s3x, &s3y, a::larger, mwu_method::exact, true, 37.0,
     0.9962978878108775},  // stats.mannwhitneyu(s3x, s3y, use_continuity=True, alternative='greater',
                           // method='exact')
    {&s3x, &s3y, a::smaller, mwu_method::exact, true, 37.0,
     0.004354844091013158},  // stats.mannwhitneyu(s3x, s3y, use_continuity=True, alternative='less',
                             // method='exact')
    {&s3x, &s3y, a::two_sided, mwu_method::automatic, false, 37.0,
     0.009705885293027783},  // stats.mannwhitneyu(s3x, s3y, use_continuity=False, alternative='two-sided',
                             // method='auto')
    {&s3x, &s3y, a::larger, mwu_method::automatic, false, 37.0,
     0.9951470573534861},  // stats.mannwhitneyu(s3x, s3y, use_continuity=False, alternative='greater',
                           // method='auto')
    {&s3x, &s3y, a::smaller, mwu_method::automatic, false, 37.0,
     0.004852942646513892},  // stats.mannwhitneyu(s3x, s3y, use_continuity=False, alternative='less',
                             // method='auto')
    {&s4x, &s4y, a::two_sided, mwu_method::exact, true, 203.0,
     0.2913193721534998},  // stats.mannwhitneyu(s4x, s4y, use_continuity=True, alternative='two-sided',
                           // method='exact')
    {&s4x, &s4y, a::larger, mwu_method::exact, true, 203.0,
     0.8595066286977702},  // stats.mannwhitneyu(s4x, s4y, use_continuity=True, alternative='greater',
                           // method='exact')
    {&s4x, &s4y, a::smaller, mwu_method::exact, true, 203.0,
     0.1456596860767499},  // stats.mannwhitneyu(s4x, s4y, use_continuity=True, alternative='less',
                           // method='exact')
    {&s4x, &s4y, a::two_sided, mwu_method::automatic, true, 203.0,
     0.28817447208701286},  // stats.mannwhitneyu(s4x, s4y, use_continuity=True, alternative='two-sided',
                            // method='auto')
    {&s4x, &s4y, a::larger, mwu_method::automatic, true, 203.0,
     0.8610339587450528},  // stats.mannwhitneyu(s4x, s4y, use_continuity=True, alternative='greater',
                           // method='auto')
    {&s4x, &s4y, a::smaller, mwu_method::automatic, true, 203.0,
     0.14408723604350643},  // stats.mannwhitneyu(s4x, s4y, use_continuity=True, alternative='less',
                            // method='auto')
};

const std::vector<double> q1 = {8.125,  10.912, 7.114, 5.847,  8.256,  8.749, 4.74,   2.754, 14.125, 11.371,
                                6.964,  11.466, 9.851, 10.417, 11.712, 9.505, 10.438, 8.564, 8.137,  15.03,
                                12.723, 11.747, 8.247, 12.25,  6.13,   8.084, 11.512, 5.341, 14.187, 11.173};
const std::vector<double> q3 = {
    3.261, 4.932, 0.489, 0.971, 1.966, 0.515, 0.145, 0.022, 2.468, 0.885, 3.929, 2.058, 4.947, 0.418, 2.982,
    1.817, 0.347, 0.546, 0.624, 1.739, 2.747, 0.681, 0.152, 4.941, 0.395, 2.236, 1.425, 5.979, 2.0,   1.622,
    0.542, 2.648, 2.822, 1.521, 4.407, 0.283, 0.443, 4.469, 0.787, 0.01,  1.158, 0.561, 2.284, 0.928, 1.604,
    0.089, 2.903, 0.011, 2.284, 0.17,  2.461, 1.823, 0.979, 1.723, 4.296, 3.699, 1.108, 0.313, 6.61,  0.475,
    0.775, 1.475, 2.217, 0.605, 1.178, 3.451, 2.235, 0.336, 2.022, 3.527, 0.299, 1.048, 1.415, 5.164, 2.68,
    3.446, 0.19,  2.15,  0.918, 0.924, 6.41,  0.788, 0.213, 0.146, 0.219, 3.25,  6.615, 4.962, 6.915, 5.108,
    1.092, 8.053, 0.729, 0.198, 2.363, 1.625, 0.274, 4.812, 0.753, 0.656, 0.762};
const std::vector<double> q2 = {4.0, 1.0, 3.0, 5.0, 2.0};

struct quantile_row {
  const std::vector<double>* data;
  double q, alpha;
  alternative alt;
  double low, high;
};

const std::vector<quantile_row> quantile_rows = {
    {&q1, 0.5, 0.050000000000000044, a::two_sided, 8.137,
     11.371},  // stats.quantile_test(q1, q=0, p=0.5, alternative='two-sided').confidence_interval(0.95)
    {&q1, 0.5, 0.050000000000000044, a::larger, 8.247,
     inf},  // stats.quantile_test(q1, q=0, p=0.5, alternative='greater').confidence_interval(0.95)
    {&q1, 0.5, 0.050000000000000044, a::smaller, -inf,
     11.173},  // stats.quantile_test(q1, q=0, p=0.5, alternative='less').confidence_interval(0.95)
    {&q1, 0.5, 0.09999999999999998, a::two_sided, 8.247,
     11.173},  // stats.quantile_test(q1, q=0, p=0.5, alternative='two-sided').confidence_interval(0.9)
    {&q1, 0.5, 0.09999999999999998, a::larger, 8.247,
     inf},  // stats.quantile_test(q1, q=0, p=0.5, alternative='greater').confidence_interval(0.9)
    {&q1, 0.5, 0.09999999999999998, a::smaller, -inf,
     11.173},  // stats.quantile_test(q1, q=0, p=0.5, alternative='less').confidence_interval(0.9)
    {&q1, 0.25, 0.050000000000000044, a::two_sided, 5.341,
     8.564},  // stats.quantile_test(q1, q=0, p=0.25, alternative='two-sided').confidence_interval(0.95)
    {&q1, 0.25, 0.050000000000000044, a::larger, 5.847,
     inf},  // stats.quantile_test(q1, q=0, p=0.25, alternative='greater').confidence_interval(0.95)
    {&q1, 0.25, 0.050000000000000044, a::smaller, -inf,
     8.564},  // stats.quantile_test(q1, q=0, p=0.25, alternative='less').confidence_interval(0.95)
    {&q1, 0.25, 0.09999999999999998, a::two_sided, 5.847,
     8.564},  // stats.quantile_test(q1, q=0, p=0.25, alternative='two-sided').confidence_interval(0.9)
    {&q1, 0.25, 0.09999999999999998, a::larger, 6.13,
     inf},  // stats.quantile_test(q1, q=0, p=0.25, alternative='greater').confidence_interval(0.9)
    {&q1, 0.25, 0.09999999999999998, a::smaller, -inf,
     8.256},  // stats.quantile_test(q1, q=0, p=0.25, alternative='less').confidence_interval(0.9)
    {&q1, 0.9, 0.050000000000000044, a::two_sided, 11.512,
     NAN},  // stats.quantile_test(q1, q=0, p=0.9, alternative='two-sided').confidence_interval(0.95)
    {&q1, 0.9, 0.050000000000000044, a::larger, 11.712,
     inf},  // stats.quantile_test(q1, q=0, p=0.9, alternative='greater').confidence_interval(0.95)
    {&q1, 0.9, 0.050000000000000044, a::smaller, -inf,
     15.03},  // stats.quantile_test(q1, q=0, p=0.9, alternative='less').confidence_interval(0.95)
    {&q1, 0.9, 0.09999999999999998, a::two_sided, 11.712,
     15.03},  // stats.quantile_test(q1, q=0, p=0.9, alternative='two-sided').confidence_interval(0.9)
    {&q1, 0.9, 0.09999999999999998, a::larger, 11.747,
     inf},  // stats.quantile_test(q1, q=0, p=0.9, alternative='greater').confidence_interval(0.9)
    {&q1, 0.9, 0.09999999999999998, a::smaller, -inf,
     15.03},  // stats.quantile_test(q1, q=0, p=0.9, alternative='less').confidence_interval(0.9)
    {&q2, 0.5, 0.050000000000000044, a::two_sided, NAN,
     NAN},  // stats.quantile_test(q2, q=0, p=0.5, alternative='two-sided').confidence_interval(0.95)
    {&q2, 0.5, 0.050000000000000044, a::larger, 1.0,
     inf},  // stats.quantile_test(q2, q=0, p=0.5, alternative='greater').confidence_interval(0.95)
    {&q2, 0.5, 0.050000000000000044, a::smaller, -inf,
     5.0},  // stats.quantile_test(q2, q=0, p=0.5, alternative='less').confidence_interval(0.95)
    {&q2, 0.5, 0.09999999999999998, a::two_sided, 1.0,
     5.0},  // stats.quantile_test(q2, q=0, p=0.5, alternative='two-sided').confidence_interval(0.9)
    {&q2, 0.5, 0.09999999999999998, a::larger, 1.0,
     inf},  // stats.quantile_test(q2, q=0, p=0.5, alternative='greater').confidence_interval(0.9)
    {&q2, 0.5, 0.09999999999999998, a::smaller, -inf,
     5.0},  // stats.quantile_test(q2, q=0, p=0.5, alternative='less').confidence_interval(0.9)
    {&q2, 0.25, 0.050000000000000044, a::two_sided, NAN,
     4.0},  // stats.quantile_test(q2, q=0, p=0.25, alternative='two-sided').confidence_interval(0.95)
    {&q2, 0.25, 0.050000000000000044, a::larger, NAN,
     inf},  // stats.quantile_test(q2, q=0, p=0.25, alternative='greater').confidence_interval(0.95)
    {&q2, 0.25, 0.050000000000000044, a::smaller, -inf,
     4.0},  // stats.quantile_test(q2, q=0, p=0.25, alternative='less').confidence_interval(0.95)
    {&q2, 0.25, 0.09999999999999998, a::two_sided, NAN,
     4.0},  // stats.quantile_test(q2, q=0, p=0.25, alternative='two-sided').confidence_interval(0.9)
    {&q2, 0.25, 0.09999999999999998, a::larger, NAN,
     inf},  // stats.quantile_test(q2, q=0, p=0.25, alternative='greater').confidence_interval(0.9)
    {&q2, 0.25, 0.09999999999999998, a::smaller, -inf,
     4.0},  // stats.quantile_test(q2, q=0, p=0.25, alternative='less').confidence_interval(0.9)
    {&q2, 0.9, 0.050000000000000044, a::two_sided, 3.0,
     NAN},  // stats.quantile_test(q2, q=0, p=0.9, alternative='two-sided').confidence_interval(0.95)
    {&q2, 0.9, 0.050000000000000044, a::larger, 3.0,
     inf},  // stats.quantile_test(q2, q=0, p=0.9, alternative='greater').confidence_interval(0.95)
    {&q2, 0.9, 0.050000000000000044, a::smaller, -inf,
     NAN},  // stats.quantile_test(q2, q=0, p=0.9, alternative='less').confidence_interval(0.95)
    {&q2, 0.9, 0.09999999999999998, a::two_sided, 3.0,
     NAN},  // stats.quantile_test(q2, q=0, p=0.9, alternative='two-sided').confidence_interval(0.9)
    {&q2, 0.9, 0.09999999999999998, a::larger, 4.0,
     inf},  // stats.quantile_test(q2, q=0, p=0.9, alternative='greater').confidence_interval(0.9)
    {&q2, 0.9, 0.09999999999999998, a::smaller, -inf,
     NAN},  // stats.quantile_test(q2, q=0, p=0.9, alternative='less').confidence_interval(0.9)
    {&q3, 0.5, 0.050000000000000044, a::two_sided, 0.928,
     2.0},  // stats.quantile_test(q3, q=0, p=0.5, alternative='two-sided').confidence_interval(0.95)
    {&q3, 0.5, 0.050000000000000044, a::larger, 0.971,
     inf},  // stats.quantile_test(q3, q=0, p=0.5, alternative='greater').confidence_interval(0.95)
    {&q3, 0.5, 0.050000000000000044, a::smaller, -inf,
     1.966},  // stats.quantile_test(q3, q=0, p=0.5, alternative='less').confidence_interval(0.95)
    {&q3, 0.5, 0.09999999999999998, a::two_sided, 0.971,
     1.966},  // stats.quantile_test(q3, q=0, p=0.5, alternative='two-sided').confidence_interval(0.9)
    {&q3, 0.5, 0.09999999999999998, a::larger, 1.048,
     inf},  // stats.quantile_test(q3, q=0, p=0.5, alternative='greater').confidence_interval(0.9)
    {&q3, 0.5, 0.09999999999999998, a::smaller, -inf,
     1.817},  // stats.quantile_test(q3, q=0, p=0.5, alternative='less').confidence_interval(0.9)
    {&q3, 0.25, 0.050000000000000044, a::two_sided, 0.336,
     0.775},  // stats.quantile_test(q3, q=0, p=0.25, alternative='two-sided').confidence_interval(0.95)
    {&q3, 0.25, 0.050000000000000044, a::larger, 0.347,
     inf},  // stats.quantile_test(q3, q=0, p=0.25, alternative='greater').confidence_interval(0.95)
    {&q3, 0.25, 0.050000000000000044, a::smaller, -inf,
     0.762},  // stats.quantile_test(q3, q=0, p=0.25, alternative='less').confidence_interval(0.95)
    {&q3, 0.25, 0.09999999999999998, a::two_sided, 0.347,
     0.762},  // stats.quantile_test(q3, q=0, p=0.25, alternative='two-sided').confidence_interval(0.9)
    {&q3, 0.25, 0.09999999999999998, a::larger, 0.418,
     inf},  // stats.quantile_test(q3, q=0, p=0.25, alternative='greater').confidence_interval(0.9)
    {&q3, 0.25, 0.09999999999999998, a::smaller, -inf,
     0.729},  // stats.quantile_test(q3, q=0, p=0.25, alternative='less').confidence_interval(0.9)
    {&q3, 0.9, 0.050000000000000044, a::two_sided, 3.929,
     6.41},  // stats.quantile_test(q3, q=0, p=0.9, alternative='two-sided').confidence_interval(0.95)
    {&q3, 0.9, 0.050000000000000044, a::larger, 4.296,
     inf},  // stats.quantile_test(q3, q=0, p=0.9, alternative='greater').confidence_interval(0.95)
    {&q3, 0.9, 0.050000000000000044, a::smaller, -inf,
     6.41},  // stats.quantile_test(q3, q=0, p=0.9, alternative='less').confidence_interval(0.95)
    {&q3, 0.9, 0.09999999999999998, a::two_sided, 4.296,
     6.41},  // stats.quantile_test(q3, q=0, p=0.9, alternative='two-sided').confidence_interval(0.9)
    {&q3, 0.9, 0.09999999999999998, a::larger, 4.407,
     inf},  // stats.quantile_test(q3, q=0, p=0.9, alternative='greater').confidence_interval(0.9)
    {&q3, 0.9, 0.09999999999999998, a::smaller, -inf,
     5.979},  // stats.quantile_test(q3, q=0, p=0.9, alternative='less').confidence_interval(0.9)
};

using missionkit::testing::expect_same;

}  // namespace

TEST(Nonparametric, MannWhitneyMatchesScipy) {
  for (std::size_t i = 0; i < mwu_rows.size(); ++i) {
    const auto& r = mwu_rows[i];
    const auto got = mann_whitney_u(*r.x, *r.y, r.alt, r.method, r.use_continuity);
    const std::string where = "row " + std::to_string(i);
    EXPECT_EQ(got.statistic, r.statistic) << where;
    expect_same(got.pvalue, r.pvalue, 1e-10, where);
    EXPECT_NE(got.method, mwu_method::automatic) << where;
  }
}

TEST(Nonparametric, MannWhitneyAutomaticFollowsScipysRule) {
  const std::vector<double> small = {1, 2, 3};
  const std::vector<double> small2 = {4, 5, 6, 7};
  EXPECT_EQ(mann_whitney_u(small, small2).method, mwu_method::exact);  // n <= 8, no ties
  const std::vector<double> tied = {1, 2, 2};
  EXPECT_EQ(mann_whitney_u(tied, small2).method, mwu_method::asymptotic);  // ties
  std::vector<double> big1(9), big2(9);
  for (int i = 0; i < 9; ++i) big1[i] = i, big2[i] = i + 0.5;
  EXPECT_EQ(mann_whitney_u(big1, big2).method, mwu_method::asymptotic);  // both > 8
  const std::vector<double> shifted = {4.25, 5.25, 6.25, 7.25};
  EXPECT_EQ(mann_whitney_u(big1, shifted).method, mwu_method::exact);  // one sample <= 8, no ties
}

TEST(Nonparametric, MannWhitneyExactSumsToOne) {
  // P(U >= 0) = 1 and the two one-sided p-values at the same data add to 1 + P(U = u).
  const std::vector<double> x = {0.1, 0.5, 0.9, 1.3, 2.2, 3.1, 4.0};
  const std::vector<double> y = {0.2, 0.3, 1.0, 1.1, 2.5, 2.6, 5.0, 6.0, 7.0};
  const auto g = mann_whitney_u(x, y, a::larger, mwu_method::exact);
  const auto l = mann_whitney_u(x, y, a::smaller, mwu_method::exact);
  EXPECT_GT(g.pvalue + l.pvalue, 1.0);
  EXPECT_LT(g.pvalue + l.pvalue, 1.2);
}

TEST(Nonparametric, MannWhitneyErrors) {
  const std::vector<double> ok = {1, 2, 3};
  const std::vector<double> empty;
  const std::vector<double> with_nan = {1, NAN};
  const std::vector<double> same = {2, 2};
  EXPECT_EQ(error_of([&] { (void)mann_whitney_u(empty, ok); }), "mann_whitney_u: x is empty");
  EXPECT_EQ(error_of([&] { (void)mann_whitney_u(ok, with_nan); }),
            "mann_whitney_u: y[1] is nan; drop or impute missing values first");
  EXPECT_EQ(error_of([&] { (void)mann_whitney_u(same, same); }),
            "mann_whitney_u: all values of x and y are equal, so the rank test is undefined");
  std::vector<double> big(2000);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<double>(i);
  EXPECT_EQ(error_of([&] { (void)mann_whitney_u(big, big, a::two_sided, mwu_method::exact); }).substr(0, 60),
            "mann_whitney_u: the exact distribution for samples of 2000 a");
}

TEST(Nonparametric, QuantileCiMatchesScipy) {
  for (std::size_t i = 0; i < quantile_rows.size(); ++i) {
    const auto& r = quantile_rows[i];
    const auto got = quantile_ci(*r.data, r.q, r.alpha, r.alt);
    const std::string where = "row " + std::to_string(i);
    expect_same(got.low, r.low, 0.0, where);
    expect_same(got.high, r.high, 0.0, where);
  }
}

TEST(Nonparametric, QuantileCiRanks) {
  // n = 5, median, 95%: P(B <= 0) = 1/32 >= 0.025, so binom_ppf = 0 and no lower order statistic
  // qualifies; P(B > 4) = 1/32 > 0.025, so binom_isf = 5 and none above either: both NaN, as scipy.
  const std::vector<double> x = {4.0, 1.0, 3.0, 5.0, 2.0};
  const auto r = quantile_ci(x, 0.5, 0.05);
  EXPECT_TRUE(std::isnan(r.low));
  EXPECT_TRUE(std::isnan(r.high));
  EXPECT_EQ(r.low_rank, 0U);
  EXPECT_EQ(r.high_rank, 0U);
  // 90% one-sided: binom.ppf(0.1, 5, 0.5) = 1 (cdf(0) = 1/32 < 0.1 <= cdf(1) = 6/32), so x_(1).
  const auto one = quantile_ci(x, 0.5, 0.1, a::larger);
  EXPECT_EQ(one.low_rank, 1U);
  EXPECT_EQ(one.low, 1.0);
  EXPECT_EQ(one.high, inf);
  // 80% two-sided, 0.1 per tail: ranks 1 and 5 (binom.isf(0.1, 5, 0.5) = 4, sf(4) = 1/32 <= 0.1 < sf(3)).
  const auto two = quantile_ci(x, 0.5, 0.2);
  EXPECT_EQ(two.low_rank, 1U);
  EXPECT_EQ(two.high_rank, 5U);
  EXPECT_EQ(two.high, 5.0);
}

TEST(Nonparametric, QuantileCiErrors) {
  const std::vector<double> x = {1, 2, 3};
  const std::vector<double> empty;
  const std::vector<double> with_nan = {1, NAN};
  EXPECT_EQ(error_of([&] { (void)quantile_ci(empty, 0.5); }), "quantile_ci: data is empty");
  EXPECT_EQ(error_of([&] { (void)quantile_ci(with_nan, 0.5); }),
            "quantile_ci: data[1] is nan; drop or impute missing values first");
  EXPECT_EQ(error_of([&] { (void)quantile_ci(x, 1.0); }), "quantile_ci: q must be in (0, 1), got q=1");
  EXPECT_EQ(error_of([&] { (void)quantile_ci(x, 0.5, 0.0); }),
            "quantile_ci: alpha must be in (0, 1), got alpha=0");
}
