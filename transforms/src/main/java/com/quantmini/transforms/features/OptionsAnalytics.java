package com.quantmini.transforms.features;

import java.util.Arrays;
import java.util.List;

/**
 * Implied volatility and Greeks of one contract per slot ({@link BlackScholes}, European, with the
 * underlyings' dividend yield; American early exercise is ignored): the option price is the bar's
 * close, S the underlying's raw close of the same session (daily) or minute, K the strike and
 * T = (expiration − session) in calendar days / 365, so a contract on its expiration day has T = 0.
 * NaN where there is no bar, no underlying close, or no implied volatility.
 */
public final class OptionsAnalytics {
  private OptionsAnalytics() {}

  public static final List<String> NAMES = List.of("implied_vol", "delta", "gamma", "theta", "vega");

  /**
   * @param day the session (epoch day) of each slot
   * @param underlying the underlying's close per slot, NaN when unknown
   * @return {implied_vol, delta, gamma, theta, vega}, each as long as {@code close}
   */
  public static double[][] compute(boolean call, double strike, long expirationDay, long[] day, double[] close,
      double[] underlying, OptionsModel model) {
    int n = close.length;
    double[][] out = new double[NAMES.size()][n];
    for (double[] col : out) {
      Arrays.fill(col, Double.NaN);
    }
    for (int k = 0; k < n; k++) {
      if (Double.isNaN(close[k]) || Double.isNaN(underlying[k])) {
        continue;
      }
      double t = (expirationDay - day[k]) / 365.0;
      double r = model.rate(day[k]);
      double q = model.dividendYield;
      double sigma = BlackScholes.impliedVol(call, close[k], underlying[k], strike, t, r, q);
      if (Double.isNaN(sigma)) {
        continue;
      }
      double[] g = BlackScholes.greeks(call, underlying[k], strike, t, r, q, sigma);
      out[0][k] = sigma;
      for (int i = 0; i < 4; i++) {
        out[i + 1][k] = g[i];
      }
    }
    return out;
  }
}
