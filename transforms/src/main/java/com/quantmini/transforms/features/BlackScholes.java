package com.quantmini.transforms.features;

/**
 * Black–Scholes–Merton prices, Greeks and implied volatility of European options on an underlying with a continuous
 * dividend yield.
 *
 * <p>Contract: {@code t} is in years (calendar days / 365), {@code r} and {@code q} are continuously compounded annual
 * rates, {@code sigma} is an annual volatility (0.2 = 20%). Prices never fall below the discounted intrinsic value;
 * invalid inputs give NaN rather than an exception.
 */
public final class BlackScholes {
  /** The volatility bracket {@link #impliedVol} searches. */
  public static final double MIN_VOL = 1e-4, MAX_VOL = 5;
  /** Absolute price tolerance of {@link #impliedVol}. */
  static final double PRICE_TOLERANCE = 1e-8;
  static final int MAX_ITERATIONS = 200;
  private static final double MIN_BRACKET = 1e-14;
  private static final double INV_SQRT_2PI = 0.3989422804014327; // 1/sqrt(2π)
  /** |x| below which N comes from its series: the sum cancels against 1/2 by at most N(−1) ≈ 0.16, a factor 3. */
  private static final double SERIES_LIMIT = 1;

  private BlackScholes() {}

  /** European option model price with a continuous dividend yield q; t in years (calendar days / 365). */
  public static double price(boolean call, double s, double k, double t, double r, double q, double sigma) {
    if (t <= 0) {
      return Math.max(0, call ? s - k : k - s);
    }
    double sq = s * Math.exp(-q * t);
    double kd = k * Math.exp(-r * t);
    double intrinsic = Math.max(0, call ? sq - kd : kd - sq);
    if (sigma <= 0) {
      return intrinsic;
    }
    double v = sigma * Math.sqrt(t);
    double d1 = Math.log(sq / kd) / v + v / 2;
    double d2 = d1 - v;
    // Price the out-of-the-money side and reach the other by parity: the two formula terms of an in-the-money option
    // are large and nearly cancel, which would lose its time value (what implied vol is solved from) to rounding.
    double outOfMoney = sq >= kd
        ? kd * normCdf(-d2) - sq * normCdf(-d1)
        : sq * normCdf(d1) - kd * normCdf(d2);
    return intrinsic + Math.max(0, outOfMoney);
  }

  /**
   * {delta, gamma, theta, vega} at sigma: delta per 1 of underlying, gamma per 1^2, theta per calendar day (the model's
   * dV/dt, i.e. -dV/dT, divided by 365), vega per 1 volatility point (dV/dsigma * 0.01).
   */
  public static double[] greeks(boolean call, double s, double k, double t, double r, double q, double sigma) {
    if (!(t > 0 && sigma > 0)) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    }
    double sq = s * Math.exp(-q * t);
    double kd = k * Math.exp(-r * t);
    double sqrtT = Math.sqrt(t);
    double v = sigma * sqrtT;
    double d1 = Math.log(sq / kd) / v + v / 2;
    double d2 = d1 - v;
    double density = normPdf(d1);
    double decay = -sq * density * sigma / (2 * sqrtT);
    double delta;
    double theta;
    if (call) {
      delta = Math.exp(-q * t) * normCdf(d1);
      theta = decay - r * kd * normCdf(d2) + q * sq * normCdf(d1);
    } else {
      delta = -Math.exp(-q * t) * normCdf(-d1);
      theta = decay + r * kd * normCdf(-d2) - q * sq * normCdf(-d1);
    }
    double gamma = Math.exp(-q * t) * density / (s * v);
    return new double[] {delta, gamma, theta / 365, sq * density * sqrtT * 0.01};
  }

  /**
   * Implied volatility: the sigma in [1e-4, 5] at which price(...) equals the option price within 1e-8 (absolute), else
   * NaN.
   */
  public static double impliedVol(boolean call, double price, double s, double k, double t, double r, double q) {
    return solve(call, price, s, k, t, r, q).sigma();
  }

  /** An implied-vol answer and the solver iterations it took (0 when decided without iterating). */
  record Solution(double sigma, int iterations) {
    static final Solution NONE = new Solution(Double.NaN, 0);
  }

  /**
   * Newton's method on f(sigma) = price(sigma) − target inside a shrinking bracket [lo, hi] with f(lo) &lt; 0 &lt;
   * f(hi); a step that leaves the bracket (vega too small) or fails to halve |f| is replaced by bisection, so the
   * bracket shrinks geometrically whatever Newton does.
   */
  static Solution solve(boolean call, double target, double s, double k, double t, double r, double q) {
    if (!(positiveFinite(t) && positiveFinite(s) && positiveFinite(k) && positiveFinite(target))
        || !Double.isFinite(r) || !Double.isFinite(q)) {
      return Solution.NONE;
    }
    double sq = s * Math.exp(-q * t);
    double kd = k * Math.exp(-r * t);
    double lower = Math.max(0, call ? sq - kd : kd - sq);
    double upper = call ? sq : kd;
    if (target <= lower || target >= upper) {
      return Solution.NONE;
    }
    double lo = MIN_VOL;
    double hi = MAX_VOL;
    double fLo = price(call, s, k, t, r, q, lo) - target;
    double fHi = price(call, s, k, t, r, q, hi) - target;
    if (fLo > PRICE_TOLERANCE || fHi < -PRICE_TOLERANCE) {
      return Solution.NONE;
    }
    // An end counts only when it is not below (above) the target: otherwise the root inside fits better.
    if (fLo >= 0) {
      return new Solution(lo, 0);
    }
    if (fHi <= 0) {
      return new Solution(hi, 0);
    }
    double logMoneyness = Math.log(sq / kd);
    double sqrtT = Math.sqrt(t);
    // The price is convex in sigma below this point and concave above it, so Newton started here approaches the
    // root from one side without overshooting (Manaster and Koehler, 1982).
    double x = Math.min(hi, Math.max(lo, Math.sqrt(2 * Math.abs(logMoneyness) / t)));
    double fPrevious = Double.POSITIVE_INFINITY;
    int i = 0;
    while (i < MAX_ITERATIONS) {
      i++;
      double f = price(call, s, k, t, r, q, x) - target;
      if (Math.abs(f) <= PRICE_TOLERANCE) {
        return new Solution(x, i);
      }
      if (f < 0) {
        lo = x;
      } else {
        hi = x;
      }
      if (hi - lo < MIN_BRACKET) {
        break;
      }
      double v = x * sqrtT;
      double vega = sq * normPdf(logMoneyness / v + v / 2) * sqrtT;
      double next = x - f / vega;
      boolean newtonHelps = next > lo && next < hi && Math.abs(f) <= 0.5 * Math.abs(fPrevious);
      x = newtonHelps ? next : lo + (hi - lo) / 2;
      fPrevious = f;
    }
    return new Solution(Double.NaN, i);
  }

  private static boolean positiveFinite(double x) {
    return x > 0 && x < Double.POSITIVE_INFINITY;
  }

  /** Standard normal density, with e^(−x²/2) split so that x² is not rounded before a large exponent amplifies it. */
  static double normPdf(double x) {
    double z = Math.abs(x);
    if (z > 40) {
      return 0;
    }
    double zr = Math.rint(z * 16) / 16; // zr² is exact and z − zr is small, so only the small factor's argument rounds
    return INV_SQRT_2PI * Math.exp(-zr * zr / 2) * Math.exp(-(z - zr) * (z + zr) / 2);
  }

  /**
   * Standard normal CDF to about 1e-15 relative error, including the lower tail down to underflow (x ≈ −38.5), where
   * 1 − N(−x) would leave nothing but rounding.
   */
  static double normCdf(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double z = Math.abs(x);
    if (z < SERIES_LIMIT) {
      // N(x) = 1/2 + n(x) Σ x^(2j+1) / (1·3·…·(2j+1)): the terms share one sign, so the sum does not cancel.
      double x2 = x * x;
      double term = x;
      double sum = x;
      for (int j = 1; Math.abs(term) > 1e-17 * Math.abs(sum); j++) {
        term *= x2 / (2 * j + 1);
        sum += term;
      }
      return 0.5 + normPdf(x) * sum;
    }
    if (z > 40) {
      return x < 0 ? 0 : 1; // below 2^−1074 already at z ≈ 38.5
    }
    double upperTail = normPdf(z) * millsRatio(z);
    return x < 0 ? upperTail : 1 - upperTail;
  }

  /**
   * Mills' ratio (1 − N(z)) / n(z) for z ≥ 1 from its continued fraction
   * z / (z² + 1 − 1·2 / (z² + 5 − 3·4 / (z² + 9 − 5·6 / (z² + 13 − …)))), evaluated from the bottom up, which is
   * stabler than the forward Lentz recurrence. About 180 / z² levels reach double precision; the count has a margin.
   */
  private static double millsRatio(double z) {
    double z2 = z * z;
    int levels = 10 + (int) (200 / z2);
    double denominator = z2 + 4 * levels + 1;
    for (int j = levels; j >= 1; j--) {
      denominator = z2 + 4 * j - 3 - (2.0 * j - 1) * (2.0 * j) / denominator;
    }
    return z / denominator;
  }
}
