package com.quantmini.transforms;

import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.SeriesState;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    /** The features' carry before {@code known.start} (empty when that is the origin). */
    public final double[] carry;

    Merged(SymbolSeries known, int origin, int changedFrom, int oldOrigin, int completeFrom, double[] carry) {
      this.known = known;
      this.origin = origin;
      this.changedFrom = changedFrom;
      this.oldOrigin = oldOrigin;
      this.completeFrom = completeFrom;
      this.carry = carry;
    }

    /** This symbol with its files changing from {@code slot} at the latest (a late split or dividend). */
    public Merged changingFrom(int slot) {
      int c = Math.max(slot, origin);
      if (c > known.end() || c >= changedFrom) {
        return this;
      }
      return new Merged(known, origin, c, oldOrigin, completeFrom, carry);
    }

    /** True when the whole history is known (a young symbol, or a replayed history). */
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
    OldSlots slots = new OldSlots(oldCal, newCal, daily, freshSessions);
    Map<String, Symbol> symbols = new HashMap<>();
    for (SeriesState.Entry e : old) {
      SymbolSeries t = e.tail;
      Symbol sym = new Symbol(t.instrument, e);
      for (int k = 0; k < t.length(); k++) {
        if (!t.hasBar(k)) {
          continue;
        }
        int slot = slots.toNew(t.start + k);
        if (slots.fresh(t.start + k)) {
          sym.replaced.put(slot, k); // republished: fresh data replaces the old bar (a change if it differs)
        } else {
          sym.first = Math.min(sym.first, slot);
          sym.last = slot; // slots grow with k
        }
      }
      sym.knownStartOld = slots.toNew(t.start);
      sym.knownStart = sym.knownStartOld;
      sym.mappedOrigin = slots.toNew(e.origin);
      sym.oldEnd = slots.toNew(t.end());
      symbols.put(t.ticker, sym);
    }
    List<BarBlock> blocks = new ArrayList<>();
    for (BarBlock b : fresh) {
      int bi = blocks.size();
      blocks.add(b);
      long day = daily && b.size() > 0 ? LocalDate.parse(b.session()).toEpochDay() : 0;
      // Rows come in runs of one ticker in time order (minute blocks: ~400 rows a run), so the
      // symbol is looked up once a run and the next row's slot is usually the one after.
      String ticker = null;
      Symbol sym = null;
      int slot = -1;
      for (int i = 0; i < b.size(); i++) {
        if (sym == null || !ticker.equals(b.ticker(i))) {
          ticker = b.ticker(i);
          sym = symbols.computeIfAbsent(ticker, x -> new Symbol(QlibNames.instrument(x, ds), null));
          slot = -1;
        }
        long time = daily ? day : b.windowStart(i);
        slot = slot >= 0 && slot + 1 < newCal.length && newCal[slot + 1] == time ? slot + 1 : slot(newCal, time);
        sym.addFresh(bi, i, slot);
        sym.first = Math.min(sym.first, slot);
        sym.last = Math.max(sym.last, slot);
        sym.knownStart = Math.min(sym.knownStart, slot);
      }
    }
    List<Merged> out = new ArrayList<>();
    for (Map.Entry<String, Symbol> e : symbols.entrySet()) {
      Symbol sym = e.getValue();
      if (sym.last < 0) {
        continue; // every bar it had was republished away: the symbol is gone
      }
      boolean isNew = sym.old == null;
      int oldOrigin = isNew ? -1 : sym.old.origin;
      // With the whole history known the header is simply the first bar left; with only a tail
      // (minute data) an earlier bar can only move it back.
      boolean tailFromOrigin = isNew || sym.knownStartOld == sym.mappedOrigin;
      int origin = tailFromOrigin ? sym.first : Math.min(sym.mappedOrigin, sym.first);
      int knownStart = Math.min(sym.knownStart, sym.first);
      SymbolSeries s = SymbolSeries.empty(e.getKey(), sym.instrument, knownStart, sym.last - knownStart + 1);
      if (!isNew) {
        SymbolSeries t = sym.old.tail;
        for (int k = 0; k < t.length(); k++) {
          if (t.hasBar(k) && !slots.fresh(t.start + k)) {
            copy(s, slots.toNew(t.start + k) - knownStart, t, k);
          }
        }
      }
      int[] refs = sym.fresh;
      for (int r = 0; r < sym.freshCount; r += 3) { // in reading order: a later duplicate wins
        s.setBar(refs[r + 2] - knownStart, blocks.get(refs[r]), refs[r + 1]);
      }
      // A session read again changes a stock only where its bars differ from the remembered ones
      // (a republished file, or sessions redone for a late split, touch few symbols). Options
      // depend on their underlying's close too: a session read again rewrites them.
      for (int r = 0; r < sym.freshCount && sym.changed > sym.first; r += 3) {
        int slot = refs[r + 2];
        Integer k = sym.replaced.get(slot);
        if (k == null || ds.isOptions() || !sameBar(s, slot - knownStart, sym.old.tail, k)) {
          sym.changed = Math.min(sym.changed, slot);
        }
      }
      for (Map.Entry<Integer, Integer> r : sym.replaced.entrySet()) {
        int idx = r.getKey() - knownStart;
        if (idx < 0 || idx >= s.length() || !s.hasBar(idx)) {
          sym.changed = Math.min(sym.changed, r.getKey()); // the bar is gone
        }
      }
      int changed = sym.changed;
      if (!isNew && (origin != sym.mappedOrigin || p <= oldOrigin)) {
        changed = origin; // the header moves: the whole file changes
      } else if (!isNew && p < oldCal.length && sym.last >= p) {
        changed = Math.min(changed, p); // slots from the insertion on shift by one or more
      }
      if (isNew) {
        changed = origin;
      } else if (changed != UNCHANGED) {
        // Files end at the last bar: a symbol resuming after a pause changes from right after it
        // (NaN for the missed slots, and features that still move there).
        changed = Math.min(changed, sym.oldEnd + 1);
      }
      // Remembered bars before the old tail exist only in the Qlib files: history is complete from
      // the tail's first slot, or from the origin when the tail reaches back to it.
      int tailStart = isNew ? -1 : sym.knownStartOld;
      int completeFrom = tailFromOrigin ? origin : Math.max(tailStart, origin);
      if (!tailFromOrigin && sym.first < tailStart) {
        completeFrom = Integer.MAX_VALUE; // fresh bars before the remembered tail: nothing in between is known
      }
      // The remembered carry holds before the old tail's first slot; known starts there unless fresh
      // bars came before it (then completeFrom says nothing before them is known).
      double[] carry = !isNew && !tailFromOrigin && knownStart == tailStart ? sym.old.carry : new double[0];
      out.add(new Merged(s, origin, changed, oldOrigin, completeFrom, carry));
    }
    out.sort((a, b) -> a.known.instrument.compareTo(b.known.instrument));
    return out;
  }

  /** Same values bit for bit (NaN transactions equal), and the same window_start. */
  static boolean sameBar(SymbolSeries a, int k, SymbolSeries b, int j) {
    return a.windowStart[k] == b.windowStart[j] && same(a.open[k], b.open[j]) && same(a.high[k], b.high[j])
        && same(a.low[k], b.low[j]) && same(a.close[k], b.close[j]) && same(a.volume[k], b.volume[j])
        && same(a.transactions[k], b.transactions[j]);
  }

  private static boolean same(double x, double y) {
    return Double.doubleToLongBits(x) == Double.doubleToLongBits(y);
  }

  private static void copy(SymbolSeries to, int k, SymbolSeries from, int j) {
    to.open[k] = from.open[j];
    to.high[k] = from.high[j];
    to.low[k] = from.low[j];
    to.close[k] = from.close[j];
    to.volume[k] = from.volume[j];
    to.transactions[k] = from.transactions[j];
    to.windowStart[k] = from.windowStart[j];
  }

  /** What the merge gathers about one symbol; slots are on the new calendar. */
  private static final class Symbol {
    final String instrument;
    final SeriesState.Entry old;
    int[] fresh = new int[0]; // {block, row, slot} per fresh bar, packed
    int freshCount;
    final Map<Integer, Integer> replaced = new HashMap<>(); // new slot → old tail index of a bar read again
    int first = Integer.MAX_VALUE; // first bar kept or fresh
    int last = -1; // last bar kept or fresh
    int changed = UNCHANGED;
    int knownStart = Integer.MAX_VALUE; // first slot known: the old tail's start or a fresh bar
    int knownStartOld = -1; // the old tail's start
    int mappedOrigin = -1;
    int oldEnd = -1;

    Symbol(String instrument, SeriesState.Entry old) {
      this.instrument = instrument;
      this.old = old;
    }

    void addFresh(int block, int row, int slot) {
      if (freshCount + 3 > fresh.length) {
        fresh = Arrays.copyOf(fresh, Math.max(48, fresh.length * 2));
      }
      fresh[freshCount++] = block;
      fresh[freshCount++] = row;
      fresh[freshCount++] = slot;
    }
  }

  /**
   * Where each old calendar slot lands on the new calendar and whether its session is fresh,
   * worked out once per slot instead of once per symbol and slot (the date arithmetic dominated
   * a daily update).
   */
  private static final class OldSlots {
    private final long[] oldCal;
    private final long[] newCal;
    private final boolean daily;
    private final Set<String> freshSessions;
    private final int[] toNew;
    private final byte[] fresh; // 0 unknown, 1 no, 2 yes

    OldSlots(long[] oldCal, long[] newCal, boolean daily, Set<String> freshSessions) {
      this.oldCal = oldCal;
      this.newCal = newCal;
      this.daily = daily;
      this.freshSessions = freshSessions;
      this.toNew = new int[oldCal.length];
      this.fresh = new byte[oldCal.length];
      Arrays.fill(toNew, -1);
    }

    int toNew(int k) {
      if (toNew[k] < 0) {
        toNew[k] = slot(newCal, oldCal[k]);
      }
      return toNew[k];
    }

    boolean fresh(int k) {
      if (fresh[k] == 0) {
        fresh[k] = (byte) (freshSessions.contains(session(oldCal[k], daily)) ? 2 : 1);
      }
      return fresh[k] == 2;
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
