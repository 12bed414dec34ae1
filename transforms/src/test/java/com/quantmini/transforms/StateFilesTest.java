package com.quantmini.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.quantmini.transforms.model.SeriesHistory;
import com.quantmini.transforms.model.SeriesState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a bucket's state and history segments live, and reading them back from disk. */
class StateFilesTest {
  @TempDir
  Path tmp;

  private static final long D0 = LocalDate.parse("2024-01-02").toEpochDay();

  static SymbolSeries series(String ticker, int start, double... closes) {
    SymbolSeries s = SymbolSeries.empty(ticker, ticker, start, closes.length);
    for (int k = 0; k < closes.length; k++) {
      s.set(k, new double[] {closes[k], closes[k], closes[k], closes[k], 10, 1}, 1 + k);
    }
    return s;
  }

  @Test
  void pathsOfABucket() {
    assertThat(StateFiles.bucketPath("/out/_state/stocks_daily/v3", "stocks_daily/12"),
        is("/out/_state/stocks_daily/v3/bucket-12.bin"));
    assertThat(StateFiles.historyDir("/out/_state/stocks_daily/v3"), is("/out/_state/stocks_daily/history"));
    assertThat(StateFiles.version("/out/_state/stocks_daily/v12"), is(12));
    assertThat(StateFiles.segmentPath("/h", 4, "stocks_daily/7"), is("/h/v4-bucket-7.bin"));
  }

  @Test
  void aBucketWithoutStateHasNoEntries() throws IOException {
    assertThat(StateFiles.readBucket(null, "stocks_daily/0"), empty());
    assertThat(StateFiles.readBucket(tmp.toString(), "stocks_daily/0"), empty());
  }

  @Test
  void aBucketReadsBackWhatWasWritten() throws IOException {
    SeriesState.Entry e = new SeriesState.Entry(1, series("AAPL", 2, 10, 11), new double[] {0.5});
    Files.write(tmp.resolve("bucket-3.bin"), SeriesState.encode(List.of(e)));
    List<SeriesState.Entry> back = StateFiles.readBucket(tmp.toString(), "stocks_daily/3");
    assertThat(back.size(), is(1));
    assertThat(back.get(0).origin, is(1));
    assertThat(back.get(0).tail.start, is(2));
    assertThat(Arrays.toString(back.get(0).tail.close), is("[10.0, 11.0]"));
    assertThat(Arrays.toString(back.get(0).carry), is("[0.5]"));
    // Another bucket's file is not this one's.
    assertThat(StateFiles.readBucket(tmp.toString(), "stocks_daily/33"), empty());
  }

  @Test
  void aTruncatedBucketFileFailsNamingIt() throws IOException {
    byte[] bytes = SeriesState.encode(List.of(new SeriesState.Entry(2, series("AAPL", 2, 10, 11), new double[0])));
    Path f = tmp.resolve("bucket-3.bin");
    Files.write(f, Arrays.copyOf(bytes, bytes.length - 3));
    IOException e = assertThrows(IOException.class, () -> StateFiles.readBucket(tmp.toString(), "stocks_daily/3"));
    assertThat(e.getMessage(), containsString("state file " + f + " is unreadable"));
  }

  @Test
  void historyReplaysTheSegmentsUpToTheVersionOldestFirst() throws IOException {
    String history = StateFiles.historyDir(tmp.resolve("v3").toString());
    long[] calendar = {D0, D0 + 1, D0 + 2};
    boolean[] all = {true, true, true};
    String day1 = LocalDate.ofEpochDay(D0 + 1).toString();
    // v1 holds two sessions, v2 republishes the second, v3 (a run not committed) adds the third.
    StateFiles.writeSegment(history, 1, "stocks_daily/5", SeriesHistory.encode(
        List.of(LocalDate.ofEpochDay(D0).toString(), day1), List.of(SeriesHistory.Bars.of(series("X", 0, 1, 2), calendar, all))));
    StateFiles.writeSegment(history, 2, "stocks_daily/5", SeriesHistory.encode(
        List.of(day1), List.of(SeriesHistory.Bars.of(series("X", 1, 20), calendar, all))));
    StateFiles.writeSegment(history, 3, "stocks_daily/5", SeriesHistory.encode(
        List.of(LocalDate.ofEpochDay(D0 + 2).toString()), List.of(SeriesHistory.Bars.of(series("X", 2, 30), calendar, all))));
    // Another bucket's segment is not read.
    StateFiles.writeSegment(history, 2, "stocks_daily/55", new byte[] {1, 2, 3});
    List<SeriesState.Entry> upTo2 = StateFiles.readHistory(history, 2, "stocks_daily/5", calendar);
    assertThat(Arrays.toString(upTo2.get(0).tail.close), is("[1.0, 20.0]"));
    List<SeriesState.Entry> upTo3 = StateFiles.readHistory(history, 3, "stocks_daily/5", calendar);
    assertThat(Arrays.toString(upTo3.get(0).tail.close), is("[1.0, 20.0, 30.0]"));
    try (Stream<Path> s = Files.list(Path.of(history))) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()),
          is(List.of("v1-bucket-5.bin", "v2-bucket-5.bin", "v2-bucket-55.bin", "v3-bucket-5.bin")));
    }
  }

  @Test
  void aDamagedSegmentFailsNamingIt() throws IOException {
    String history = tmp.resolve("history").toString();
    long[] calendar = {D0};
    byte[] good = SeriesHistory.encode(List.of(LocalDate.ofEpochDay(D0).toString()),
        List.of(SeriesHistory.Bars.of(series("X", 0, 1), calendar, new boolean[] {true})));
    StateFiles.writeSegment(history, 1, "stocks_daily/0", good);
    StateFiles.writeSegment(history, 2, "stocks_daily/0", Arrays.copyOf(good, good.length - 1));
    IOException e = assertThrows(IOException.class, () -> StateFiles.readHistory(history, 2, "stocks_daily/0", calendar));
    assertThat(e.getMessage(), containsString("history segment " + history + "/v2-bucket-0.bin is unreadable"));
    // Up to version 1 the damaged segment is not read.
    assertThat(StateFiles.readHistory(history, 1, "stocks_daily/0", calendar).size(), is(1));
  }
}
