package com.quantmini.transforms;

import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.FeatureBlock;
import com.quantmini.transforms.model.SessionFeatures;
import com.quantmini.transforms.model.SessionRows;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns per-symbol feature series back into per-session rows (the silver layer); no Beam types. */
public final class SilverRows {
  private SilverRows() {}

  /**
   * Whether the block's dataset gets silver: only when a feature family applies to it. Without
   * one, silver would be bronze again (plus, for stocks, the adjustment Qlib already holds), and
   * rewriting every bar was the costliest step of a bars-only ingest.
   */
  public static boolean wanted(FeatureBlock block) {
    return !block.floatNames().isEmpty() || !FeatureMath.ADJUSTED.containsAll(block.doubleNames());
  }

  /** One slice per session the block rewrites (its fresh sessions and, after a change to an old
   * session, every later one), keyed by ISO session date. */
  public static Map<String, SessionFeatures> bySession(FeatureBlock block) {
    Set<String> fresh = new HashSet<>(block.freshSessions());
    String earliest = block.freshSessions().stream().min(String::compareTo).orElse("9999-12-31");
    Map<String, Rows> rowsBySession = new HashMap<>();
    Map<Long, String> sessionOf = new HashMap<>(); // a daily block has one window_start per session
    List<FeatureBlock.Symbol> symbols = block.symbols();
    for (int s = 0; s < symbols.size(); s++) {
      if (!symbols.get(s).computed) {
        continue;
      }
      SymbolSeries r = symbols.get(s).series;
      // Slots run in time order: the rows to write are a suffix, so a daily update looks at the
      // last slots only, not at the symbol's whole history.
      int first = r.length();
      while (first > 0 && (!r.hasBar(first - 1) || sessionOf(sessionOf, r, first - 1).compareTo(earliest) >= 0)) {
        first--;
      }
      Rows last = null;
      for (int k = first; k < r.length(); k++) {
        if (!r.hasBar(k)) {
          continue;
        }
        String session = sessionOf(sessionOf, r, k);
        if (last == null || !last.session.equals(session)) {
          last = fresh.contains(session) ? rowsBySession.computeIfAbsent(session, Rows::new) : null;
        }
        if (last != null) {
          last.add(s, k);
        }
      }
    }
    int nf = block.floatNames().size();
    int nd = block.doubleNames().size();
    List<Rows> sessions = new ArrayList<>(rowsBySession.values());
    sessions.sort(Comparator.comparing(q -> q.session)); // in slot order, for the copy below
    for (Rows q : sessions) {
      q.bars(block.dataset(), symbols);
      q.floats = new float[nf][];
      q.doubles = new double[nd][];
    }
    // Feature by feature, then session by session: a daily block's session takes one slot from each
    // symbol, so copying row by row read every feature of every row from another symbol's arrays
    // (a cache miss per value: half of a daily build's silver step). This order reads each symbol's
    // feature array forward while the sessions advance.
    float[][] floatColumn = new float[symbols.size()][];
    for (int x = 0; x < nf; x++) {
      for (int sym = 0; sym < symbols.size(); sym++) {
        floatColumn[sym] = symbols.get(sym).computed ? symbols.get(sym).floats[x] : null;
      }
      for (Rows q : sessions) {
        float[] to = q.floats[x] = new float[q.n];
        for (int i = 0; i < q.n; i++) {
          to[i] = floatColumn[q.symbol[i]][q.slot[i]];
        }
      }
    }
    double[][] doubleColumn = new double[symbols.size()][];
    for (int x = 0; x < nd; x++) {
      for (int sym = 0; sym < symbols.size(); sym++) {
        doubleColumn[sym] = symbols.get(sym).computed ? symbols.get(sym).doubles[x] : null;
      }
      for (Rows q : sessions) {
        double[] to = q.doubles[x] = new double[q.n];
        for (int i = 0; i < q.n; i++) {
          to[i] = doubleColumn[q.symbol[i]][q.slot[i]];
        }
      }
    }
    Map<String, SessionFeatures> out = new HashMap<>();
    for (Rows q : sessions) {
      out.put(q.session, new SessionFeatures(q.bars, block.floatNames(), block.doubleNames(), q.floats, q.doubles));
    }
    return out;
  }

  /** One session's rows of a block: which symbol and slot each comes from, in symbol order. */
  private static final class Rows {
    final String session;
    int[] symbol = new int[16];
    int[] slot = new int[16];
    int n;
    BarBlock bars;
    float[][] floats;
    double[][] doubles;

    Rows(String session) {
      this.session = session;
    }

    void add(int s, int k) {
      if (n == symbol.length) {
        symbol = Arrays.copyOf(symbol, 2 * n);
        slot = Arrays.copyOf(slot, 2 * n);
      }
      symbol[n] = s;
      slot[n++] = k;
    }

    void bars(String dataset, List<FeatureBlock.Symbol> symbols) {
      BarBlock.Builder b = BarBlock.builder(dataset, "", session, n);
      for (int i = 0; i < n; i++) {
        SymbolSeries r = symbols.get(symbol[i]).series;
        int k = slot[i];
        b.add(r.ticker, r.windowStart[k], r.open[k], r.high[k], r.low[k], r.close[k], r.volume[k],
            Double.isNaN(r.transactions[k]) ? BarBlock.NO_VALUE : (long) r.transactions[k], 0);
      }
      bars = b.build();
    }
  }

  /** ParseBars checked that every bar's window_start falls on its session in New York time. */
  private static String sessionOf(Map<Long, String> known, SymbolSeries r, int k) {
    return known.computeIfAbsent(r.windowStart[k], ws -> LocalDate.ofEpochDay(FeatureMath.nyDay(ws)).toString());
  }

  /**
   * Joins parts of one session, rows ordered by ticker, then window_start. Only the order is
   * computed here; a writer asks for the rows a slice at a time, so the merged session is never
   * whole on the heap.
   */
  public static SessionRows merged(List<? extends SessionRows.Part> parts) {
    return new Merged(parts);
  }

  private static final class Merged implements SessionRows {
    private final List<? extends Part> parts;
    private final BarBlock first;
    private final int[] part;
    private final int[] row;

    Merged(List<? extends Part> parts) {
      Checks.checkArgument(!parts.isEmpty(), "no parts to merge");
      this.parts = parts;
      this.first = parts.get(0).rows();
      int total = 0;
      for (Part p : parts) {
        Checks.checkArgument(p.floatNames().equals(parts.get(0).floatNames())
            && p.doubleNames().equals(parts.get(0).doubleNames()), "parts of %s %s have different columns",
            first.dataset(), first.session());
        total += p.rows().size();
      }
      int[] pa = new int[total];
      int[] ro = new int[total];
      int g = 0;
      for (int p = 0; p < parts.size(); p++) {
        for (int i = 0; i < parts.get(p).rows().size(); i++) {
          pa[g] = p;
          ro[g++] = i;
        }
      }
      int[] order = IndexSort.sort(total, (a, b) -> {
        BarBlock ra = parts.get(pa[a]).rows();
        BarBlock rb = parts.get(pa[b]).rows();
        int c = ra.ticker(ro[a]).compareTo(rb.ticker(ro[b]));
        return c != 0 ? c : Long.compare(ra.windowStart(ro[a]), rb.windowStart(ro[b]));
      });
      this.part = new int[total];
      this.row = new int[total];
      for (int i = 0; i < total; i++) {
        part[i] = pa[order[i]];
        row[i] = ro[order[i]];
      }
    }

    @Override
    public Dataset dataset() {
      return first.datasetEnum();
    }

    @Override
    public String session() {
      return first.session();
    }

    @Override
    public String source() {
      return "";
    }

    @Override
    public List<String> floatNames() {
      return parts.get(0).floatNames();
    }

    @Override
    public List<String> doubleNames() {
      return parts.get(0).doubleNames();
    }

    @Override
    public int size() {
      return part.length;
    }

    @Override
    public Slice slice(int from, int to) {
      int len = to - from;
      int nf = floatNames().size();
      int nd = doubleNames().size();
      BarBlock.Builder b = BarBlock.builder(first.dataset(), "", first.session(), Math.max(1, len));
      for (int i = from; i < to; i++) {
        b.add(parts.get(part[i]).rows(), row[i]);
      }
      float[][] f = new float[nf][len];
      double[][] d = new double[nd][len];
      // Column by column, each part's rows of the slice read in one go (a part's rows come in its own
      // order, so they span a range about as long as their count); a part whose rows are spread wider
      // is read value by value. Reading every value on its own cost half of a daily build's silver write.
      int np = parts.size();
      int[] lo = new int[np];
      int[] hi = new int[np];
      int[] count = new int[np];
      Arrays.fill(lo, Integer.MAX_VALUE);
      Arrays.fill(hi, -1);
      for (int i = from; i < to; i++) {
        int p = part[i];
        lo[p] = Math.min(lo[p], row[i]);
        hi[p] = Math.max(hi[p], row[i]);
        count[p]++;
      }
      boolean[] bulk = new boolean[np];
      for (int p = 0; p < np; p++) {
        bulk[p] = count[p] > 0 && hi[p] - lo[p] + 1 <= 2 * count[p] + 64;
      }
      float[][] fIn = new float[np][];
      for (int x = 0; x < nf; x++) {
        for (int p = 0; p < np; p++) {
          if (bulk[p]) {
            int n = hi[p] - lo[p] + 1;
            if (fIn[p] == null) {
              fIn[p] = new float[n];
            }
            parts.get(p).floats(x, lo[p], n, fIn[p]);
          }
        }
        float[] col = f[x];
        for (int i = from; i < to; i++) {
          int p = part[i];
          col[i - from] = bulk[p] ? fIn[p][row[i] - lo[p]] : parts.get(p).floatAt(x, row[i]);
        }
      }
      double[][] dIn = new double[np][];
      for (int x = 0; x < nd; x++) {
        for (int p = 0; p < np; p++) {
          if (bulk[p]) {
            int n = hi[p] - lo[p] + 1;
            if (dIn[p] == null) {
              dIn[p] = new double[n];
            }
            parts.get(p).doubles(x, lo[p], n, dIn[p]);
          }
        }
        double[] col = d[x];
        for (int i = from; i < to; i++) {
          int p = part[i];
          col[i - from] = bulk[p] ? dIn[p][row[i] - lo[p]] : parts.get(p).doubleAt(x, row[i]);
        }
      }
      return new Slice(new SessionFeatures(b.build(), floatNames(), doubleNames(), f, d), from);
    }
  }
}
