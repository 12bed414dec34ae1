package com.quantmini.transforms.features;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * The market inputs of the options analytics that flat files do not carry: the risk-free rate per
 * session (the last known rate carried forward; {@code defaultRate} before the first) and the
 * underlyings' continuous dividend yield.
 */
public final class OptionsModel implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double defaultRate;
  private final TreeMap<Long, Double> rates;
  public final double dividendYield;

  public OptionsModel(double defaultRate, Map<Long, Double> ratesByEpochDay, double dividendYield) {
    this.defaultRate = defaultRate;
    this.rates = new TreeMap<>(ratesByEpochDay);
    this.dividendYield = dividendYield;
  }

  /** r = 0.04, q = 0: the defaults of --riskFreeRate and --dividendYield. */
  public static OptionsModel defaults() {
    return new OptionsModel(0.04, Map.of(), 0.0);
  }

  /** The rate of a session (epoch day). */
  public double rate(long epochDay) {
    Map.Entry<Long, Double> e = rates.floorEntry(epochDay);
    return e == null ? defaultRate : e.getValue();
  }
}
