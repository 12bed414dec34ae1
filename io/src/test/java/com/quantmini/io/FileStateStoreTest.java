package com.quantmini.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.quantmini.transforms.SymbolSeries;
import com.quantmini.transforms.model.BucketKey;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.SeriesHistory;
import com.quantmini.transforms.model.SeriesState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state store on files: what one run saves is what the next reads, by version, and nothing else. */
class FileStateStoreTest {
  @TempDir
  Path tmp;

  private static final long D0 = LocalDate.parse("2024-01-02").toEpochDay();
  private static final BucketKey B3 = BucketKey.parse("stocks_daily/3");
  private static final BucketKey B5 = BucketKey.parse("stocks_daily/5");

  static SymbolSeries series(String ticker, int start, double... closes) {
    SymbolSeries s = SymbolSeries.empty(ticker, ticker, start, closes.length);
    for (int k = 0; k < closes.length; k++) {
      s.set(k, new double[] {closes[k], closes[k], closes[k], closes[k], 10, 1}, 1 + k);
    }
    return s;
  }

  private FileStateStore at(int committed) {
    return new FileStateStore(tmp.toString(), Map.of("stocks_daily", committed, "stocks_minute", committed));
  }

  @Test
  void aFirstRunHasNoTailsAndNoCalendar() throws IOException {
    assertThat(at(0).tails(B3), empty());
    assertThat(at(0).calendar("stocks_daily").length, is(0));
    assertThat(at(0).runDir("stocks_daily"), is(tmp + "/_state/stocks_daily/v1"));
  }

  @Test
  void theNextVersionReadsWhatThisOneSaved() throws IOException {
    SeriesState.Entry e = new SeriesState.Entry(1, series("AAPL", 2, 10, 11), new double[] {0.5});
    FileStateStore run1 = at(0);
    run1.saveTails(B3, List.of(e));
    run1.saveCalendar(Dataset.stocks_daily, new long[] {D0, D0 + 1, D0 + 2});
    assertThat(Files.exists(tmp.resolve("_state/stocks_daily/v1/bucket-3.bin")), is(true));
    assertThat(FileStateStore.savedIn(run1.runDir("stocks_daily")), is(true));
    assertThat(FileStateStore.savedIn(run1.runDir("stocks_minute")), is(false));
    // The run that saved reads the committed version, not its own.
    assertThat(run1.tails(B3), empty());

    FileStateStore run2 = at(1);
    List<SeriesState.Entry> back = run2.tails(B3);
    assertThat(back.size(), is(1));
    assertThat(back.get(0).origin, is(1));
    assertThat(back.get(0).tail.start, is(2));
    assertThat(Arrays.toString(back.get(0).tail.close), is("[10.0, 11.0]"));
    assertThat(Arrays.toString(back.get(0).carry), is("[0.5]"));
    assertArrayEquals(new long[] {D0, D0 + 1, D0 + 2}, run2.calendar("stocks_daily"));
    // Another bucket, or the same number of another dataset, is not this one.
    assertThat(run2.tails(BucketKey.parse("stocks_daily/33")), empty());
    assertThat(run2.tails(BucketKey.parse("stocks_minute/3")), empty());
  }

  @Test
  void aTruncatedTailFileFailsNamingIt() throws IOException {
    at(0).saveTails(B3, List.of(new SeriesState.Entry(2, series("AAPL", 2, 10, 11), new double[0])));
    Path f = tmp.resolve("_state/stocks_daily/v1/bucket-3.bin");
    byte[] bytes = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(bytes, bytes.length - 3));
    IOException e = assertThrows(IOException.class, () -> at(1).tails(B3));
    assertThat(e.getMessage(), containsString("state file " + f + " is unreadable"));
  }

  @Test
  void aMissingCalendarOfACommittedVersionFailsNamingIt() {
    IOException e = assertThrows(IOException.class, () -> at(2).calendar("stocks_daily"));
    assertThat(e.getMessage(), containsString("state calendar missing: " + tmp + "/_state/stocks_daily/v2/calendar.bin"));
  }

  @Test
  void historyReplaysTheCommittedSegmentsOldestFirst() throws IOException {
    long[] calendar = {D0, D0 + 1, D0 + 2};
    boolean[] all = {true, true, true};
    String day1 = LocalDate.ofEpochDay(D0 + 1).toString();
    // v1 holds two sessions, v2 republishes the second, v3 (a run not committed) adds the third.
    at(0).saveSegment(B5, SeriesHistory.encode(List.of(LocalDate.ofEpochDay(D0).toString(), day1),
        List.of(SeriesHistory.Bars.of(series("X", 0, 1, 2), calendar, all))));
    at(1).saveSegment(B5, SeriesHistory.encode(List.of(day1),
        List.of(SeriesHistory.Bars.of(series("X", 1, 20), calendar, all))));
    at(2).saveSegment(B5, SeriesHistory.encode(List.of(LocalDate.ofEpochDay(D0 + 2).toString()),
        List.of(SeriesHistory.Bars.of(series("X", 2, 30), calendar, all))));
    at(1).saveSegment(BucketKey.parse("stocks_daily/55"), new byte[] {1, 2, 3}); // another bucket's: not read
    assertThat(Arrays.toString(at(2).history(B5, calendar).get(0).tail.close), is("[1.0, 20.0]"));
    assertThat(Arrays.toString(at(3).history(B5, calendar).get(0).tail.close), is("[1.0, 20.0, 30.0]"));
    try (Stream<Path> s = Files.list(tmp.resolve("_state/stocks_daily/history"))) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()),
          is(List.of("v1-bucket-5.bin", "v2-bucket-5.bin", "v2-bucket-55.bin", "v3-bucket-5.bin")));
    }
    // Minute data keeps no history; a first run has none to replay.
    assertThat(at(1).keepsHistory(Dataset.stocks_minute), is(false));
    assertThrows(IllegalStateException.class, () -> at(0).history(B5, calendar));
  }

  @Test
  void aDamagedSegmentFailsNamingIt() throws IOException {
    long[] calendar = {D0};
    byte[] good = SeriesHistory.encode(List.of(LocalDate.ofEpochDay(D0).toString()),
        List.of(SeriesHistory.Bars.of(series("X", 0, 1), calendar, new boolean[] {true})));
    at(0).saveSegment(B3, good);
    at(1).saveSegment(B3, Arrays.copyOf(good, good.length - 1));
    IOException e = assertThrows(IOException.class, () -> at(2).history(B3, calendar));
    assertThat(e.getMessage(), containsString("history segment " + tmp + "/_state/stocks_daily/history/v2-bucket-3.bin"
        + " is unreadable"));
    assertThat(at(1).history(B3, calendar).size(), is(1)); // version 1 does not read the damaged one
  }

  @Test
  void leftoversOfAKilledRunAreCleared() throws IOException {
    long[] calendar = {D0};
    byte[] segment = SeriesHistory.encode(List.of(LocalDate.ofEpochDay(D0).toString()),
        List.of(SeriesHistory.Bars.of(series("X", 0, 1), calendar, new boolean[] {true})));
    for (int v = 0; v < 3; v++) { // versions 1..3 saved; the manifest names 2
      at(v).saveTails(B3, List.of());
      at(v).saveCalendar(Dataset.stocks_daily, calendar);
      at(v).saveSegment(B3, segment);
    }
    at(2).clearLeftovers("stocks_daily");
    try (Stream<Path> s = Files.list(tmp.resolve("_state/stocks_daily"))) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()),
          is(List.of("history", "v2")));
    }
    try (Stream<Path> s = Files.list(tmp.resolve("_state/stocks_daily/history"))) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()),
          is(List.of("v1-bucket-3.bin", "v2-bucket-3.bin")));
    }
  }
}
