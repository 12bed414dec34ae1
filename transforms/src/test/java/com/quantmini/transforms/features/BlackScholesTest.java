package com.quantmini.transforms.features;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.either;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notANumber;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.Test;

class BlackScholesTest {
  private static final double DAY = 1.0 / 365;
  private static final double R = 0.04;
  private static final double Q = 0.01;

  /** One option of the round-trip grid, priced at {@code sigma}. */
  private record Point(boolean call, double k, double t, double sigma) {
    double price() {
      return BlackScholes.price(call, 100, k, t, R, Q, sigma);
    }

    double impliedVol() {
      return BlackScholes.impliedVol(call, price(), 100, k, t, R, Q);
    }

    @Override
    public String toString() {
      return (call ? "call" : "put") + " K=" + k + " T=" + t + " sigma=" + sigma;
    }
  }

  /** S = 100, r = 0.04, q = 0.01; calls and puts over moneyness K/S, maturity (one day to two years) and sigma. */
  private static List<Point> grid() {
    List<Point> points = new ArrayList<>();
    for (boolean call : new boolean[] {true, false}) {
      for (double m : new double[] {0.5, 0.75, 0.9, 1, 1.1, 1.5, 2}) {
        for (double t : new double[] {DAY, 7 * DAY, 30 * DAY, 0.25, 1, 2}) {
          for (double sigma : new double[] {0.05, 0.1, 0.2, 0.5, 1, 2, 3}) {
            points.add(new Point(call, 100 * m, t, sigma));
          }
        }
      }
    }
    return points;
  }

  private static double discountedIntrinsic(boolean call, double s, double k, double t, double r, double q) {
    double forward = s * Math.exp(-q * t) - k * Math.exp(-r * t);
    return Math.max(0, call ? forward : -forward);
  }

  private static Matcher<Double> nanOrInBracket() {
    return either(notANumber())
        .or(both(greaterThanOrEqualTo(BlackScholes.MIN_VOL)).and(lessThanOrEqualTo(BlackScholes.MAX_VOL)));
  }

  @Test
  void pricesAndGreeksMatchTheTextbookAtTheMoneyCase() {
    // d1 = (ln 1 + (0.05 + 0.02)) / 0.2 = 0.35, d2 = 0.15; N(0.35) = 0.636831, N(0.15) = 0.559618, n(0.35) = 0.375240.
    assertThat(BlackScholes.price(true, 100, 100, 1, 0.05, 0, 0.2), closeTo(10.4506, 1e-4));
    assertThat(BlackScholes.price(false, 100, 100, 1, 0.05, 0, 0.2), closeTo(5.5735, 1e-4));
    double[] g = BlackScholes.greeks(true, 100, 100, 1, 0.05, 0, 0.2);
    assertThat("delta = N(d1)", g[0], closeTo(0.636831, 1e-6));
    assertThat("gamma = n(d1) / (S sigma sqrt T)", g[1], closeTo(0.018762, 1e-6));
    // (−100 · 0.375240 · 0.2 / 2 − 0.05 · 100 e^−0.05 · 0.559618) / 365 = (−3.752403 − 2.661636) / 365
    assertThat("theta per day", g[2], closeTo(-0.017573, 1e-6));
    assertThat("vega per vol point = S n(d1) sqrt T / 100", g[3], closeTo(0.375240, 1e-6));
  }

  @Test
  void putCallParityHoldsWithADividendYield() {
    double s = 100;
    double r = 0.05;
    double q = 0.03;
    for (double k : new double[] {60, 90, 100, 110, 150}) {
      for (double t : new double[] {DAY, 30 * DAY, 0.5, 2}) {
        double call = BlackScholes.price(true, s, k, t, r, q, 0.25);
        double put = BlackScholes.price(false, s, k, t, r, q, 0.25);
        String where = "K=" + k + " T=" + t;
        assertThat(where, call - put, closeTo(s * Math.exp(-q * t) - k * Math.exp(-r * t), 1e-10));
        // Differentiating parity: the Greeks differ by those of the forward S e^−qT − K e^−rT.
        double[] c = BlackScholes.greeks(true, s, k, t, r, q, 0.25);
        double[] p = BlackScholes.greeks(false, s, k, t, r, q, 0.25);
        assertThat(where, c[0] - p[0], closeTo(Math.exp(-q * t), 1e-12));
        assertThat(where, c[1] - p[1], closeTo(0, 1e-12));
        assertThat(where, c[2] - p[2], closeTo((q * s * Math.exp(-q * t) - r * k * Math.exp(-r * t)) / 365, 1e-12));
        assertThat(where, c[3] - p[3], closeTo(0, 1e-12));
      }
    }
  }

  @Test
  void greeksMatchFiniteDifferencesOfThePrice() {
    double s = 100;
    double r = 0.05;
    double q = 0.03;
    for (boolean call : new boolean[] {true, false}) {
      for (double k : new double[] {80, 100, 125}) {
        double t = 0.5;
        double sigma = 0.3;
        double[] g = BlackScholes.greeks(call, s, k, t, r, q, sigma);
        double h = 0.01;
        double up = BlackScholes.price(call, s + h, k, t, r, q, sigma);
        double mid = BlackScholes.price(call, s, k, t, r, q, sigma);
        double down = BlackScholes.price(call, s - h, k, t, r, q, sigma);
        String where = (call ? "call" : "put") + " K=" + k;
        assertThat(where, g[0], closeTo((up - down) / (2 * h), 1e-6));
        assertThat(where, g[1], closeTo((up - 2 * mid + down) / (h * h), 1e-5));
        double dt = 1e-5;
        double later = BlackScholes.price(call, s, k, t - dt, r, q, sigma);
        double earlier = BlackScholes.price(call, s, k, t + dt, r, q, sigma);
        assertThat(where, g[2], closeTo((later - earlier) / (2 * dt) / 365, 1e-8));
        double dv = 1e-5;
        double vegaDifference = BlackScholes.price(call, s, k, t, r, q, sigma + dv)
            - BlackScholes.price(call, s, k, t, r, q, sigma - dv);
        assertThat(where, g[3], closeTo(vegaDifference / (2 * dv) * 0.01, 1e-8));
      }
    }
  }

  @Test
  void deepAndOneDayOptionsPriceAboveIntrinsicAndDeepOutOfTheMoneyVolsRecover() {
    double s = 100;
    for (boolean call : new boolean[] {true, false}) {
      for (double k : new double[] {20, 50, 100, 200, 500}) {
        for (double t : new double[] {DAY, 1}) {
          double price = BlackScholes.price(call, s, k, t, R, Q, 0.3);
          String where = (call ? "call" : "put") + " K=" + k + " T=" + t;
          assertThat(where, Double.isFinite(price), is(true));
          assertThat(where, price, greaterThanOrEqualTo(discountedIntrinsic(call, s, k, t, R, Q)));
          assertThat(where, price, greaterThanOrEqualTo(0.0));
        }
      }
    }
    double oneDayAtTheMoney = BlackScholes.price(true, s, 100, DAY, R, Q, 0.3);
    assertThat(oneDayAtTheMoney, greaterThan(0.5)); // ≈ 0.4 S sigma sqrt T
    assertThat(BlackScholes.impliedVol(true, oneDayAtTheMoney, s, 100, DAY, R, Q), closeTo(0.3, 1e-6));
    double otmCall = BlackScholes.price(true, s, 200, 1, R, Q, 0.3);
    double otmPut = BlackScholes.price(false, s, 50, 1, R, Q, 0.3);
    assertThat(otmCall, both(greaterThan(1e-3)).and(lessThan(1.0)));
    assertThat(otmPut, both(greaterThan(1e-3)).and(lessThan(1.0)));
    assertThat(BlackScholes.impliedVol(true, otmCall, s, 200, 1, R, Q), closeTo(0.3, 1e-6));
    assertThat(BlackScholes.impliedVol(false, otmPut, s, 50, 1, R, Q), closeTo(0.3, 1e-6));
  }

  @Test
  void expiredOptionsAreWorthTheirIntrinsicValueAndHaveNoGreeks() {
    assertThat(BlackScholes.price(true, 110, 100, 0, R, Q, 0.2), is(10.0));
    assertThat(BlackScholes.price(false, 110, 100, 0, R, Q, 0.2), is(0.0));
    assertThat(BlackScholes.price(false, 90, 100, -1, R, Q, 0.2), is(10.0));
    for (double[] g : new double[][] {
        BlackScholes.greeks(true, 100, 100, 0, R, Q, 0.2), BlackScholes.greeks(false, 100, 100, 1, R, Q, 0)}) {
      for (double x : g) {
        assertThat(x, is(notANumber()));
      }
    }
  }

  @Test
  void impliedVolIsNanOutsideTheNoArbitrageBounds() {
    double s = 100;
    double k = 80;
    double t = 0.5;
    double intrinsic = discountedIntrinsic(true, s, k, t, R, Q); // 99.501 − 78.416 = 21.085
    assertThat(BlackScholes.impliedVol(true, intrinsic - 0.5, s, k, t, R, Q), is(notANumber()));
    assertThat(BlackScholes.impliedVol(true, intrinsic, s, k, t, R, Q), is(notANumber()));
    double upper = s * Math.exp(-Q * t);
    assertThat(BlackScholes.impliedVol(true, upper, s, k, t, R, Q), is(notANumber()));
    assertThat(BlackScholes.impliedVol(true, upper + 1, s, k, t, R, Q), is(notANumber()));
    assertThat("put bound K e^−rT", BlackScholes.impliedVol(false, k * Math.exp(-R * t), s, k, t, R, Q),
        is(notANumber()));
    assertThat("t = 0", BlackScholes.impliedVol(true, 25, s, k, 0, R, Q), is(notANumber()));
    assertThat("s missing", BlackScholes.impliedVol(true, 25, Double.NaN, k, t, R, Q), is(notANumber()));
    assertThat("price missing", BlackScholes.impliedVol(true, Double.NaN, s, k, t, R, Q), is(notANumber()));
    assertThat("price zero", BlackScholes.impliedVol(false, 0, s, k, t, R, Q), is(notANumber()));
    // With r = q the forward is the strike: price(MIN_VOL) ≈ 0.4 S MIN_VOL ≈ 0.004 > 0.001 > intrinsic = 0.
    assertThat(BlackScholes.impliedVol(true, 0.001, 100, 100, 1, 0.02, 0.02), is(notANumber()));
    // Inside the bounds but above price(MAX_VOL) ≈ 98.8 of S e^−qT = 99.0: no sigma in the bracket fits.
    double top = BlackScholes.price(true, 100, 100, 1, R, Q, BlackScholes.MAX_VOL);
    assertThat(BlackScholes.impliedVol(true, (top + 100 * Math.exp(-Q)) / 2, 100, 100, 1, R, Q), is(notANumber()));
  }

  @Test
  void impliedVolIsNeverInfiniteOrOutsideTheBracket() {
    double[] odd = {Double.NaN, Double.NEGATIVE_INFINITY, -1, 0, Double.MIN_VALUE, 1e-300, 1e-12, 1, 100, 1e12,
        Double.MAX_VALUE, Double.POSITIVE_INFINITY};
    for (boolean call : new boolean[] {true, false}) {
      for (double price : odd) {
        for (double s : odd) {
          for (double t : odd) {
            assertThat(BlackScholes.impliedVol(call, price, s, 100, t, R, Q), nanOrInBracket());
            assertThat(BlackScholes.impliedVol(call, price, 100, s, t, R, Q), nanOrInBracket());
            assertThat(BlackScholes.impliedVol(call, price, 100, 100, t, s, Q), nanOrInBracket());
          }
        }
      }
    }
  }

  /**
   * A point is identifiable when a 1e-8 price tolerance can pin sigma to 1e-6: dV/dsigma · 1e-6 ≥ 1e-8 (vega per vol
   * point ≥ 1e-4, i.e. dV/dsigma ≥ 0.01) and price − discounted intrinsic ≥ 1e-10. The others lie where the price
   * barely moves with sigma (deep in or out of the money, short-dated, low vol); for them the solver must return NaN
   * or a sigma that reprices within 1e-8.
   */
  @Test
  void impliedVolRoundTripsOverTheGrid() {
    List<Point> points = grid();
    int identifiable = 0;
    for (Point p : points) {
      double price = p.price();
      double vegaPerUnit = BlackScholes.greeks(p.call(), 100, p.k(), p.t(), R, Q, p.sigma())[3] * 100;
      double timeValue = price - discountedIntrinsic(p.call(), 100, p.k(), p.t(), R, Q);
      double solved = p.impliedVol();
      if (vegaPerUnit * 1e-6 >= 1e-8 && timeValue >= 1e-10) {
        identifiable++;
        assertThat(p.toString(), solved, closeTo(p.sigma(), 1e-6));
      } else if (!Double.isNaN(solved)) {
        assertThat(p.toString(), solved, nanOrInBracket());
        assertThat(p.toString(), BlackScholes.price(p.call(), 100, p.k(), p.t(), R, Q, solved), closeTo(price, 1e-8));
      }
    }
    assertThat(points.size(), is(588));
    assertThat("identifiable points (394 when written)", identifiable, greaterThan(points.size() * 3 / 5));
  }

  @Test
  void solverIterationsStayFarBelowTheirBound() {
    int most = 0;
    for (Point p : grid()) {
      most = Math.max(most, BlackScholes.solve(p.call(), p.price(), 100, p.k(), p.t(), R, Q).iterations());
    }
    assertThat("grid (20 when written)", most, lessThanOrEqualTo(40));
    Random random = new Random(7);
    most = 0;
    for (int i = 0; i < 2000; i++) {
      boolean call = random.nextBoolean();
      double k = 20 + 480 * random.nextDouble();
      double t = DAY + 5 * random.nextDouble();
      double r = -0.02 + 0.12 * random.nextDouble();
      double q = 0.08 * random.nextDouble();
      // Half the targets are model prices, half anywhere between the no-arbitrage bounds.
      double target = random.nextBoolean()
          ? BlackScholes.price(call, 100, k, t, r, q, 0.01 + 4 * random.nextDouble())
          : discountedIntrinsic(call, 100, k, t, r, q)
              + random.nextDouble() * ((call ? 100 * Math.exp(-q * t) : k * Math.exp(-r * t))
                  - discountedIntrinsic(call, 100, k, t, r, q));
      BlackScholes.Solution solution = BlackScholes.solve(call, target, 100, k, t, r, q);
      assertThat(solution.sigma(), nanOrInBracket());
      most = Math.max(most, solution.iterations());
    }
    assertThat("random (20 when written)", most, lessThanOrEqualTo(40));
  }

  @Test
  void normalCdfIsAccurateInTheTails() {
    // Reference values of N(x) to 20 digits.
    double[][] table = {
        {-37, 5.7255712225245768227e-300}, {-30, 4.9067139271481870595e-198}, {-20, 2.7536241186062336951e-89},
        {-10, 7.619853024160526066e-24}, {-5, 2.8665157187919391167e-7}, {-3, 0.0013498980316300945267},
        {-2, 0.0227501319481792072}, {-1.5, 0.066807201268858066004}, {-1, 0.15865525393145705141},
        {-0.5, 0.30853753872598689636}, {0.5, 0.69146246127401310364}, {1.5, 0.933192798731141934},
        {2.5, 0.99379033467422386483}};
    for (double[] row : table) {
      assertThat("N(" + row[0] + ")", BlackScholes.normCdf(row[0]), closeTo(row[1], 3e-15 * row[1]));
    }
    assertThat(BlackScholes.normCdf(0), is(0.5));
    assertThat(BlackScholes.normCdf(Double.NEGATIVE_INFINITY), is(0.0));
    assertThat(BlackScholes.normCdf(Double.POSITIVE_INFINITY), is(1.0));
    assertThat(BlackScholes.normCdf(Double.NaN), is(notANumber()));
  }
}
