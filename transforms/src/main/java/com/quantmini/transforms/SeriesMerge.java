package com.quantmini.transforms;

import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.SeriesState;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Lays what earlier runs remember of a bucket ({@link SeriesState}) and this run's fresh sessions
 * on the new calendar, and works out, per symbol, from which slot its Qlib files change. Fresh
 * sessions replace whatever was remembered for them (a republished day). No Beam types.
 */
public final class SeriesMerge {
  private SeriesMerge() {}

  /** Marks a symbol whose files stay as they are. */
  public static final int UNCHANGED = Integer.MAX_VALUE;

  /** One symbol after the merge, on the new calendar. */
  public static final class Merged {
    /** Every bar known for the symbol, from the first known slot to its last bar (NaN between). */
    public final SymbolSeries known;
    /** Slot of the first bar: the Qlib header. */
    public final int origin;
    /** First slot whose value differs from the existing files, or {@link #UNCHANGED}. */
    public final int changedFrom;
    /** The header of the existing files (on the old calendar), -1 for a new symbol. */
    public final int oldOrigin;
    /** First slot from which {@link #known} holds every bar: the origin when the whole history is known. */
    public final int completeFrom;

    Merged(SymbolSeries known, int origin, int changedFrom, int oldOrigin, int completeFrom) {
      this.known = known;
      this.origin = origin;
      this.changedFrom = changedFrom;
      this.oldOrigin = oldOrigin;
      this.completeFrom = completeFrom;
    }

    /** True when the whole history is known (always for daily datasets). */
    public boolean fullyKnown() {
      return completeFrom == origin;
    }
  }

  /** First index where the calendars differ: oldCal.length when the new one only appends. */
  public static int firstInsertion(long[] oldCal, long[] newCal) {
    int n = Math.min(oldCal.length, newCal.length);
    for (int i = 0; i < n; i++) {
      if (oldCal[i] != newCal[i]) {
        return i;
      }
    }
    return n;
  }

  /** Session (ISO date) of a slot time: the epoch day itself (daily) or its New York day (minute). */
  static String session(long time, boolean daily) {
    return LocalDate.ofEpochDay(daily ? time : FeatureMath.nyDay(time)).toString();
  }

  public static List<Merged> merge(List<SeriesState.Entry> old, long[] oldCal, Iterable<BarBlock> fresh,
      long[] newCal, Dataset ds, Set<String> freshSessions) {
    boolean daily = ds.isDaily();
    int p = firstInsertion(oldCal, newCal);
    Map<String, TreeMap<Integer, Bar>> bars = new HashMap<>();
    // ticker → {known start, old origin (new calendar), first changed slot, old origin (old calendar),
    // old tail start, old end (new calendar)}
    Map<String, int[]> info = new HashMap<>();
    Map<String, String> instruments = new HashMap<>();
    for (SeriesState.Entry e : old) {
      SymbolSeries t = e.tail;
      TreeMap<Integer, Bar> m = new TreeMap<>();
      int changed = UNCHANGED;
      for (int k = 0; k < t.length(); k++) {
        if (!t.hasBar(k)) {
          continue;
        }
        long time = oldCal[t.start + k];
        int slot = slot(newCal, time);
        if (freshSessions.contains(session(time, daily))) {
          changed = Math.min(changed, slot); // republished: the old bar goes, fresh data replaces it
        } else {
          m.put(slot, new Bar(new double[] {t.open[k], t.high[k], t.low[k], t.close[k], t.volume[k],
              t.transactions[k]}, t.windowStart[k]));
        }
      }
      int mappedOrigin = slot(newCal, oldCal[e.origin]);
      bars.put(t.ticker, m);
      instruments.put(t.ticker, t.instrument);
      int tailStart = slot(newCal, oldCal[t.start]);
      info.put(t.ticker, new int[] {tailStart, mappedOrigin, changed, e.origin, tailStart,
          slot(newCal, oldCal[t.end()])});
    }
    for (BarBlock b : fresh) {
      long day = daily && b.size() > 0 ? LocalDate.parse(b.session()).toEpochDay() : 0;
      for (int i = 0; i < b.size(); i++) {
        String ticker = b.ticker(i);
        int slot = slot(newCal, daily ? day : b.windowStart(i));
        TreeMap<Integer, Bar> m = bars.computeIfAbsent(ticker, x -> new TreeMap<>());
        m.put(slot, new Bar(new double[] {b.open(i), b.high(i), b.low(i), b.close(i), b.volume(i),
            b.hasTransactions(i) ? b.transactions(i) : Double.NaN}, b.windowStart(i)));
        instruments.computeIfAbsent(ticker, x -> QlibNames.instrument(x, ds));
        int[] in = info.computeIfAbsent(ticker, x -> new int[] {slot, -1, UNCHANGED, -1, -1, -1});
        in[0] = Math.min(in[0], slot);
        in[2] = Math.min(in[2], slot);
      }
    }
    List<Merged> out = new java.util.ArrayList<>();
    for (Map.Entry<String, TreeMap<Integer, Bar>> e : bars.entrySet()) {
      TreeMap<Integer, Bar> m = e.getValue();
      if (m.isEmpty()) {
        continue; // every bar it had was republished away: the symbol is gone
      }
      int[] in = info.get(e.getKey());
      int knownStart = Math.min(in[0], m.firstKey());
      int end = m.lastKey();
      boolean isNew = in[1] < 0;
      // With the whole history known the header is simply the first bar left; with only a tail
      // (minute data) an earlier bar can only move it back.
      boolean tailFromOrigin = isNew || in[4] == in[1];
      int origin = tailFromOrigin ? m.firstKey() : Math.min(in[1], m.firstKey());
      int changed = in[2];
      if (!isNew && (origin != in[1] || p <= in[3])) {
        changed = origin; // the header moves: the whole file changes
      } else if (!isNew && p < oldCal.length && end >= p) {
        changed = Math.min(changed, p); // slots from the insertion on shift by one or more
      }
      if (isNew) {
        changed = origin;
      } else if (changed != UNCHANGED) {
        // Files end at the last bar: a symbol resuming after a pause changes from right after it
        // (NaN for the missed slots, and features that still move there).
        changed = Math.min(changed, in[5] + 1);
      }
      SymbolSeries s = SymbolSeries.empty(e.getKey(), instruments.get(e.getKey()), knownStart, end - knownStart + 1);
      for (Map.Entry<Integer, Bar> bar : m.entrySet()) {
        s.set(bar.getKey() - knownStart, bar.getValue().values, bar.getValue().windowStart);
      }
      // Remembered bars before the old tail exist only in the Qlib files: history is complete from
      // the tail's first slot, or from the origin when the tail reaches back to it.
      int completeFrom = tailFromOrigin ? origin : Math.max(in[4], origin);
      if (!tailFromOrigin && m.firstKey() < in[4]) {
        completeFrom = Integer.MAX_VALUE; // fresh bars before the remembered tail: nothing in between is known
      }
      out.add(new Merged(s, origin, changed, isNew ? -1 : in[3], completeFrom));
    }
    out.sort((a, b) -> a.known.instrument.compareTo(b.known.instrument));
    return out;
  }

  /** One bar's values {open, high, low, close, volume, transactions} and its window_start. */
  private static final class Bar {
    final double[] values;
    final long windowStart;

    Bar(double[] values, long windowStart) {
      this.values = values;
      this.windowStart = windowStart;
    }
  }

  private static int slot(long[] calendar, long time) {
    int s = Arrays.binarySearch(calendar, time);
    if (s < 0) {
      throw new IllegalStateException("time " + time + " is not on the calendar");
    }
    return s;
  }
}
