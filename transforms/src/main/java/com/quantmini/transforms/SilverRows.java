package com.quantmini.transforms;

import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.FeatureBlock;
import com.quantmini.transforms.model.SessionFeatures;
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

  /** Joins slices of one session and orders rows by ticker, then window_start. */
  public static SessionFeatures merge(List<SessionFeatures> parts) {
    SessionFeatures first = parts.get(0);
    int nf = first.floatNames().size();
    int nd = first.doubleNames().size();
    int total = 0;
    for (SessionFeatures p : parts) {
      total += p.rows().size();
    }
    int[] part = new int[total];
    int[] row = new int[total];
    int g = 0;
    for (int p = 0; p < parts.size(); p++) {
      for (int i = 0; i < parts.get(p).rows().size(); i++) {
        part[g] = p;
        row[g++] = i;
      }
    }
    int[] order = IndexSort.sort(total, (a, b) -> {
      BarBlock ra = parts.get(part[a]).rows();
      BarBlock rb = parts.get(part[b]).rows();
      int c = ra.ticker(row[a]).compareTo(rb.ticker(row[b]));
      return c != 0 ? c : Long.compare(ra.windowStart(row[a]), rb.windowStart(row[b]));
    });
    BarBlock.Builder b = BarBlock.builder(first.rows().dataset(), "", first.rows().session(), total);
    float[][] f = new float[nf][total];
    double[][] d = new double[nd][total];
    for (int i = 0; i < total; i++) {
      SessionFeatures p = parts.get(part[order[i]]);
      int r = row[order[i]];
      b.add(p.rows(), r);
      for (int x = 0; x < nf; x++) {
        f[x][i] = p.floats()[x][r];
      }
      for (int x = 0; x < nd; x++) {
        d[x][i] = p.doubles()[x][r];
      }
    }
    return new SessionFeatures(b.build(), first.floatNames(), first.doubleNames(), f, d);
  }
}
