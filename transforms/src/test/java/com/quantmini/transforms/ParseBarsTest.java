package com.quantmini.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.CsvChunk;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.DeadLetter;
import com.quantmini.transforms.model.FileKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

class ParseBarsTest {
  private final transient TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);

  private static final int[] CANONICAL = {0, 1, 2, 3, 4, 5, 6, 7};
  // 2024-01-05 09:30 and 09:31 New York (EST) in ns.
  private static final long T0 = 1_704_465_000_000_000_000L;
  private static final long T1 = T0 + 60_000_000_000L;

  private static FileKey file(String session) {
    String key = "us_stocks_sip/minute_aggs_v1/2024/01/" + session + ".csv.gz";
    return FileKey.of(Dataset.stocks_minute, key, "/in/" + key, session, 1, "e");
  }

  private static CsvChunk chunk(FileKey f, int firstLine, String... lines) {
    String data = String.join("\n", lines) + "\n";
    return CsvChunk.data(f, firstLine, lines.length, data.getBytes(StandardCharsets.UTF_8), CANONICAL, 8);
  }

  private static String bar(String ticker, long t, String close) {
    return ticker + ",100," + close + "," + close + "," + close + "," + close + "," + t + ",3";
  }

  private static String describe(BarBlock b) {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < b.size(); i++) {
      rows.add(b.ticker(i) + "@" + (b.windowStart(i) - T0) / 60_000_000_000L + "=" + b.close(i) + "#" + b.line(i));
    }
    return b.session() + " " + rows;
  }

  private static long counter(PipelineResult result, String name) {
    MetricQueryResults m = result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(ParseBars.class, name)).build());
    long sum = 0;
    for (MetricResult<Long> c : m.getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  @Test
  void joinsTheChunksOfAFileIntoOneSortedBlock() {
    FileKey f = file("2024-01-05");
    PCollectionTuple out = p
        .apply("Chunks", Create.of(
                chunk(f, 2, bar("SPY", T1, "470.5"), bar("AAPL", T1, "181.5")),
                chunk(f, 4, bar("SPY", T0, "470.25"), "garbage"),
                chunk(f, 6, bar("AAPL", T0, "181.25"), bar("SPY", T0, "470.25")),
                CsvChunk.last(f, 6, CANONICAL, 8))
            .withCoder(CsvChunk.ChunkCoder.of()))
        .apply("ParseBars", ParseBars.create());
    PAssert.that(out.get(ParseBars.PARSED).apply("Describe",
            MapElements.into(TypeDescriptors.strings()).via(ParseBarsTest::describe)))
        .containsInAnyOrder("2024-01-05 [AAPL@0=181.25#6, AAPL@1=181.5#3, SPY@0=470.25#4, SPY@1=470.5#2]");
    PAssert.that(out.get(ParseBars.FAILED).apply("Failures",
            MapElements.into(TypeDescriptors.strings()).via((DeadLetter d) -> d.getReason() + "@" + d.getLine())))
        .containsInAnyOrder("WRONG_COLUMN_COUNT@5");
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counter(result, "rowsParsed"), equalTo(5L));
    assertThat(counter(result, "rowsRejected"), equalTo(1L));
    assertThat(counter(result, "rowsExactDuplicate"), equalTo(1L));
    assertThat(counter(result, "filesAssembled"), equalTo(1L));
    assertThat(counter(result, "rowsOfRejectedFiles"), equalTo(0L));
  }

  @Test
  void aFileWhoseChunksComeInTwoBundlesMeetsAgainThroughTheGroupByKey() {
    FileKey split = file("2024-01-05");
    FileKey whole = file("2024-01-04");
    long t = T0 - 86_400_000_000_000L;
    // Two sources: their elements never share a bundle.
    var first = p.apply("First", Create.of(chunk(split, 2, bar("SPY", T1, "470.5")))
        .withCoder(CsvChunk.ChunkCoder.of()));
    var second = p.apply("Second", Create.of(
            chunk(split, 3, bar("AAPL", T0, "181.25")),
            CsvChunk.last(split, 2, CANONICAL, 8),
            chunk(whole, 2, bar("MSFT", t, "370")),
            CsvChunk.last(whole, 1, CANONICAL, 8))
        .withCoder(CsvChunk.ChunkCoder.of()));
    PCollectionTuple out = PCollectionList.of(first).and(second).apply(Flatten.pCollections())
        .apply("ParseBars", ParseBars.create());
    PAssert.that(out.get(ParseBars.PARSED).apply("Describe",
            MapElements.into(TypeDescriptors.strings()).via(ParseBarsTest::describe)))
        .containsInAnyOrder("2024-01-05 [AAPL@0=181.25#3, SPY@1=470.5#2]", "2024-01-04 [MSFT@-1440=370.0#2]");
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counter(result, "filesAssembled"), equalTo(2L));
    // The split file cannot be whole in a bundle; the other one is unless the runner cut its source.
    assertThat(counter(result, "filesWholeInBundle"), lessThanOrEqualTo(1L));
  }

  @Test
  void aFileIsWholeWithItsMarkerAndExactlyItsLinesEachOnce() {
    BarBlock block = BarBlock.builder("stocks_minute", "k", "2024-01-05", 0).build();
    BarBlock marker = BarBlock.endOfFile("stocks_minute", "k", "2024-01-05", 5, 1, "e");
    ParseBars.FileParts inOrder = new ParseBars.FileParts(null);
    inOrder.add(block, 2, 3);
    assertThat(inOrder.whole(), is(false));
    inOrder.add(block, 5, 2);
    assertThat(inOrder.whole(), is(false)); // no marker yet
    inOrder.end(marker, 5);
    assertThat(inOrder.whole(), is(true));

    ParseBars.FileParts markerFirst = new ParseBars.FileParts(null);
    markerFirst.end(marker, 5);
    markerFirst.add(block, 2, 5);
    assertThat(markerFirst.whole(), is(true));

    ParseBars.FileParts missing = new ParseBars.FileParts(null);
    missing.add(block, 2, 3);
    missing.end(marker, 5);
    assertThat(missing.whole(), is(false));

    ParseBars.FileParts twice = new ParseBars.FileParts(null); // a chunk delivered twice adds up by chance
    twice.add(block, 2, 2);
    twice.add(block, 2, 2);
    twice.add(block, 4, 1);
    twice.end(marker, 5);
    assertThat(twice.whole(), is(false));

    ParseBars.FileParts empty = new ParseBars.FileParts(null);
    empty.end(BarBlock.endOfFile("stocks_minute", "k", "2024-01-05", 0, 1, "e"), 0);
    assertThat(empty.whole(), is(true));
  }

  @Test
  void dropsTheRowsOfAFileWithoutEndMarkerButKeepsItsDeadLetters() {
    FileKey complete = file("2024-01-04");
    FileKey cut = file("2024-01-05");
    long t = T0 - 86_400_000_000_000L;
    PCollectionTuple out = p
        .apply("Chunks", Create.of(
                chunk(cut, 2, bar("SPY", T0, "470.25"), bar("SPY", T0, "-1")),
                chunk(cut, 4, bar("AAPL", T0, "181.25")),
                chunk(complete, 2, bar("MSFT", t, "370"), bar("MSFT", t, "371"),
                    bar("MSFT", t + 60_000_000_000L, "372")),
                CsvChunk.last(complete, 3, CANONICAL, 8))
            .withCoder(CsvChunk.ChunkCoder.of()))
        .apply("ParseBars", ParseBars.create());
    PAssert.that(out.get(ParseBars.PARSED).apply("Describe",
            MapElements.into(TypeDescriptors.strings()).via(ParseBarsTest::describe)))
        .containsInAnyOrder("2024-01-04 [MSFT@-1439=372.0#4]");
    PAssert.that(out.get(ParseBars.FAILED).apply("Failures",
            MapElements.into(TypeDescriptors.strings())
                .via((DeadLetter d) -> d.getSession() + " " + d.getReason() + "@" + d.getLine())))
        .containsInAnyOrder("2024-01-05 NEGATIVE_PRICE@3", "2024-01-04 DUPLICATE_CONFLICT@2",
            "2024-01-04 DUPLICATE_CONFLICT@3");
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counter(result, "rowsOfRejectedFiles"), equalTo(2L));
    assertThat(counter(result, "rowsDuplicateConflict"), equalTo(2L));
    assertThat(counter(result, "filesAssembled"), equalTo(1L));
  }

  @Test
  void emitsNothingForAFileWhoseRowsAreAllConflictingDuplicates() {
    FileKey f = file("2024-01-05");
    PCollectionTuple out = p
        .apply("Chunks", Create.of(chunk(f, 2, bar("SPY", T0, "1"), bar("SPY", T0, "2")),
                CsvChunk.last(f, 2, CANONICAL, 8))
            .withCoder(CsvChunk.ChunkCoder.of()))
        .apply("ParseBars", ParseBars.create());
    PAssert.that(out.get(ParseBars.PARSED)).empty();
    PAssert.that(out.get(ParseBars.FAILED).apply("Lines",
            MapElements.into(TypeDescriptors.longs()).via(DeadLetter::getLine)))
        .containsInAnyOrder(2L, 3L);
    p.run().waitUntilFinish();
  }

  @Test
  void emitsNothingForACompleteFileWhoseRowsWereAllRejected() {
    FileKey f = file("2024-01-05");
    PCollectionTuple out = p
        .apply("Chunks", Create.of(chunk(f, 2, "x"), CsvChunk.last(f, 1, CANONICAL, 8))
            .withCoder(CsvChunk.ChunkCoder.of()))
        .apply("ParseBars", ParseBars.create());
    PAssert.that(out.get(ParseBars.PARSED)).empty();
    PAssert.that(out.get(ParseBars.FAILED).apply("Lines",
            MapElements.into(TypeDescriptors.longs()).via(DeadLetter::getLine)))
        .containsInAnyOrder(2L);
    p.run().waitUntilFinish();
  }
}
