package com.quantmini.runners.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlatFileGeneratorTest {
  // 2024-03-27 .. 2024-04-02 spans Good Friday (03-29) and a weekend; 03-08 .. 03-12 spans the DST switch (03-10).
  private static final LocalDate GOOD_FRIDAY_WEEK_FROM = LocalDate.of(2024, 3, 27);
  private static final LocalDate GOOD_FRIDAY_WEEK_TO = LocalDate.of(2024, 4, 2);

  @TempDir Path tmp;

  @Test
  void sameSeedGivesSameBytesAndOtherSeedDiffers() throws IOException {
    for (FlatDataset dataset : FlatDataset.values()) {
      FlatFileGenerator.Spec spec = spec(dataset, LocalDate.of(2024, 3, 8), LocalDate.of(2024, 3, 12), 7);
      FlatFileGenerator.Generated a = FlatFileGenerator.of(spec).writeTo(tmp.resolve(dataset + "-a"), 1);
      FlatFileGenerator.Generated b = FlatFileGenerator.of(spec).writeTo(tmp.resolve(dataset + "-b"), 2);
      FlatFileGenerator.Generated c = FlatFileGenerator.of(
          new FlatFileGenerator.Spec(dataset, spec.from(), spec.to(), spec.tickers(), 8)).writeTo(tmp.resolve(dataset + "-c"), 1);
      assertThat(a.rows(), greaterThan(0L));
      assertThat(b.rows(), is(a.rows()));
      for (LocalDate s : a.sessions()) {
        assertThat(dataset + " " + s, Files.readAllBytes(b.file(s)), equalTo(Files.readAllBytes(a.file(s))));
        assertThat(dataset + " " + s, Files.readAllBytes(c.file(s)), not(equalTo(Files.readAllBytes(a.file(s)))));
      }
    }
  }

  @Test
  void writesOneObjectPerNyseSessionUnderTheDatasetPrefix() throws IOException {
    FlatFileGenerator.Generated g = FlatFileGenerator.of(
        spec(FlatDataset.STOCKS_DAILY, GOOD_FRIDAY_WEEK_FROM, GOOD_FRIDAY_WEEK_TO, 10)).writeTo(tmp, 2);
    List<String> keys;
    try (Stream<Path> files = Files.walk(tmp)) {
      keys = files.filter(Files::isRegularFile).map(p -> tmp.relativize(p).toString().replace('\\', '/'))
          .sorted().collect(Collectors.toList());
    }
    assertThat(keys, contains(
        "us_stocks_sip/day_aggs_v1/2024/03/2024-03-27.csv.gz",
        "us_stocks_sip/day_aggs_v1/2024/03/2024-03-28.csv.gz",
        "us_stocks_sip/day_aggs_v1/2024/04/2024-04-01.csv.gz",
        "us_stocks_sip/day_aggs_v1/2024/04/2024-04-02.csv.gz"));
    assertThat(g.sessions(), hasSize(4));
  }

  @Test
  void stocksDailyRowsAreValidSortedAndStampedAtNewYorkMidnight() throws IOException {
    FlatFileGenerator.Generated g = FlatFileGenerator.of(
        spec(FlatDataset.STOCKS_DAILY, LocalDate.of(2024, 3, 8), LocalDate.of(2024, 3, 12), 400)).writeTo(tmp, 2);
    long rows = 0;
    boolean sawFractional = false;
    boolean sawHugeVolume = false;
    boolean sawZeroVolume = false;
    for (LocalDate session : g.sessions()) {
      List<Bar> bars = readBars(g.file(session));
      rows += bars.size();
      long midnight = session.atStartOfDay(FlatFileGenerator.NEW_YORK).toEpochSecond() * 1_000_000_000L;
      for (Bar b : bars) {
        assertValidOhlc(b);
        assertThat(b.line, b.windowStart, is(midnight));
        assertThat(b.ticker, matchesPattern("[A-Z]{1,5}(\\.[AB])?w?"));
        sawFractional |= b.volume != Math.rint(b.volume);
        sawHugeVolume |= b.volume > Integer.MAX_VALUE;
        sawZeroVolume |= b.volume == 0;
      }
      assertSortedByTickerThenTime(bars);
    }
    assertThat(rows, is(g.rows()));
    assertThat("fractional volume", sawFractional, is(true));
    assertThat("volume above 2^31", sawHugeVolume, is(true));
    assertThat("zero-volume bar", sawZeroVolume, is(true));
  }

  @Test
  void stocksMinuteBarsFallInExtendedHoursOfTheSessionInNewYork() throws IOException {
    // 2024-03-08 is EST (UTC-5), 2024-03-11 is EDT (UTC-4): both must map to 04:00-19:59 local time.
    FlatFileGenerator.Generated g = FlatFileGenerator.of(
        spec(FlatDataset.STOCKS_MINUTE, LocalDate.of(2024, 3, 8), LocalDate.of(2024, 3, 11), 40)).writeTo(tmp, 2);
    assertThat(g.sessions(), contains(LocalDate.of(2024, 3, 8), LocalDate.of(2024, 3, 11)));
    for (LocalDate session : g.sessions()) {
      List<Bar> bars = readBars(g.file(session));
      assertThat(bars.size(), greaterThan(40 * 50));
      for (Bar b : bars) {
        assertValidOhlc(b);
        ZonedDateTime local = newYork(b.windowStart);
        assertThat(b.line, local.toLocalDate(), is(session));
        assertThat(b.line, local.toLocalTime(),
            both(greaterThanOrEqualTo(LocalTime.of(4, 0))).and(lessThanOrEqualTo(LocalTime.of(19, 59))));
        assertThat(b.line, b.windowStart % 60_000_000_000L, is(0L));
      }
      assertSortedByTickerThenTime(bars);
    }
  }

  @Test
  void optionsRowsUseOccTickersAndRegularHours() throws IOException {
    LocalDate session = LocalDate.of(2024, 3, 27);
    FlatFileGenerator.Generated daily = FlatFileGenerator.of(
        spec(FlatDataset.OPTIONS_DAILY, session, session, 3)).writeTo(tmp.resolve("d"), 1);
    FlatFileGenerator.Generated minute = FlatFileGenerator.of(
        spec(FlatDataset.OPTIONS_MINUTE, session, session, 3)).writeTo(tmp.resolve("m"), 1);
    List<Bar> dailyBars = readBars(daily.file(session));
    assertThat(dailyBars.size(), greaterThan(1_000));
    long midnight = session.atStartOfDay(FlatFileGenerator.NEW_YORK).toEpochSecond() * 1_000_000_000L;
    for (Bar b : dailyBars) {
      assertValidOhlc(b);
      assertThat(b.ticker, matchesPattern("O:[A-Z]{1,5}[0-9]?[0-9]{6}[CP][0-9]{8}"));
      assertThat(b.windowStart, is(midnight));
      // Good Friday 2024-03-29 is a holiday: that week's expiry moves to Thursday 03-28.
      assertThat(b.ticker, not(matchesPattern(".*240329[CP].*")));
    }
    assertSortedByTickerThenTime(dailyBars);
    for (Bar b : readBars(minute.file(session))) {
      assertValidOhlc(b);
      LocalTime t = newYork(b.windowStart).toLocalTime();
      assertThat(b.line, t, both(greaterThanOrEqualTo(LocalTime.of(9, 30))).and(lessThanOrEqualTo(LocalTime.of(16, 14))));
    }
  }

  @Test
  void generatedSessionsAreTheNyseCalendars() {
    List<LocalDate> year = new FlatFileGenerator.Spec(FlatDataset.STOCKS_DAILY, LocalDate.of(2024, 1, 1),
        LocalDate.of(2024, 12, 31), 3, 1).sessions();
    assertThat(year, hasSize(252));
    assertThat("Good Friday 2024", year.contains(LocalDate.of(2024, 3, 29)), is(false));
    assertThat(year.get(0), is(LocalDate.of(2024, 1, 2)));
  }

  @Test
  void numbersPrintInShortestForm() {
    CsvBytes b = new CsvBytes(4);
    b.dec(9, 4).ch(',').dec(0.16, 4).ch(',').dec(26.7662, 4).ch(',').dec(62.565, 4).ch(',').dec(0.012345, 6)
        .ch(',').dec(664781.1, 4).ch(',').num(1704171600000000000L).ch(',').num(0);
    assertThat(new String(b.toByteArray(), StandardCharsets.US_ASCII),
        is("9,0.16,26.7662,62.565,0.012345,664781.1,1704171600000000000,0"));
  }

  // ---- helpers

  private static FlatFileGenerator.Spec spec(FlatDataset d, LocalDate from, LocalDate to, int tickers) {
    return new FlatFileGenerator.Spec(d, from, to, tickers, 42);
  }

  private record Bar(String line, String ticker, double volume, double open, double close, double high, double low,
      long windowStart, long transactions) {}

  private static List<Bar> readBars(Path gz) throws IOException {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      in.transferTo(text);
    }
    String[] lines = text.toString(StandardCharsets.US_ASCII).split("\n", -1);
    assertThat(lines[0], is("ticker,volume,open,close,high,low,window_start,transactions"));
    assertThat("file ends with a newline", lines[lines.length - 1], is(""));
    List<Bar> bars = new ArrayList<>();
    for (int i = 1; i < lines.length - 1; i++) {
      String[] f = lines[i].split(",", -1);
      assertThat(lines[i], f.length, is(8));
      bars.add(new Bar(lines[i], f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
          Double.parseDouble(f[4]), Double.parseDouble(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7])));
    }
    return bars;
  }

  private static void assertValidOhlc(Bar b) {
    assertThat(b.line, b.high, greaterThanOrEqualTo(Math.max(b.open, b.close)));
    assertThat(b.line, b.low, lessThanOrEqualTo(Math.min(b.open, b.close)));
    assertThat(b.line, b.low, greaterThan(0.0));
    assertThat(b.line, b.volume, greaterThanOrEqualTo(0.0));
    assertThat(b.line, b.transactions, greaterThanOrEqualTo(0L));
    if (b.volume == 0) {
      assertThat(b.line, List.of(b.open, b.high, b.low), everyItem(is(b.close)));
      assertThat(b.line, b.transactions, is(0L));
    } else {
      assertThat(b.line, b.transactions, greaterThanOrEqualTo(1L));
    }
  }

  private static void assertSortedByTickerThenTime(List<Bar> bars) {
    for (int i = 1; i < bars.size(); i++) {
      Bar p = bars.get(i - 1);
      Bar c = bars.get(i);
      int byTicker = p.ticker.compareTo(c.ticker);
      assertThat(p.line + " / " + c.line, byTicker < 0 || (byTicker == 0 && p.windowStart < c.windowStart), is(true));
    }
  }

  private static ZonedDateTime newYork(long epochNanos) {
    return Instant.ofEpochSecond(0, epochNanos).atZone(FlatFileGenerator.NEW_YORK);
  }
}
