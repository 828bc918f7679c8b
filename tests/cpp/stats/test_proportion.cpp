// proportion_ci against statsmodels 0.15.0 (statsmodels.stats.proportion.proportion_confint, imported
// as pc); every row names the exact call that produced its oracle, printed with repr().
#include <gtest/gtest.h>

#include "../support.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "missionkit/core/error.hpp"
#include "missionkit/stats/proportion.hpp"

using missionkit::stats::alternative;
using missionkit::stats::proportion_ci;
using missionkit::stats::proportion_ci_method;

namespace {

// |got - want| <= rtol |want|; exact when want is 0 or 1 (the bounds that are set, not computed).

struct prop_case {
  double count, nobs, alpha;
  proportion_ci_method method;
  alternative alt;
  double low, high;
};

std::string error_of(double count, double nobs, double alpha) {
  try {
    (void)proportion_ci(count, nobs, alpha);
  } catch (const missionkit::domain_error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(PropCi, MatchesStatsmodels) {
  using m = proportion_ci_method;
  using a = alternative;
  const std::vector<prop_case> cases = {
      // Two-sided. Each row: proportion_confint(count, nobs, alpha=alpha, method=<statsmodels name>).
      {7.0, 20.0, 0.05, m::wald, a::two_sided, 0.1409626969046058,
       0.5590373030953941},  // proportion_confint(7, 20, alpha=0.05, method="normal")
      {7.0, 20.0, 1e-10, m::wald, a::two_sided, 0.0,
       1.0},  // proportion_confint(7, 20, alpha=1e-10, method="normal")
      {7.0, 20.0, 0.2, m::wald, a::two_sided, 0.21331785422986232,
       0.48668214577013763},  // proportion_confint(7, 20, alpha=0.2, method="normal")
      {0.0, 10.0, 0.05, m::wald, a::two_sided, 0.0,
       0.0},  // proportion_confint(0, 10, alpha=0.05, method="normal")
      {0.0, 10.0, 1e-10, m::wald, a::two_sided, 0.0,
       0.0},  // proportion_confint(0, 10, alpha=1e-10, method="normal")
      {0.0, 10.0, 0.2, m::wald, a::two_sided, 0.0,
       0.0},  // proportion_confint(0, 10, alpha=0.2, method="normal")
      {10.0, 10.0, 0.05, m::wald, a::two_sided, 1.0,
       1.0},  // proportion_confint(10, 10, alpha=0.05, method="normal")
      {10.0, 10.0, 1e-10, m::wald, a::two_sided, 1.0,
       1.0},  // proportion_confint(10, 10, alpha=1e-10, method="normal")
      {10.0, 10.0, 0.2, m::wald, a::two_sided, 1.0,
       1.0},  // proportion_confint(10, 10, alpha=0.2, method="normal")
      {1.0, 1.0, 0.05, m::wald, a::two_sided, 1.0,
       1.0},  // proportion_confint(1, 1, alpha=0.05, method="normal")
      {1.0, 1.0, 1e-10, m::wald, a::two_sided, 1.0,
       1.0},  // proportion_confint(1, 1, alpha=1e-10, method="normal")
      {1.0, 1.0, 0.2, m::wald, a::two_sided, 1.0,
       1.0},  // proportion_confint(1, 1, alpha=0.2, method="normal")
      {0.0, 1.0, 0.05, m::wald, a::two_sided, 0.0,
       0.0},  // proportion_confint(0, 1, alpha=0.05, method="normal")
      {0.0, 1.0, 1e-10, m::wald, a::two_sided, 0.0,
       0.0},  // proportion_confint(0, 1, alpha=1e-10, method="normal")
      {0.0, 1.0, 0.2, m::wald, a::two_sided, 0.0,
       0.0},  // proportion_confint(0, 1, alpha=0.2, method="normal")
      {3.0, 1000.0, 0.05, m::wald, a::two_sided, 0.0,
       0.006389661241583904},  // proportion_confint(3, 1000, alpha=0.05, method="normal")
      {3.0, 1000.0, 1e-10, m::wald, a::two_sided, 0.0,
       0.014184273601222434},  // proportion_confint(3, 1000, alpha=1e-10, method="normal")
      {3.0, 1000.0, 0.2, m::wald, a::two_sided, 0.0007836196455226598,
       0.00521638035447734},  // proportion_confint(3, 1000, alpha=0.2, method="normal")
      {997.0, 1000.0, 0.05, m::wald, a::two_sided, 0.9936103387584161,
       1.0},  // proportion_confint(997, 1000, alpha=0.05, method="normal")
      {997.0, 1000.0, 1e-10, m::wald, a::two_sided, 0.9858157263987776,
       1.0},  // proportion_confint(997, 1000, alpha=1e-10, method="normal")
      {997.0, 1000.0, 0.2, m::wald, a::two_sided, 0.9947836196455226,
       0.9992163803544774},  // proportion_confint(997, 1000, alpha=0.2, method="normal")
      {12.5, 50.0, 0.05, m::wald, a::two_sided, 0.12997720809111724,
       0.37002279190888276},  // proportion_confint(12.5, 50, alpha=0.05, method="normal")
      {12.5, 50.0, 1e-10, m::wald, a::two_sided, 0.0,
       0.6460182588819041},  // proportion_confint(12.5, 50, alpha=1e-10, method="normal")
      {12.5, 50.0, 0.2, m::wald, a::two_sided, 0.17152131463376946,
       0.32847868536623054},  // proportion_confint(12.5, 50, alpha=0.2, method="normal")
      {1.0, 3.0, 0.05, m::wald, a::two_sided, 0.0,
       0.866767964039479},  // proportion_confint(1, 3, alpha=0.05, method="normal")
      {1.0, 3.0, 1e-10, m::wald, a::two_sided, 0.0,
       1.0},  // proportion_confint(1, 3, alpha=1e-10, method="normal")
      {1.0, 3.0, 0.2, m::wald, a::two_sided, 0.0,
       0.6821274905165802},  // proportion_confint(1, 3, alpha=0.2, method="normal")
      {7.0, 20.0, 0.05, m::wilson, a::two_sided, 0.18119182410108203,
       0.5671457233147638},  // proportion_confint(7, 20, alpha=0.05, method="wilson")
      {7.0, 20.0, 1e-10, m::wilson, a::two_sided, 0.046259931710967206,
       0.8566863857520416},  // proportion_confint(7, 20, alpha=1e-10, method="wilson")
      {7.0, 20.0, 0.2, m::wilson, a::two_sided, 0.22949725724670733,
       0.493268836486522},  // proportion_confint(7, 20, alpha=0.2, method="wilson")
      {0.0, 10.0, 0.05, m::wilson, a::two_sided, 0.0,
       0.27753279986288926},  // proportion_confint(0, 10, alpha=0.05, method="wilson")
      {0.0, 10.0, 1e-10, m::wilson, a::two_sided, 0.0,
       0.8070297382302049},  // proportion_confint(0, 10, alpha=1e-10, method="wilson")
      {0.0, 10.0, 0.2, m::wilson, a::two_sided, 0.0,
       0.14106868209054085},  // proportion_confint(0, 10, alpha=0.2, method="wilson")
      {10.0, 10.0, 0.05, m::wilson, a::two_sided, 0.7224672001371106,
       1.0},  // proportion_confint(10, 10, alpha=0.05, method="wilson")
      {10.0, 10.0, 1e-10, m::wilson, a::two_sided, 0.1929702617697951,
       1.0},  // proportion_confint(10, 10, alpha=1e-10, method="wilson")
      {10.0, 10.0, 0.2, m::wilson, a::two_sided, 0.858931317909459,
       0.9999999999999999},  // proportion_confint(10, 10, alpha=0.2, method="wilson")
      {1.0, 1.0, 0.05, m::wilson, a::two_sided, 0.2065493143772374,
       1.0},  // proportion_confint(1, 1, alpha=0.05, method="wilson")
      {1.0, 1.0, 1e-10, m::wilson, a::two_sided, 0.023352778837828658,
       1.0},  // proportion_confint(1, 1, alpha=1e-10, method="wilson")
      {1.0, 1.0, 0.2, m::wilson, a::two_sided, 0.3784475032253529,
       1.0},  // proportion_confint(1, 1, alpha=0.2, method="wilson")
      {0.0, 1.0, 0.05, m::wilson, a::two_sided, 0.0,
       0.7934506856227627},  // proportion_confint(0, 1, alpha=0.05, method="wilson")
      {0.0, 1.0, 1e-10, m::wilson, a::two_sided, 0.0,
       0.9766472211621714},  // proportion_confint(0, 1, alpha=1e-10, method="wilson")
      {0.0, 1.0, 0.2, m::wilson, a::two_sided, 0.0,
       0.6215524967746471},  // proportion_confint(0, 1, alpha=0.2, method="wilson")
      {3.0, 1000.0, 0.05, m::wilson, a::two_sided, 0.0010207838811386195,
       0.008783014053503176},  // proportion_confint(3, 1000, alpha=0.05, method="wilson")
      {3.0, 1000.0, 1e-10, m::wilson, a::two_sided, 0.00018897806452052718,
       0.045712799128305975},  // proportion_confint(3, 1000, alpha=1e-10, method="wilson")
      {3.0, 1000.0, 0.2, m::wilson, a::two_sided, 0.0014551792043948951,
       0.006174664151236031},  // proportion_confint(3, 1000, alpha=0.2, method="wilson")
      {997.0, 1000.0, 0.05, m::wilson, a::two_sided, 0.9912169859464969,
       0.9989792161188614},  // proportion_confint(997, 1000, alpha=0.05, method="wilson")
      {997.0, 1000.0, 1e-10, m::wilson, a::two_sided, 0.9542872008716942,
       0.9998110219354795},  // proportion_confint(997, 1000, alpha=1e-10, method="wilson")
      {997.0, 1000.0, 0.2, m::wilson, a::two_sided, 0.993825335848764,
       0.998544820795605},  // proportion_confint(997, 1000, alpha=0.2, method="wilson")
      {12.5, 50.0, 0.05, m::wilson, a::two_sided, 0.15080771610941296,
       0.3848660834572663},  // proportion_confint(12.5, 50, alpha=0.05, method="wilson")
      {12.5, 50.0, 1e-10, m::wilson, a::two_sided, 0.050233969646319876,
       0.6774985126104704},  // proportion_confint(12.5, 50, alpha=1e-10, method="wilson")
      {12.5, 50.0, 0.2, m::wilson, a::two_sided, 0.1803218042239102,
       0.33557961814240933},  // proportion_confint(12.5, 50, alpha=0.2, method="wilson")
      {1.0, 3.0, 0.05, m::wilson, a::two_sided, 0.06149194472039626,
       0.7923403991979523},  // proportion_confint(1, 3, alpha=0.05, method="wilson")
      {1.0, 3.0, 1e-10, m::wilson, a::two_sided, 0.007666744102655776,
       0.9700225127599078},  // proportion_confint(1, 3, alpha=1e-10, method="wilson")
      {1.0, 3.0, 0.2, m::wilson, a::two_sided, 0.10577563612172286,
       0.6788173521696514},  // proportion_confint(1, 3, alpha=0.2, method="wilson")
      {7.0, 20.0, 0.05, m::agresti_coull, a::two_sided, 0.179926361438228,
       0.5684111859776177},  // proportion_confint(7, 20, alpha=0.05, method="agresti_coull")
      {7.0, 20.0, 1e-10, m::agresti_coull, a::two_sided, 0.042170213255351086,
       0.8607761042076576},  // proportion_confint(7, 20, alpha=1e-10, method="agresti_coull")
      {7.0, 20.0, 0.2, m::agresti_coull, a::two_sided, 0.22904407944310184,
       0.49372201429012746},  // proportion_confint(7, 20, alpha=0.2, method="agresti_coull")
      {0.0, 10.0, 0.05, m::agresti_coull, a::two_sided, 0.0,
       0.3208873057505458},  // proportion_confint(0, 10, alpha=0.05, method="agresti_coull")
      {0.0, 10.0, 1e-10, m::agresti_coull, a::two_sided, 0.0,
       0.8442466329626581},  // proportion_confint(0, 10, alpha=1e-10, method="agresti_coull")
      {0.0, 10.0, 0.2, m::agresti_coull, a::two_sided, 0.0,
       0.16670271777572943},  // proportion_confint(0, 10, alpha=0.2, method="agresti_coull")
      {10.0, 10.0, 0.05, m::agresti_coull, a::two_sided, 0.6791126942494543,
       1.0},  // proportion_confint(10, 10, alpha=0.05, method="agresti_coull")
      {10.0, 10.0, 1e-10, m::agresti_coull, a::two_sided, 0.15575336703734183,
       1.0},  // proportion_confint(10, 10, alpha=1e-10, method="agresti_coull")
      {10.0, 10.0, 0.2, m::agresti_coull, a::two_sided, 0.8332972822242706,
       1.0},  // proportion_confint(10, 10, alpha=0.2, method="agresti_coull")
      {1.0, 1.0, 0.05, m::agresti_coull, a::two_sided, 0.167499485479413,
       1.0},  // proportion_confint(1, 1, alpha=0.05, method="agresti_coull")
      {1.0, 1.0, 1e-10, m::agresti_coull, a::two_sided, 0.017683827639414063,
       1.0},  // proportion_confint(1, 1, alpha=1e-10, method="agresti_coull")
      {1.0, 1.0, 0.2, m::agresti_coull, a::two_sided, 0.3243497369126792,
       1.0},  // proportion_confint(1, 1, alpha=0.2, method="agresti_coull")
      {0.0, 1.0, 0.05, m::agresti_coull, a::two_sided, 0.0,
       0.832500514520587},  // proportion_confint(0, 1, alpha=0.05, method="agresti_coull")
      {0.0, 1.0, 1e-10, m::agresti_coull, a::two_sided, 0.0,
       0.982316172360586},  // proportion_confint(0, 1, alpha=1e-10, method="agresti_coull")
      {0.0, 1.0, 0.2, m::agresti_coull, a::two_sided, 0.0,
       0.6756502630873208},  // proportion_confint(0, 1, alpha=0.2, method="agresti_coull")
      {3.0, 1000.0, 0.05, m::agresti_coull, a::two_sided, 0.0005814323527089807,
       0.009222365581932814},  // proportion_confint(3, 1000, alpha=0.05, method="agresti_coull")
      {3.0, 1000.0, 1e-10, m::agresti_coull, a::two_sided, 0.0,
       0.05295362572609605},  // proportion_confint(3, 1000, alpha=1e-10, method="agresti_coull")
      {3.0, 1000.0, 0.2, m::agresti_coull, a::two_sided, 0.0013186458569672565,
       0.00631119749866367},  // proportion_confint(3, 1000, alpha=0.2, method="agresti_coull")
      {997.0, 1000.0, 0.05, m::agresti_coull, a::two_sided, 0.9907776344180671,
       0.999418567647291},  // proportion_confint(997, 1000, alpha=0.05, method="agresti_coull")
      {997.0, 1000.0, 1e-10, m::agresti_coull, a::two_sided, 0.9470463742739039,
       1.0},  // proportion_confint(997, 1000, alpha=1e-10, method="agresti_coull")
      {997.0, 1000.0, 0.2, m::agresti_coull, a::two_sided, 0.9936888025013363,
       0.9986813541430327},  // proportion_confint(997, 1000, alpha=0.2, method="agresti_coull")
      {12.5, 50.0, 0.05, m::agresti_coull, a::two_sided, 0.14955213647757457,
       0.3861216630891048},  // proportion_confint(12.5, 50, alpha=0.05, method="agresti_coull")
      {12.5, 50.0, 1e-10, m::agresti_coull, a::two_sided, 0.039173490853078696,
       0.6885589914037116},  // proportion_confint(12.5, 50, alpha=1e-10, method="agresti_coull")
      {12.5, 50.0, 0.2, m::agresti_coull, a::two_sided, 0.17992859492709457,
       0.33597282743922496},  // proportion_confint(12.5, 50, alpha=0.2, method="agresti_coull")
      {1.0, 3.0, 0.05, m::agresti_coull, a::two_sided, 0.056274614375314724,
       0.7975577295430338},  // proportion_confint(1, 3, alpha=0.05, method="agresti_coull")
      {1.0, 3.0, 1e-10, m::agresti_coull, a::two_sided, 0.0059876832253007994,
       0.971701573637263},  // proportion_confint(1, 3, alpha=1e-10, method="agresti_coull")
      {1.0, 3.0, 0.2, m::agresti_coull, a::two_sided, 0.10188146484344157,
       0.6827115234479328},  // proportion_confint(1, 3, alpha=0.2, method="agresti_coull")
      {7.0, 20.0, 0.05, m::clopper_pearson, a::two_sided, 0.15390920478454118,
       0.5921885345328282},  // proportion_confint(7, 20, alpha=0.05, method="beta")
      {7.0, 20.0, 1e-10, m::clopper_pearson, a::two_sided, 0.006835532121521875,
       0.929646543130277},  // proportion_confint(7, 20, alpha=1e-10, method="beta")
      {7.0, 20.0, 0.2, m::clopper_pearson, a::two_sided, 0.20666403328284663,
       0.5180307573182055},  // proportion_confint(7, 20, alpha=0.2, method="beta")
      {0.0, 10.0, 0.05, m::clopper_pearson, a::two_sided, 0.0,
       0.30849710781876083},  // proportion_confint(0, 10, alpha=0.05, method="beta")
      {0.0, 10.0, 1e-10, m::clopper_pearson, a::two_sided, 0.0,
       0.9066967008463193},  // proportion_confint(0, 10, alpha=1e-10, method="beta")
      {0.0, 10.0, 0.2, m::clopper_pearson, a::two_sided, 0.0,
       0.20567176527571848},  // proportion_confint(0, 10, alpha=0.2, method="beta")
      {10.0, 10.0, 0.05, m::clopper_pearson, a::two_sided, 0.6915028921812392,
       1.0},  // proportion_confint(10, 10, alpha=0.05, method="beta")
      {10.0, 10.0, 1e-10, m::clopper_pearson, a::two_sided, 0.09330329915368073,
       1.0},  // proportion_confint(10, 10, alpha=1e-10, method="beta")
      {10.0, 10.0, 0.2, m::clopper_pearson, a::two_sided, 0.7943282347242815,
       1.0},  // proportion_confint(10, 10, alpha=0.2, method="beta")
      {1.0, 1.0, 0.05, m::clopper_pearson, a::two_sided, 0.025,
       1.0},  // proportion_confint(1, 1, alpha=0.05, method="beta")
      {1.0, 1.0, 1e-10, m::clopper_pearson, a::two_sided, 5e-11,
       1.0},  // proportion_confint(1, 1, alpha=1e-10, method="beta")
      {1.0, 1.0, 0.2, m::clopper_pearson, a::two_sided, 0.1,
       1.0},  // proportion_confint(1, 1, alpha=0.2, method="beta")
      {0.0, 1.0, 0.05, m::clopper_pearson, a::two_sided, 0.0,
       0.975},  // proportion_confint(0, 1, alpha=0.05, method="beta")
      {0.0, 1.0, 1e-10, m::clopper_pearson, a::two_sided, 0.0,
       0.99999999995},  // proportion_confint(0, 1, alpha=1e-10, method="beta")
      {0.0, 1.0, 0.2, m::clopper_pearson, a::two_sided, 0.0,
       0.9},  // proportion_confint(0, 1, alpha=0.2, method="beta")
      {3.0, 1000.0, 0.05, m::clopper_pearson, a::two_sided, 0.0006190999316495713,
       0.008742023238478305},  // proportion_confint(3, 1000, alpha=0.05, method="beta")
      {3.0, 1000.0, 1e-10, m::clopper_pearson, a::two_sided, 6.702152259804156e-07,
       0.03198726689390062},  // proportion_confint(3, 1000, alpha=1e-10, method="beta")
      {3.0, 1000.0, 0.2, m::clopper_pearson, a::two_sided, 0.0011025606995322085,
       0.006668495337068159},  // proportion_confint(3, 1000, alpha=0.2, method="beta")
      {997.0, 1000.0, 0.05, m::clopper_pearson, a::two_sided, 0.9912579767615217,
       0.9993809000683505},  // proportion_confint(997, 1000, alpha=0.05, method="beta")
      {997.0, 1000.0, 1e-10, m::clopper_pearson, a::two_sided, 0.9680127331060994,
       0.999999329784774},  // proportion_confint(997, 1000, alpha=1e-10, method="beta")
      {997.0, 1000.0, 0.2, m::clopper_pearson, a::two_sided, 0.9933315046629319,
       0.9988974393004678},  // proportion_confint(997, 1000, alpha=0.2, method="beta")
      {1.0, 3.0, 0.05, m::clopper_pearson, a::two_sided, 0.008403758659612636,
       0.9057006759497539},  // proportion_confint(1, 3, alpha=0.05, method="beta")
      {1.0, 3.0, 1e-10, m::clopper_pearson, a::two_sided, 1.6666666666944445e-11,
       0.9999959175115398},  // proportion_confint(1, 3, alpha=1e-10, method="beta")
      {1.0, 3.0, 0.2, m::clopper_pearson, a::two_sided, 0.034510615394370246,
       0.8041998943409083},  // proportion_confint(1, 3, alpha=0.2, method="beta")
      {7.0, 20.0, 0.05, m::jeffreys, a::two_sided, 0.172276213631912,
       0.5677660938414961},  // proportion_confint(7, 20, alpha=0.05, method="jeffreys")
      {7.0, 20.0, 1e-10, m::jeffreys, a::two_sided, 0.009225759384165087,
       0.9203541903665441},  // proportion_confint(7, 20, alpha=1e-10, method="jeffreys")
      {7.0, 20.0, 0.2, m::jeffreys, a::two_sided, 0.22767407074661503,
       0.4928395650411987},  // proportion_confint(7, 20, alpha=0.2, method="jeffreys")
      {0.0, 10.0, 0.05, m::jeffreys, a::two_sided, 0.0,
       0.2171962675092106},  // proportion_confint(0, 10, alpha=0.05, method="jeffreys"); low 0 by design,
                             // statsmodels 4.7890433157581876e-05
      {0.0, 10.0, 1e-10, m::jeffreys, a::two_sided, 0.0,
       0.8771763841410627},  // proportion_confint(0, 10, alpha=1e-10, method="jeffreys"); low 0 by design,
                             // statsmodels 1.9150364229217325e-22
      {0.0, 10.0, 0.2, m::jeffreys, a::two_sided, 0.0,
       0.1235742063286801},  // proportion_confint(0, 10, alpha=0.2, method="jeffreys"); low 0 by design,
                             // statsmodels 0.0007697553046847683
      {10.0, 10.0, 0.05, m::jeffreys, a::two_sided, 0.7828037324907894,
       1.0},  // proportion_confint(10, 10, alpha=0.05, method="jeffreys"); high 1 by design, statsmodels
              // 0.9999521095668424
      {10.0, 10.0, 1e-10, m::jeffreys, a::two_sided, 0.12282361585893725,
       1.0},  // proportion_confint(10, 10, alpha=1e-10, method="jeffreys"); high 1 by design, statsmodels 1.0
      {10.0, 10.0, 0.2, m::jeffreys, a::two_sided, 0.8764257936713199,
       1.0},  // proportion_confint(10, 10, alpha=0.2, method="jeffreys"); high 1 by design, statsmodels
              // 0.9992302446953152
      {1.0, 1.0, 0.05, m::jeffreys, a::two_sided, 0.14674631630957513,
       1.0},  // proportion_confint(1, 1, alpha=0.05, method="jeffreys"); high 1 by design, statsmodels
              // 0.9996144190192441
      {1.0, 1.0, 1e-10, m::jeffreys, a::two_sided, 2.403186114923418e-07,
       1.0},  // proportion_confint(1, 1, alpha=1e-10, method="jeffreys"); high 1 by design, statsmodels 1.0
      {1.0, 1.0, 0.2, m::jeffreys, a::two_sided, 0.3513571980256276,
       1.0},  // proportion_confint(1, 1, alpha=0.2, method="jeffreys"); high 1 by design, statsmodels
              // 0.9938187560615703
      {0.0, 1.0, 0.05, m::jeffreys, a::two_sided, 0.0,
       0.8532536836904249},  // proportion_confint(0, 1, alpha=0.05, method="jeffreys"); low 0 by design,
                             // statsmodels 0.0003855809807559011
      {0.0, 1.0, 1e-10, m::jeffreys, a::two_sided, 0.0,
       0.9999997596813885},  // proportion_confint(0, 1, alpha=1e-10, method="jeffreys"); low 0 by design,
                             // statsmodels 1.542125687670213e-21
      {0.0, 1.0, 0.2, m::jeffreys, a::two_sided, 0.0,
       0.6486428019743724},  // proportion_confint(0, 1, alpha=0.2, method="jeffreys"); low 0 by design,
                             // statsmodels 0.0061812439384296685
      {3.0, 1000.0, 0.05, m::jeffreys, a::two_sided, 0.0008456348018298346,
       0.007984367358403443},  // proportion_confint(3, 1000, alpha=0.05, method="jeffreys")
      {3.0, 1000.0, 1e-10, m::jeffreys, a::two_sided, 2.301882428603047e-06,
       0.03075601766179612},  // proportion_confint(3, 1000, alpha=1e-10, method="jeffreys")
      {3.0, 1000.0, 0.2, m::jeffreys, a::two_sided, 0.0014173218924593027,
       0.00599798479830242},  // proportion_confint(3, 1000, alpha=0.2, method="jeffreys")
      {997.0, 1000.0, 0.05, m::jeffreys, a::two_sided, 0.9920156326415965,
       0.9991543651981701},  // proportion_confint(997, 1000, alpha=0.05, method="jeffreys")
      {997.0, 1000.0, 1e-10, m::jeffreys, a::two_sided, 0.9692439823382039,
       0.9999976981175714},  // proportion_confint(997, 1000, alpha=1e-10, method="jeffreys")
      {997.0, 1000.0, 0.2, m::jeffreys, a::two_sided, 0.9940020152016976,
       0.9985826781075406},  // proportion_confint(997, 1000, alpha=0.2, method="jeffreys")
      {12.5, 50.0, 0.05, m::jeffreys, a::two_sided, 0.1463005843965545,
       0.3816907481040382},  // proportion_confint(12.5, 50, alpha=0.05, method="jeffreys")
      {12.5, 50.0, 1e-10, m::jeffreys, a::two_sided, 0.022118027707566254,
       0.6940258331226956},  // proportion_confint(12.5, 50, alpha=1e-10, method="jeffreys")
      {12.5, 50.0, 0.2, m::jeffreys, a::two_sided, 0.17935179457549835,
       0.33468267735485435},  // proportion_confint(12.5, 50, alpha=0.2, method="jeffreys")
      {1.0, 3.0, 0.05, m::jeffreys, a::two_sided, 0.038747617785165174,
       0.8232639028687427},  // proportion_confint(1, 3, alpha=0.05, method="jeffreys")
      {1.0, 3.0, 1e-10, m::jeffreys, a::two_sided, 6.007965792647668e-08,
       0.9999429862642457},  // proportion_confint(1, 3, alpha=1e-10, method="jeffreys")
      {1.0, 3.0, 0.2, m::jeffreys, a::two_sided, 0.10153732554750933,
       0.6847103216080093},  // proportion_confint(1, 3, alpha=0.2, method="jeffreys")
      // One-sided: our larger ([low, 1]) is statsmodels' alternative="smaller" and vice versa (see header).
      {7.0, 20.0, 0.05, m::wald, a::larger, 0.1745703651308156,
       1.0},  // proportion_confint(7, 20, alpha=0.05, method="normal", alternative="smaller")
      {7.0, 20.0, 0.05, m::wald, a::smaller, 0.0,
       0.5254296348691844},  // proportion_confint(7, 20, alpha=0.05, method="normal", alternative="larger")
      {0.0, 10.0, 0.05, m::wald, a::larger, 0.0,
       1.0},  // proportion_confint(0, 10, alpha=0.05, method="normal", alternative="smaller")
      {0.0, 10.0, 0.05, m::wald, a::smaller, 0.0,
       0.0},  // proportion_confint(0, 10, alpha=0.05, method="normal", alternative="larger")
      {10.0, 10.0, 1e-10, m::wald, a::larger, 1.0,
       1.0},  // proportion_confint(10, 10, alpha=1e-10, method="normal", alternative="smaller")
      {10.0, 10.0, 1e-10, m::wald, a::smaller, 0.0,
       1.0},  // proportion_confint(10, 10, alpha=1e-10, method="normal", alternative="larger")
      {3.0, 1000.0, 0.01, m::wald, a::larger, 0.0,
       1.0},  // proportion_confint(3, 1000, alpha=0.01, method="normal", alternative="smaller")
      {3.0, 1000.0, 0.01, m::wald, a::smaller, 0.0,
       0.00702330414501359},  // proportion_confint(3, 1000, alpha=0.01, method="normal",
                              // alternative="larger")
      {7.0, 20.0, 0.05, m::wilson, a::larger, 0.202260040056761,
       1.0},  // proportion_confint(7, 20, alpha=0.05, method="wilson", alternative="smaller")
      {7.0, 20.0, 0.05, m::wilson, a::smaller, 0.0,
       0.5334873111515284},  // proportion_confint(7, 20, alpha=0.05, method="wilson", alternative="larger")
      {0.0, 10.0, 0.05, m::wilson, a::larger, 0.0,
       1.0},  // proportion_confint(0, 10, alpha=0.05, method="wilson", alternative="smaller")
      {0.0, 10.0, 0.05, m::wilson, a::smaller, 0.0,
       0.2129419700834071},  // proportion_confint(0, 10, alpha=0.05, method="wilson", alternative="larger")
      {10.0, 10.0, 1e-10, m::wilson, a::larger, 0.1981506281795377,
       1.0},  // proportion_confint(10, 10, alpha=1e-10, method="wilson", alternative="smaller")
      {10.0, 10.0, 1e-10, m::wilson, a::smaller, 0.0,
       1.0},  // proportion_confint(10, 10, alpha=1e-10, method="wilson", alternative="larger")
      {3.0, 1000.0, 0.01, m::wilson, a::larger, 0.0008527113312922566,
       1.0},  // proportion_confint(3, 1000, alpha=0.01, method="wilson", alternative="smaller")
      {3.0, 1000.0, 0.01, m::wilson, a::smaller, 0.0,
       0.010497755571142927},  // proportion_confint(3, 1000, alpha=0.01, method="wilson",
                               // alternative="larger")
      {7.0, 20.0, 0.05, m::agresti_coull, a::larger, 0.20141263689081393,
       1.0},  // proportion_confint(7, 20, alpha=0.05, method="agresti_coull", alternative="smaller")
      {7.0, 20.0, 0.05, m::agresti_coull, a::smaller, 0.0,
       0.5343347143174755},  // proportion_confint(7, 20, alpha=0.05, method="agresti_coull",
                             // alternative="larger")
      {0.0, 10.0, 0.05, m::agresti_coull, a::larger, 0.0,
       1.0},  // proportion_confint(0, 10, alpha=0.05, method="agresti_coull", alternative="smaller")
      {0.0, 10.0, 0.05, m::agresti_coull, a::smaller, 0.0,
       0.24880234523003686},  // proportion_confint(0, 10, alpha=0.05, method="agresti_coull",
                              // alternative="larger")
      {10.0, 10.0, 1e-10, m::agresti_coull, a::larger, 0.16022288401373458,
       1.0},  // proportion_confint(10, 10, alpha=1e-10, method="agresti_coull", alternative="smaller")
      {10.0, 10.0, 1e-10, m::agresti_coull, a::smaller, 0.0,
       1.0},  // proportion_confint(10, 10, alpha=1e-10, method="agresti_coull", alternative="larger")
      {3.0, 1000.0, 0.01, m::agresti_coull, a::larger, 0.00016387519253388896,
       1.0},  // proportion_confint(3, 1000, alpha=0.01, method="agresti_coull", alternative="smaller")
      {3.0, 1000.0, 0.01, m::agresti_coull, a::smaller, 0.0,
       0.011186591709901295},  // proportion_confint(3, 1000, alpha=0.01, method="agresti_coull",
                               // alternative="larger")
      {7.0, 20.0, 0.05, m::clopper_pearson, a::larger, 0.17731091757444914,
       1.0},  // proportion_confint(7, 20, alpha=0.05, method="beta", alternative="smaller")
      {7.0, 20.0, 0.05, m::clopper_pearson, a::smaller, 0.0,
       0.5580345113154888},  // proportion_confint(7, 20, alpha=0.05, method="beta", alternative="larger")
      {0.0, 10.0, 0.05, m::clopper_pearson, a::larger, 0.0,
       1.0},  // proportion_confint(0, 10, alpha=0.05, method="beta", alternative="smaller")
      {0.0, 10.0, 0.05, m::clopper_pearson, a::smaller, 0.0,
       0.2588655508930523},  // proportion_confint(0, 10, alpha=0.05, method="beta", alternative="larger")
      {10.0, 10.0, 1e-10, m::clopper_pearson, a::larger, 0.09999999999999999,
       1.0},  // proportion_confint(10, 10, alpha=1e-10, method="beta", alternative="smaller")
      {10.0, 10.0, 1e-10, m::clopper_pearson, a::smaller, 0.0,
       1.0},  // proportion_confint(10, 10, alpha=1e-10, method="beta", alternative="larger")
      {3.0, 1000.0, 0.01, m::clopper_pearson, a::larger, 0.0004363865640761268,
       1.0},  // proportion_confint(3, 1000, alpha=0.01, method="beta", alternative="smaller")
      {3.0, 1000.0, 0.01, m::clopper_pearson, a::smaller, 0.0,
       0.010009791991707748},  // proportion_confint(3, 1000, alpha=0.01, method="beta", alternative="larger")
      {7.0, 20.0, 0.05, m::jeffreys, a::larger, 0.19695270513240815,
       1.0},  // proportion_confint(7, 20, alpha=0.05, method="jeffreys", alternative="smaller")
      {7.0, 20.0, 0.05, m::jeffreys, a::smaller, 0.0,
       0.5331653212343397},  // proportion_confint(7, 20, alpha=0.05, method="jeffreys", alternative="larger")
      {0.0, 10.0, 0.05, m::jeffreys, a::larger, 0.0,
       1.0},  // proportion_confint(0, 10, alpha=0.05, method="jeffreys", alternative="smaller"); low 0 by
              // design, statsmodels 0.000191736288974476
      {0.0, 10.0, 0.05, m::jeffreys, a::smaller, 0.0,
       0.17077310824484795},  // proportion_confint(0, 10, alpha=0.05, method="jeffreys",
                              // alternative="larger")
      {10.0, 10.0, 1e-10, m::jeffreys, a::larger, 0.1311514909331665,
       1.0},  // proportion_confint(10, 10, alpha=1e-10, method="jeffreys", alternative="smaller")
      {10.0, 10.0, 1e-10, m::jeffreys, a::smaller, 0.0,
       1.0},  // proportion_confint(10, 10, alpha=1e-10, method="jeffreys", alternative="larger"); high 1 by
              // design, statsmodels 1.0
      {3.0, 1000.0, 0.01, m::jeffreys, a::larger, 0.0006201045107390696,
       1.0},  // proportion_confint(3, 1000, alpha=0.01, method="jeffreys", alternative="smaller")
      {3.0, 1000.0, 0.01, m::jeffreys, a::smaller, 0.0,
       0.009206585700799366},  // proportion_confint(3, 1000, alpha=0.01, method="jeffreys",
                               // alternative="larger")
  };
  for (const auto& c : cases) {
    const auto ci = proportion_ci(c.count, c.nobs, c.alpha, c.method, c.alt);
    const std::string where = "count=" + std::to_string(c.count) + " nobs=" + std::to_string(c.nobs) +
                              " alpha=" + std::to_string(c.alpha) +
                              " method=" + std::to_string(static_cast<int>(c.method)) +
                              " alt=" + std::to_string(static_cast<int>(c.alt));
    // Closed forms and Boost's incomplete-beta inverse against scipy's: agreement to a few ulps, so the
    // house tolerance of 1e-9 relative holds even at alpha = 1e-10.
    MK_EXPECT_REL(ci.low, c.low, 1e-9) << where;
    MK_EXPECT_REL(ci.high, c.high, 1e-9) << where;
  }
}

TEST(PropCi, ClopperPearsonTinyAlphaClosedForm) {
  // At count 0 the upper bound is 1 - (alpha/2)^(1/n); with alpha = 1e-300 a naive pow() keeps full
  // precision too, but 1 - pow() at alpha near 1 would not: check both ends against the closed form.
  const auto ci = proportion_ci(0, 50, 1e-300, proportion_ci_method::clopper_pearson);
  EXPECT_EQ(ci.low, 0.0);
  MK_EXPECT_REL(ci.high, -std::expm1(std::log(0.5e-300) / 50), 1e-15);
  // Oracle: scipy stats.beta.isf(0.4995, 1, 1000) (tail alpha/2 for alpha = 0.999).
  const auto wide = proportion_ci(0, 1000, 0.999, proportion_ci_method::clopper_pearson);
  MK_EXPECT_REL(wide.high, 0.0006939068161272139, 1e-12);
}

TEST(PropCi, DefaultIsWilsonTwoSided) {
  const auto ci = proportion_ci(7, 20);
  const auto wilson = proportion_ci(7, 20, 0.05, proportion_ci_method::wilson, alternative::two_sided);
  EXPECT_EQ(ci.low, wilson.low);
  EXPECT_EQ(ci.high, wilson.high);
}

TEST(PropCi, ErrorsNameTheArgument) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(error_of(12, 10, 0.05), "proportion_ci: count must be in [0, nobs], got count=12, nobs=10");
  EXPECT_EQ(error_of(-1, 10, 0.05), "proportion_ci: count must be in [0, nobs], got count=-1, nobs=10");
  EXPECT_EQ(error_of(nan, 10, 0.05), "proportion_ci: count must be a number, got nan");
  EXPECT_EQ(error_of(1, nan, 0.05), "proportion_ci: nobs must be a number, got nan");
  EXPECT_EQ(error_of(0, 0, 0.05), "proportion_ci: nobs must be > 0, got nobs=0");
  EXPECT_EQ(error_of(1, 10, 0.0), "proportion_ci: alpha must be in (0, 1), got alpha=0");
  EXPECT_EQ(error_of(1, 10, 1.0), "proportion_ci: alpha must be in (0, 1), got alpha=1");
  EXPECT_EQ(error_of(1, 10, nan), "proportion_ci: alpha must be a number, got nan");
}
