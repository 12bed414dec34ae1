package com.quantmini.transforms;

import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One symbol's bars laid on its dataset's calendar, the way Qlib sees them: slot {@code start} is
 * the symbol's first bar, the arrays run to its last bar, and slots without a bar hold NaN.
 */
public final class SymbolSeries {
  public final String ticker;
  public final String instrument;
  public final int start;
  public final double[] open;
  public final double[] high;
  public final double[] low;
  public final double[] close;
  public final double[] volume;
  /** NaN where the source had no count. */
  public final double[] transactions;
  /** The bar's own window_start (ns), 0 in slots without a bar. */
  public final long[] windowStart;

  private SymbolSeries(String ticker, String instrument, int start, int length) {
    this.ticker = ticker;
    this.instrument = instrument;
    this.start = start;
    open = nan(length);
    high = nan(length);
    low = nan(length);
    close = nan(length);
    volume = nan(length);
    transactions = nan(length);
    windowStart = new long[length];
  }

  /** A series from arrays already laid on the calendar (used when decoding). */
  public SymbolSeries(String ticker, String instrument, int start, double[] open, double[] high,
      double[] low, double[] close, double[] volume, double[] transactions, long[] windowStart) {
    this.ticker = ticker;
    this.instrument = instrument;
    this.start = start;
    this.open = open;
    this.high = high;
    this.low = low;
    this.close = close;
    this.volume = volume;
    this.transactions = transactions;
    this.windowStart = windowStart;
  }

  /** An all-NaN series of {@code length} slots from {@code start}, filled with {@link #set}. */
  public static SymbolSeries empty(String ticker, String instrument, int start, int length) {
    return new SymbolSeries(ticker, instrument, start, length);
  }

  /** Sets slot k from {open, high, low, close, volume, transactions} and its window_start. */
  public void set(int k, double[] row, long ws) {
    open[k] = row[0];
    high[k] = row[1];
    low[k] = row[2];
    close[k] = row[3];
    volume[k] = row[4];
    transactions[k] = row[5];
    windowStart[k] = ws;
  }

  /** Sets slot k from row i of a block (its transactions NaN where the block has none). */
  public void setBar(int k, BarBlock b, int i) {
    open[k] = b.open(i);
    high[k] = b.high(i);
    low[k] = b.low(i);
    close[k] = b.close(i);
    volume[k] = b.volume(i);
    transactions[k] = b.hasTransactions(i) ? b.transactions(i) : Double.NaN;
    windowStart[k] = b.windowStart(i);
  }

  /** Slots [from, to] (absolute, inclusive) as a series of their own; shares nothing. */
  public SymbolSeries slice(int from, int to) {
    int a = from - start;
    int b = to - start + 1;
    return new SymbolSeries(ticker, instrument, from, Arrays.copyOfRange(open, a, b),
        Arrays.copyOfRange(high, a, b), Arrays.copyOfRange(low, a, b), Arrays.copyOfRange(close, a, b),
        Arrays.copyOfRange(volume, a, b), Arrays.copyOfRange(transactions, a, b),
        Arrays.copyOfRange(windowStart, a, b));
  }

  /** True when slot {@code k} (relative to start) holds a bar. */
  public boolean hasBar(int k) {
    return windowStart[k] != 0;
  }

  public int length() {
    return close.length;
  }

  /** Last slot (inclusive). */
  public int end() {
    return start + close.length - 1;
  }

  private static double[] nan(int n) {
    double[] a = new double[n];
    Arrays.fill(a, Double.NaN);
    return a;
  }

  /**
   * Builds the series of every symbol in {@code blocks}, sorted by instrument name. Every bar's time
   * must be on {@code calendar} (sorted unique slot times, see {@link TradingCalendar}).
   */
  public static List<SymbolSeries> assemble(Iterable<BarBlock> blocks, long[] calendar, Dataset ds) {
    boolean daily = ds.isDaily();
    Map<String, int[]> range = new HashMap<>();
    for (BarBlock b : blocks) {
      long day = daily && b.size() > 0 ? TradingCalendar.slotTime(b, 0, true) : 0;
      for (int i = 0; i < b.size(); i++) {
        int slot = slot(calendar, daily ? day : b.windowStart(i));
        int[] r = range.get(b.ticker(i));
        if (r == null) {
          range.put(b.ticker(i), new int[] {slot, slot});
        } else {
          r[0] = Math.min(r[0], slot);
          r[1] = Math.max(r[1], slot);
        }
      }
    }
    Map<String, SymbolSeries> byTicker = new HashMap<>();
    range.forEach((t, r) ->
        byTicker.put(t, new SymbolSeries(t, QlibNames.instrument(t, ds), r[0], r[1] - r[0] + 1)));
    for (BarBlock b : blocks) {
      long day = daily && b.size() > 0 ? TradingCalendar.slotTime(b, 0, true) : 0;
      SymbolSeries s = null;
      for (int i = 0; i < b.size(); i++) {
        if (s == null || !s.ticker.equals(b.ticker(i))) {
          s = byTicker.get(b.ticker(i));
        }
        s.setBar(slot(calendar, daily ? day : b.windowStart(i)) - s.start, b, i);
      }
    }
    List<SymbolSeries> out = new ArrayList<>(byTicker.values());
    out.sort((a, b) -> a.instrument.compareTo(b.instrument));
    return out;
  }

  static int slot(long[] calendar, long time) {
    int s = Arrays.binarySearch(calendar, time);
    if (s < 0) {
      throw new IllegalStateException("time " + time + " is not on the calendar");
    }
    return s;
  }
}
