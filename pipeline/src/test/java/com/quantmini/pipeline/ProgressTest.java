package com.quantmini.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

import com.quantmini.options.QuantMiniOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestPipeline;
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

  @Test
  void linesComeAtTheIntervalUntilClosed() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(buf, true, StandardCharsets.UTF_8);
    AtomicLong rows = new AtomicLong();
    try (Progress p = Progress.start(() -> new Progress.Snapshot(1, 2, 10, 20, rows.addAndGet(100), 1), "part 1 of 2",
        40, err)) {
      Thread.sleep(400);
    }
    int lines = buf.toString(StandardCharsets.UTF_8).split("\n").length;
    assertThat(lines, greaterThanOrEqualTo(3));
    assertThat(buf.toString(StandardCharsets.UTF_8), containsString("progress: part 1 of 2, files 1/2 read (0.0 kB of"));
    Thread.sleep(200);
    assertThat(buf.toString(StandardCharsets.UTF_8).split("\n").length, is(lines)); // closed: nothing more
  }

  @Test
  void theSnapshotIsTheJobsOwnCounters(@TempDir Path tmp) throws Exception {
    QuantMiniOptions o = PipelineOptionsFactory.fromArgs("--input=" + EndToEndTest.testdata().resolve("flatfiles"),
        "--output=" + tmp.resolve("out"), "--symbolBuckets=2", "--datasets=stocks_daily").as(QuantMiniOptions.class);
    TestPipeline p = TestPipeline.fromOptions(o).enableAbandonedNodeEnforcement(false);
    QuantMiniPipeline.build(p, o, QuantMiniPipeline.plan(o));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    Progress.Snapshot s = Progress.snapshot(result, 2);
    long gz = 0;
    try (var files = Files.walk(EndToEndTest.testdata().resolve("flatfiles/us_stocks_sip/day_aggs_v1"))) {
      for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".csv.gz"))::iterator) {
        gz += Files.size(f);
      }
    }
    // testdata's 7 stocks_daily files, two of them rejected whole; 67 good rows + the quarantined ones.
    assertThat(s.filesTotal(), is(7L));
    assertThat(s.filesDone(), is(7L));
    assertThat(s.bytesTotal(), is(gz));
    assertThat(s.bytesDone(), is(gz));
    assertThat(s.rows(), is(RunSummary.of(result, 2).rowsParsed));
    assertThat(s.rows(), greaterThanOrEqualTo(67L));
  }
}
