package com.quantmini.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incremental runs longer than the remembered tails (340 sessions of {@link IncrementalTest}'s
 * data, 256 remembered slots): appends continue from the tails, a back-fill or a republished day
 * older than them replays the history segments, and options get underlying closes older than the
 * stock tails. A class of its own: its runs are the suite's longest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PastTailIncrementalTest {
  private final IncrementalTest data = new IncrementalTest();

  @TempDir
  Path tmp;

  @BeforeAll
  void readStocknet() throws IOException {
    data.readStocknet();
  }

  private void useTmp() {
    data.tmp = tmp;
  }

  @Test
  void pastTheRememberedTailsAppendsABackfillAndARepublishedDayEqualFullRuns() throws Exception {
    useTmp();
    // 340 sessions: the state keeps each symbol's last 256 slots and the carry of its EMA and
    // Wilder features before them. Appends continue from that; a back-fill and a republished day
    // older than the tails replay the bucket's history segments.
    String x = data.pastTail.get(30);
    String y = data.pastTail.get(100);
    List<String> last2 = data.pastTail.subList(IncrementalTest.PAST_TAIL - 2, IncrementalTest.PAST_TAIL);
    List<String> withoutX = new ArrayList<>(data.pastTail);
    withoutX.remove(x);
    Path fullWithoutX = tmp.resolve("t-full-nox");
    IncrementalTest.run("run", data.input("t-nox", withoutX, data::withBadRow), fullWithoutX);
    Path in = data.input("t-in", withoutX.subList(0, withoutX.size() - 2), data::withBadRow);
    Path inc = tmp.resolve("t-inc");
    IncrementalTest.run("run", in, inc);
    data.input("t-in", last2, data::withBadRow);
    String appended = IncrementalTest.run("daily", in, inc, "--to=" + last2.get(1));
    assertThat(appended, not(containsString("history replayed")));
    IncrementalTest.assertSameOutputs(fullWithoutX, inc, "stocks_daily");

    Path full = tmp.resolve("t-full");
    IncrementalTest.run("run", data.input("t-all", data.pastTail, data::withBadRow), full);
    data.input("t-in", List.of(x), data::withBadRow);
    assertThat(IncrementalTest.run("backfill", in, inc, "--from=" + x, "--to=" + x), containsString("history replayed for"));
    IncrementalTest.assertSameOutputs(full, inc, "stocks_daily");

    BiFunction<String, List<String>, List<String>> republished = (s, rows) ->
        s.equals(y) ? IncrementalTest.scaled(rows, 1.03) : data.withBadRow(s, rows);
    Path fullRepublished = tmp.resolve("t-full2");
    IncrementalTest.run("run", data.input("t-all2", data.pastTail, republished), fullRepublished);
    data.input("t-in", List.of(y), republished);
    assertThat(IncrementalTest.run("run", in, inc), containsString("history replayed for"));
    IncrementalTest.assertSameOutputs(fullRepublished, inc, "stocks_daily");
  }

  /**
   * Stock sessions of {@link IncrementalTest#pastTail} plus, for sessions 20..200, an options file with one AAPL
   * call (its moneyness needs AAPL's close of each session). The contract's 181 sessions fit its
   * tail, so only the stock side reaches past what the state remembers.
   */
  Path stocksAndOptions(String name, List<String> which) throws IOException {
    Path in = data.input(name, which, data::withBadRow);
    for (String s : which) {
      String aapl = data.raw.get(s).stream().filter(r -> r.startsWith("AAPL,")).findFirst().orElseThrow();
      String windowStart = aapl.split(",", -1)[6];
      int i = data.pastTail.indexOf(s);
      if (i < 20 || i > 200) {
        continue;
      }
      double c = 5 + (i * 7 % 13) * 0.1;
      Path f = IncrementalTest.dayKey(in, "us_options_opra/day_aggs_v1", s);
      Files.createDirectories(f.getParent());
      try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(f))) {
        o.write((data.header + "\n" + String.format("O:AAPL160115C00100000,%d,%s,%s,%s,%s,%s,%d", 100 + i, c, c + 0.05,
            c + 0.1, c - 0.1, windowStart, 3) + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    return in;
  }

  @Test
  void aBackfillPastTheStockTailsGivesOptionsTheOldUnderlyingCloses() throws Exception {
    useTmp();
    // The back-filled session lies 310 sessions back: the options silver rows of every later
    // session are rewritten, and their moneyness needs AAPL closes older than AAPL's 256-slot tail.
    String x = data.pastTail.get(30);
    List<String> withoutX = new ArrayList<>(data.pastTail);
    withoutX.remove(x);
    String both = "--datasets=stocks_daily,options_daily";
    Path full = tmp.resolve("to-full");
    IncrementalTest.run("run", stocksAndOptions("to-all", data.pastTail), full, both);
    Path in = stocksAndOptions("to-in", withoutX);
    Path inc = tmp.resolve("to-inc");
    IncrementalTest.run("run", in, inc, both);
    stocksAndOptions("to-in", List.of(x));
    IncrementalTest.run("backfill", in, inc, both, "--from=" + x, "--to=" + x);
    IncrementalTest.assertSameOutputs(full, inc, "stocks_daily");
    IncrementalTest.assertSameOutputs(full, inc, "options_daily");
  }
}
