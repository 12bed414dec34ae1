package com.quantmini.transforms;

import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.DeadLetter;
import com.quantmini.transforms.model.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Joins the parsed blocks of one source file into one block sorted by ticker then window_start.
 * Exact duplicate rows are kept once; rows that share ticker and window_start but differ in any
 * value are all sent to {@code rejected}, since none of them can be trusted over the others.
 */
public final class SessionAssembler {
  private SessionAssembler() {}

  /** What assembling one file produced. */
  public static final class Result {
    public final BarBlock block;
    public final int exactDuplicates;
    public final int conflicting;

    Result(BarBlock block, int exactDuplicates, int conflicting) {
      this.block = block;
      this.exactDuplicates = exactDuplicates;
      this.conflicting = conflicting;
    }
  }

  /** The blocks must all be data blocks of one file (end markers removed by the caller). */
  public static Result assemble(List<BarBlock> parts, Consumer<DeadLetter> rejected) {
    int total = 0;
    for (BarBlock p : parts) {
      total += p.size();
    }
    BarBlock first = parts.get(0);
    // One flat view of all rows: block index and row index per global row.
    int[] blk = new int[total];
    int[] row = new int[total];
    int g = 0;
    for (int k = 0; k < parts.size(); k++) {
      for (int i = 0; i < parts.get(k).size(); i++) {
        blk[g] = k;
        row[g] = i;
        g++;
      }
    }
    Map<String, Integer> rankOf = rankTickers(parts);
    int[] rank = new int[total];
    long[] ws = new long[total];
    int[] line = new int[total];
    for (int r = 0; r < total; r++) {
      BarBlock p = parts.get(blk[r]);
      rank[r] = rankOf.get(p.ticker(row[r]));
      ws[r] = p.windowStart(row[r]);
      line[r] = p.line(row[r]);
    }
    int[] order = IndexSort.sort(total, (a, b) -> {
      int c = Integer.compare(rank[a], rank[b]);
      if (c == 0) {
        c = Long.compare(ws[a], ws[b]);
      }
      return c != 0 ? c : Integer.compare(line[a], line[b]);
    });
    BarBlock.Builder out = BarBlock.builder(first.dataset(), first.source(), first.session(), total);
    int exact = 0;
    int conflicting = 0;
    int s = 0;
    while (s < total) {
      int e = s + 1;
      while (e < total && rank[order[e]] == rank[order[s]] && ws[order[e]] == ws[order[s]]) {
        e++;
      }
      BarBlock a = parts.get(blk[order[s]]);
      int ai = row[order[s]];
      boolean same = true;
      for (int k = s + 1; k < e && same; k++) {
        same = a.sameValues(ai, parts.get(blk[order[k]]), row[order[k]]);
      }
      if (same) {
        out.add(a, ai);
        exact += e - s - 1;
      } else {
        for (int k = s; k < e; k++) {
          BarBlock p = parts.get(blk[order[k]]);
          int i = row[order[k]];
          rejected.accept(DeadLetter.of(p.dataset(), p.source(), p.session(), p.line(i),
              Reason.DUPLICATE_CONFLICT,
              (e - s) + " rows for " + p.ticker(i) + " at " + p.windowStart(i) + " disagree",
              p.render(i)));
        }
        conflicting += e - s;
      }
      s = e;
    }
    return new Result(out.build(), exact, conflicting);
  }

  private static Map<String, Integer> rankTickers(List<BarBlock> parts) {
    Map<String, Integer> rank = new HashMap<>();
    List<String> names = new ArrayList<>();
    for (BarBlock p : parts) {
      for (int i = 0; i < p.size(); i++) {
        if (rank.putIfAbsent(p.ticker(i), 0) == null) {
          names.add(p.ticker(i));
        }
      }
    }
    String[] sorted = names.toArray(new String[0]);
    // String order equals byte order for ASCII tickers, which is how Parquet statistics compare.
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      rank.put(sorted[i], i);
    }
    return rank;
  }
}
