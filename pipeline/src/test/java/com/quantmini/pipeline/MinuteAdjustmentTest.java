package com.quantmini.pipeline;

import static com.quantmini.pipeline.IncrementalTest.assertSameOutputs;
import static com.quantmini.pipeline.IncrementalTest.cli;
import static com.quantmini.pipeline.IncrementalTest.run;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Minute bars take their session's factor; a late event on the last minute session is redone like
 * a republished one, and one before it is refused with a message, changing nothing.
 */
class MinuteAdjustmentTest {
  @TempDir
  Path tmp;

  /** testdata's stock minute files (2024-01-04 and 2024-01-05) with the given SDS split date. */
  private Path input(String name, String splitDate) throws IOException {
    Path in = tmp.resolve(name);
    Path src = EndToEndTest.testdata().resolve("flatfiles").resolve(IncrementalTest.MINUTE);
    try (Stream<Path> files = Files.walk(src)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        Path to = in.resolve(IncrementalTest.MINUTE).resolve(src.relativize(f));
        Files.createDirectories(to.getParent());
        Files.copy(f, to);
      }
    }
    Path dir = Files.createDirectories(in.resolve("corporate_actions"));
    Files.writeString(dir.resolve("splits.json"), splitDate == null ? "{\"results\": []}"
        : "{\"results\": [{\"ticker\": \"SDS\", \"execution_date\": \"" + splitDate
            + "\", \"split_from\": 1, \"split_to\": 2}]}");
    Files.writeString(dir.resolve("dividends.json"), "{\"results\": []}");
    return in;
  }

  @Test
  void minuteBarsTakeTheirSessionsFactorAndLateEventsReachBackOnlyToTheLastSession() throws Exception {
    Path full = tmp.resolve("full");
    run("run", input("full-in", "2024-01-05"), full, "--datasets=stocks_minute");
    QlibReader q = new QlibReader(full.resolve("qlib/stocks_minute"), "1min");
    Map<String, Float> factor = q.series("sds", "factor.1min.bin");
    Set<String> sessions = new TreeSet<>();
    for (Map.Entry<String, Float> e : factor.entrySet()) {
      if (Float.isNaN(e.getValue())) {
        continue;
      }
      assertThat(e.getKey(), e.getValue(), is(e.getKey().startsWith("2024-01-05") ? 2.0f : 1.0f));
      sessions.add(e.getKey().substring(0, 10));
    }
    assertThat(sessions, is(new TreeSet<>(List.of("2024-01-04", "2024-01-05"))));

    // Built without the split, then told of it: the last session is redone and equals the full run.
    Path in = input("late-in", null);
    Path out = tmp.resolve("late");
    run("run", in, out, "--datasets=stocks_minute");
    Files.writeString(in.resolve("corporate_actions/splits.json"), Files.readString(
        tmp.resolve("full-in/corporate_actions/splits.json")));
    // (run, not daily: daily's look-back would also report the sessions before 2024-01-04 that
    // this fixture lacks, with exit code 4.)
    assertThat(run("run", in, out, "--datasets=stocks_minute"),
        containsString("late corporate actions for SDS (2024-01-05): redoing 1 session(s)"));
    assertSameOutputs(full, out, "stocks_minute");

    // A split dated on the first session would need the older session rewritten: refused.
    Files.writeString(in.resolve("corporate_actions/splits.json"), "{\"results\": [{\"ticker\": \"SDS\", "
        + "\"execution_date\": \"2024-01-04\", \"split_from\": 1, \"split_to\": 2}]}");
    Map<String, byte[]> before = IncrementalTest.tree(out.resolve("qlib/stocks_minute"));
    byte[] manifest = Files.readAllBytes(out.resolve("_manifest/stocks_minute.tsv"));
    Object[] refused = cli("daily", in, out, "--datasets=stocks_minute", "--to=2024-01-05");
    assertThat(refused[0], is(1));
    assertThat(Files.readAllBytes(out.resolve("_manifest/stocks_minute.tsv")), is(manifest));
    assertThat(IncrementalTest.tree(out.resolve("qlib/stocks_minute")).keySet(), is(before.keySet()));
  }
}
