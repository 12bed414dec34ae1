package com.quantmini.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTest {
  @Test
  void aLineGivesFilesBytesRowsRateAndTheTimeLeftToRead() {
    String l = Progress.line(new Progress.Snapshot(3, 10, 120_000_000, 480_000_000, 2_100_000, 60), "part 2 of 5");
    assertThat(l, is("progress: part 2 of 5, files 3/10 read (120.0 MB of 480.0 MB), 2,100,000 rows parsed "
        + "(35,000 rows/s), 1m00s elapsed, reading done in ~3m00s"));
    assertThat(Progress.line(new Progress.Snapshot(10, 10, 480_000_000, 480_000_000, 9, 3725), ""),
        containsString("files 10/10 read (480.0 MB of 480.0 MB), 9 rows parsed, 1h02m elapsed, all read"));
    assertThat(Progress.line(new Progress.Snapshot(0, 2, 0, 900, 0, 5), ""),
        is("progress: files 0/2 read (0.0 kB of 0.9 kB), 0 rows parsed (0 rows/s), 5s elapsed"));
  }

  private static String stderrOf(String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertThat(QuantMini.run(args), is(0));
    } finally {
      System.setErr(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aRunPrintsProgressToStderrUnlessQuiet(@TempDir Path tmp) {
    String in = "--input=" + EndToEndTest.testdata().resolve("flatfiles");
    String err = stderrOf("run", in, "--output=" + tmp.resolve("a"), "--datasets=stocks_daily", "--symbolBuckets=2",
        "--progressSeconds=1");
    // testdata has 7 stocks_daily files; a line every second.
    assertThat(err, containsString("progress: files "));
    assertThat(err, containsString("/7 read ("));
    String quiet = stderrOf("run", in, "--output=" + tmp.resolve("b"), "--datasets=stocks_daily", "--symbolBuckets=2",
        "--progressSeconds=1", "--quiet");
    assertThat(quiet, not(containsString("progress:")));
  }
}
