package com.quantmini.transforms.adjust;

import java.util.Arrays;
import java.util.List;

/**
 * The price factor of one symbol (see ../shared/spec/corporate-actions.md, section 3), anchored at
 * its first bar so that a new event never changes the past: {@code F = 1} there; a split multiplies
 * it by {@code split_to / split_from} from its execution date on; a cash dividend by
 * {@code P / (P - cash)}, with {@code P} the raw close of the last bar before the ex-date on the
 * ex-date's share basis. An event dated on a day without a bar applies from the next bar. Plain
 * Java, no Beam.
 */
public final class Adjustment {
  private Adjustment() {}

  /** Values an incremental run carries per symbol: the factor, epoch day and raw close of the last bar before its window. */
  public static final int CARRY = 3;

  /** Factors of a series, and the carry as it stood before the mark. */
  public static final class Result {
    /** Per slot; NaN where there is no bar. */
    public final double[] factor;
    /** {factor, day, close} of the last bar before the mark, or the carry given when none is. */
    public final double[] carry;
    /** Dividends that could not be applied: no earlier bar, or cash at or above the previous close. */
    public final int skippedDividends;

    Result(double[] factor, double[] carry, int skippedDividends) {
      this.factor = factor;
      this.carry = carry;
      this.skippedDividends = skippedDividends;
    }
  }

  /**
   * @param day epoch day of each slot's session
   * @param close raw close per slot, NaN where the symbol has no bar
   * @param events the symbol's events, sorted ({@link CorporateAction#compareTo}), usable ones only
   * @param carryIn {@link #CARRY} values of the bar before slot 0, or empty when slot 0's series
   *     starts at the symbol's first bar
   * @param mark slot before which the returned carry is taken
   */
  public static Result factors(long[] day, double[] close, List<CorporateAction> events, double[] carryIn, int mark) {
    if (carryIn.length != 0 && carryIn.length != CARRY) {
      throw new IllegalArgumentException("an adjustment carry of " + CARRY + " values expected, got " + carryIn.length);
    }
    int n = close.length;
    double[] factor = new double[n];
    Arrays.fill(factor, Double.NaN);
    boolean started = carryIn.length != 0;
    double f = started ? carryIn[0] : Double.NaN;
    long prevDay = started ? (long) carryIn[1] : Long.MIN_VALUE;
    double prevClose = started ? carryIn[2] : Double.NaN;
    double[] carryOut = carryIn.length == 0 ? new double[] {Double.NaN, Double.NaN, Double.NaN} : carryIn.clone();
    int skipped = 0;
    int e = 0;
    for (int k = 0; k < n; k++) {
      if (k == mark) {
        carryOut = started ? new double[] {f, prevDay, prevClose} : carryOut;
      }
      if (Double.isNaN(close[k])) {
        continue;
      }
      long d = day[k];
      if (!started) {
        // The first bar: F = 1, and nothing dated on or before it moves the factor.
        f = 1;
        for (; e < events.size() && events.get(e).day <= d; e++) {
          if (!events.get(e).isSplit()) {
            skipped++; // no earlier close to take the dividend from
          }
        }
        started = true;
      } else {
        while (e < events.size() && events.get(e).day <= prevDay) {
          e++; // already part of the carried factor
        }
        double p = prevClose; // the previous close on the share basis of the event at hand
        for (; e < events.size() && events.get(e).day <= d; e++) {
          CorporateAction a = events.get(e);
          if (a.isSplit()) {
            f *= a.ratio();
            p /= a.ratio();
          } else {
            if (a.cashAmount >= p || !(p > 0)) {
              skipped++;
            } else {
              f *= p / (p - a.cashAmount);
            }
          }
        }
      }
      factor[k] = f;
      prevDay = d;
      prevClose = close[k];
    }
    if (mark >= n) {
      carryOut = started ? new double[] {f, prevDay, prevClose} : carryOut;
    }
    return new Result(factor, carryOut, skipped);
  }
}
