package com.quantmini.transforms;

import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.FeatureBlock;
import com.quantmini.transforms.model.SessionFeatures;
import com.quantmini.transforms.model.SessionRows;
import java.time.LocalDate;
import java.util.ArrayList;
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
    int nf = block.floatNames().size();
    int nd = block.doubleNames().size();
    Map<String, List<int[]>> rowsBySession = new HashMap<>(); // session → (symbol index, slot offset)
    List<FeatureBlock.Symbol> symbols = block.symbols();
    for (int s = 0; s < symbols.size(); s++) {
      if (!symbols.get(s).computed) {
        continue;
      }
      SymbolSeries r = symbols.get(s).series;
      // Slots run in time order: the rows to write are a suffix, so a daily update looks at the
      // last slots only, not at the symbol's whole history.
      int first = r.length();
      while (first > 0 && (!r.hasBar(first - 1) || sessionOf(r, first - 1).compareTo(earliest) >= 0)) {
        first--;
      }
      for (int k = first; k < r.length(); k++) {
        if (!r.hasBar(k)) {
          continue;
        }
        String session = sessionOf(r, k);
        if (fresh.contains(session)) {
          rowsBySession.computeIfAbsent(session, x -> new ArrayList<>()).add(new int[] {s, k});
        }
      }
    }
    Map<String, SessionFeatures> out = new HashMap<>();
    rowsBySession.forEach((session, refs) -> {
      BarBlock.Builder b = BarBlock.builder(block.dataset(), "", session, refs.size());
      float[][] f = new float[nf][refs.size()];
      double[][] d = new double[nd][refs.size()];
      for (int i = 0; i < refs.size(); i++) {
        FeatureBlock.Symbol sym = symbols.get(refs.get(i)[0]);
        int k = refs.get(i)[1];
        SymbolSeries r = sym.series;
        b.add(r.ticker, r.windowStart[k], r.open[k], r.high[k], r.low[k], r.close[k], r.volume[k],
            Double.isNaN(r.transactions[k]) ? BarBlock.NO_VALUE : (long) r.transactions[k], 0);
        for (int x = 0; x < nf; x++) {
          f[x][i] = sym.floats[x][k];
        }
        for (int x = 0; x < nd; x++) {
          d[x][i] = sym.doubles[x][k];
        }
      }
      out.put(session, new SessionFeatures(b.build(), block.floatNames(), block.doubleNames(), f, d));
    });
    return out;
  }

  /** ParseBars checked that every bar's window_start falls on its session in New York time. */
  private static String sessionOf(SymbolSeries r, int k) {
    return LocalDate.ofEpochDay(FeatureMath.nyDay(r.windowStart[k])).toString();
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
      // Column by column: each part's values of a column lie together (in memory or in its file).
      for (int x = 0; x < nf; x++) {
        float[] col = f[x];
        for (int i = from; i < to; i++) {
          col[i - from] = parts.get(part[i]).floatAt(x, row[i]);
        }
      }
      for (int x = 0; x < nd; x++) {
        double[] col = d[x];
        for (int i = from; i < to; i++) {
          col[i - from] = parts.get(part[i]).doubleAt(x, row[i]);
        }
      }
      return new Slice(new SessionFeatures(b.build(), floatNames(), doubleNames(), f, d), from);
    }
  }
}
