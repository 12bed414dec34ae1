package com.quantmini.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.quantmini.io.RunPlan;
import com.quantmini.options.QuantMiniOptions;
import com.quantmini.transforms.QlibNames;
import com.quantmini.transforms.features.Alpha158;
import com.quantmini.transforms.features.BlackScholes;
import com.quantmini.transforms.model.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real graph over testdata/flatfiles once (TestPipeline, Direct runner with its checks
 * on) and checks the bronze lake through DuckDB, the quarantine and the Qlib files through a
 * reader written from the spec. Expected figures are those of testdata/README.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndTest {
  private Path work;
  private Path out;

  static Path testdata() {
    String dir = System.getProperty("testdata.dir", "../testdata");
    return Paths.get(dir).toAbsolutePath().normalize();
  }

  @BeforeAll
  void runPipelineOnce(@TempDir Path dir) throws IOException {
    work = dir;
    out = work.resolve("out");
    QuantMiniOptions o = PipelineOptionsFactory.fromArgs(
            "--input=" + testdata().resolve("flatfiles"), "--output=" + out, "--symbolBuckets=4")
        .as(QuantMiniOptions.class);
    TestPipeline p = TestPipeline.fromOptions(o).enableAbandonedNodeEnforcement(false);
    RunPlan plan = QuantMiniPipeline.plan(o);
    QuantMiniPipeline.build(p, o, plan);
    p.run().waitUntilFinish(); // its last step commits the run
  }

  static List<List<Object>> query(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<List<Object>> rows = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  private String bronze(String dataset) {
    return "read_parquet('" + out.resolve("bronze/" + dataset) + "/*/*/*.parquet')";
  }

  @Test
  void bronzeHoldsEveryGoodRowOfEveryDataset() throws SQLException {
    assertThat(query("SELECT count(*) FROM " + bronze("stocks_daily")).get(0).get(0), is(67L));
    assertThat(query("SELECT count(*) FROM " + bronze("stocks_minute")).get(0).get(0), is(32L));
    assertThat(query("SELECT count(*) FROM " + bronze("options_daily")).get(0).get(0), is(8L));
    assertThat(query("SELECT count(*) FROM " + bronze("options_minute")).get(0).get(0), is(16L));
  }

  @Test
  void bronzeKeepsValuesLosslessAndTyped() throws SQLException {
    List<List<Object>> r = query("SELECT volume, transactions FROM " + bronze("stocks_daily")
        + " WHERE ticker = 'AAPL' AND session_date = DATE '2024-01-03'");
    assertThat(r.get(0).get(0), is(58414460.7));
    assertThat(query("SELECT volume FROM " + bronze("stocks_daily")
        + " WHERE ticker = 'PNNY' AND session_date = DATE '2024-01-08'").get(0).get(0), is(3012345678.0));
    assertThat(query("SELECT transactions FROM " + bronze("stocks_daily")
        + " WHERE ticker = 'CON' AND session_date = DATE '2024-01-08'").get(0).get(0), nullValue());
    List<List<Object>> types = query("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM "
        + bronze("stocks_daily") + ")");
    Map<String, String> byName = new TreeMap<>();
    types.forEach(t -> byName.put((String) t.get(0), (String) t.get(1)));
    assertThat(byName.get("session_date"), is("DATE"));
    assertThat(byName.get("window_start"), is("TIMESTAMPTZ_NS")); // TIMESTAMP(NANOS, adjusted to UTC)
    assertThat(byName.get("close"), is("DOUBLE"));
    assertThat(byName.get("volume"), is("DOUBLE"));
    assertThat(byName.get("transactions"), is("BIGINT"));
  }

  @Test
  void caseVariantsStayDistinctAndRowsAreSortedByTickerThenTime() throws SQLException {
    List<Object> tickers = query("SELECT DISTINCT ticker FROM " + bronze("stocks_daily")
        + " WHERE upper(ticker) = 'ADSW' ORDER BY ticker").stream().map(r -> r.get(0)).collect(Collectors.toList());
    assertThat(tickers, contains("ADSW", "ADSw"));
    Path file = out.resolve("bronze/stocks_minute/year=2024/month=01/2024-01-04.parquet");
    List<List<Object>> inFileOrder = query("SELECT ticker, epoch_ns(window_start) FROM read_parquet('" + file + "')");
    List<List<Object>> sorted = query("SELECT ticker, epoch_ns(window_start) FROM read_parquet('" + file
        + "') ORDER BY ticker, window_start");
    assertThat(inFileOrder, equalTo(sorted));
  }

  @Test
  void optionsRowsCarryTheContractParsedFromTheRight() throws SQLException {
    List<List<Object>> r = query("SELECT DISTINCT underlying, CAST(expiration AS VARCHAR), contract_type, strike FROM "
        + bronze("options_daily") + " WHERE ticker = 'O:SDS1240119C00030000'");
    assertThat(r.get(0), contains("SDS1", "2024-01-19", "call", 30.0));
  }

  @Test
  void quarantineHasOneRecordPerRejectedRowWithFileLineAndReason() throws IOException {
    Map<String, Integer> reasons = new TreeMap<>();
    List<String> lines;
    try (Stream<Path> files = Files.walk(out.resolve("quarantine"))) {
      lines = files.filter(f -> f.toString().endsWith(".jsonl")).flatMap(f -> {
        try {
          return Files.readAllLines(f).stream();
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      }).collect(Collectors.toList());
    }
    for (String l : lines) {
      String reason = l.replaceAll(".*\"reason\":\"([A-Z_]+)\".*", "$1");
      reasons.merge(reason, 1, Integer::sum);
    }
    assertThat(reasons, equalTo(new TreeMap<>(Map.ofEntries(
        Map.entry("BAD_NUMBER", 1), Map.entry("BAD_TICKER", 3), Map.entry("DUPLICATE_CONFLICT", 2),
        Map.entry("EMPTY_FIELD", 1), Map.entry("HIGH_BELOW_LOW", 1), Map.entry("NEGATIVE_PRICE", 1),
        Map.entry("NEGATIVE_VOLUME", 1), Map.entry("NOT_FINITE", 2), Map.entry("OPEN_CLOSE_OUTSIDE_RANGE", 1),
        Map.entry("WRONG_COLUMN_COUNT", 1), Map.entry("WRONG_SESSION", 5), Map.entry("BAD_OPTIONS_TICKER", 4)))));
    assertThat(lines.stream().filter(l -> l.contains("\"raw\":\"BRK/B,")).count(), is(1L));
    assertThat(lines.stream().allMatch(l -> l.matches("\\{\"dataset\":\"[a-z_]+\",\"source\":\"us_[a-z_]+/[a-z_0-9]+/\\d{4}/\\d{2}/\\d{4}-\\d{2}-\\d{2}\\.csv\\.gz\",.*\"line\":\\d+,.*")), is(true));
  }

  @Test
  void qlibDailyFilesAlignEveryValueWithItsCalendarSlot() throws IOException, SQLException {
    QlibReader q = new QlibReader(out.resolve("qlib/stocks_daily"), "day");
    assertThat(q.calendar, contains("2023-03-28", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05",
        "2024-01-08", "2024-01-09"));
    Map<String, String[]> inst = q.instruments();
    assertThat(inst.get("IPOX"), equalTo(new String[] {"2024-01-04", "2024-01-09"}));
    assertThat(inst, hasKey("ADS_W"));
    assertThat(inst, hasKey("ADSW"));
    // Late listing: the header is the first bar's slot, no padding before it.
    assertThat(q.headerSlot("ipox", "close.day.bin"), is(3));
    // Gap: NaN for the sessions MSFT lacks, values around them where they belong.
    Map<String, Float> msft = q.series("msft", "close.day.bin");
    assertThat(Float.isNaN(msft.get("2024-01-04")) && Float.isNaN(msft.get("2024-01-05")), is(true));
    assertThat(msft.keySet(), contains("2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09"));
    // CON lives in Qlib's reserved-name directory.
    assertThat(Files.exists(out.resolve("qlib/stocks_daily/features/_qlib_con/close.day.bin")), is(true));
    assertThat(Files.exists(out.resolve("qlib/stocks_daily/features/con")), is(false));
    // Every value equals the bronze (source) value adjusted by its factor and cast to float32, at
    // its session's slot; the factor is 1 for every symbol but ADSW (testdata/README.md).
    for (List<Object> r : query("SELECT ticker, CAST(session_date AS VARCHAR), open, high, low, close, volume FROM "
        + bronze("stocks_daily"))) {
      String dir = QlibNames.directory(QlibNames.instrument((String) r.get(0), Dataset.stocks_daily));
      double f = r.get(0).equals("ADSW") ? adswFactor((String) r.get(1)) : 1.0;
      String[] fields = {"open", "high", "low", "close", "volume"};
      for (int k = 0; k < fields.length; k++) {
        double raw = (Double) r.get(2 + k);
        float expected = (float) (k == 4 ? raw / f : raw * f);
        assertThat(r.get(0) + " " + fields[k] + " " + r.get(1),
            q.series(dir, fields[k] + ".day.bin").get((String) r.get(1)), is(expected));
      }
      assertThat(r.get(0) + " factor " + r.get(1), q.series(dir, "factor.day.bin").get((String) r.get(1)),
          is((float) f));
    }
  }

  /** ADSW's factor by hand: 1:4 split executed 2024-01-05, 0.10 USD ex 2024-01-09 (P = raw close of 01-08). */
  private double adswFactor(String session) throws SQLException {
    if (session.compareTo("2024-01-05") < 0) {
      return 1.0;
    }
    if (session.compareTo("2024-01-09") < 0) {
      return 4.0;
    }
    double p = rawClose("ADSW", "2024-01-08");
    return 4.0 * (p / (p - 0.10));
  }

  private double rawClose(String ticker, String session) throws SQLException {
    return (Double) query("SELECT close FROM " + bronze("stocks_daily") + " WHERE ticker = '" + ticker
        + "' AND session_date = DATE '" + session + "'").get(0).get(0);
  }

  @Test
  void aSplitAndADividendGiveContinuousAdjustedClosesFactorAndChange() throws IOException, SQLException {
    QlibReader q = new QlibReader(out.resolve("qlib/stocks_daily"), "day");
    Map<String, Float> close = q.series("adsw", "close.day.bin");
    Map<String, Float> change = q.series("adsw", "change.day.bin");
    List<String> sessions = List.of("2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09");
    double prev = Double.NaN;
    for (String s : sessions) {
      double adj = rawClose("ADSW", s) * adswFactor(s);
      assertThat(s, close.get(s), is((float) adj));
      float expectedChange = (float) (adj / prev - 1);
      assertThat(s, change.get(s), is(expectedChange)); // NaN at the first bar
      prev = adj;
    }
    // The split day is an ordinary day: the raw close drops 75 %, the adjusted one moves < 1 %.
    assertThat(rawClose("ADSW", "2024-01-05") / rawClose("ADSW", "2024-01-04") < 0.26, is(true));
    assertThat(Math.abs(change.get("2024-01-05")) < 0.01f, is(true));
    // Bronze keeps the traded prices; Qlib's close / factor gives them back.
    assertThat(rawClose("ADSW", "2024-01-05"), is(10.35));
    assertThat((double) (q.series("adsw", "close.day.bin").get("2024-01-05")
        / q.series("adsw", "factor.day.bin").get("2024-01-05")), closeTo(10.35, 1e-5));
    // A symbol without events: factor 1, change from the raw closes.
    assertThat(q.series("aapl", "factor.day.bin").get("2024-01-03"), is(1.0f));
    assertThat(q.series("aapl", "change.day.bin").get("2024-01-03"),
        is((float) (rawClose("AAPL", "2024-01-03") / rawClose("AAPL", "2024-01-02") - 1)));
    // adj_* are silver's names, not Qlib fields.
    assertThat(Files.exists(out.resolve("qlib/stocks_daily/features/adsw/adj_close.day.bin")), is(false));
  }

  @Test
  void silverAlpha158IsComputedFromTheAdjustedFieldsQlibReads() throws IOException, SQLException {
    QlibReader q = new QlibReader(out.resolve("qlib/stocks_daily"), "day");
    List<String> names = Alpha158.NAMES;
    for (String ticker : List.of("ADSW", "AAPL", "IPOX", "MSFT")) {
      String dir = ticker.toLowerCase(Locale.ROOT);
      float[][] f = new float[5][];
      String[] fields = {"open", "high", "low", "close", "volume"};
      for (int k = 0; k < 5; k++) {
        f[k] = q.values(dir, fields[k] + ".day.bin");
      }
      float[][] expected = Alpha158.compute(f[0], f[1], f[2], f[3], f[4], null);
      int start = q.headerSlot(dir, "close.day.bin");
      List<List<Object>> rows = query("SELECT CAST(session_date AS VARCHAR), " + String.join(", ", names)
          + " FROM read_parquet('" + out.resolve("silver/stocks_daily") + "/*/*/*.parquet') WHERE ticker = '"
          + ticker + "'");
      assertThat(rows.isEmpty(), is(false));
      for (List<Object> r : rows) {
        int k = q.calendar.indexOf((String) r.get(0)) - start;
        for (int a = 0; a < names.size(); a++) {
          float got = r.get(a + 1) == null ? Float.NaN : ((Number) r.get(a + 1)).floatValue();
          assertThat(ticker + " " + names.get(a) + " " + r.get(0), Float.floatToIntBits(got),
              is(Float.floatToIntBits(expected[a][k])));
        }
      }
      // By default Qlib computes Alpha158 itself: no bins for it (--qlibFields=all writes them).
      assertThat(Files.exists(out.resolve("qlib/stocks_daily/features/" + dir + "/kmid.day.bin")), is(false));
      assertThat(Files.exists(out.resolve("qlib/stocks_daily/features/" + dir + "/factor.day.bin")), is(true));
    }
  }

  @Test
  void silverKeepsRawBarsAndAddsTheFactorAndAdjustedFields() throws SQLException {
    List<List<Object>> r = query("SELECT close, factor, adj_close, volume, adj_volume, change FROM read_parquet('"
        + out.resolve("silver/stocks_daily") + "/*/*/*.parquet') WHERE ticker = 'ADSW' AND session_date = DATE '2024-01-09'");
    double f = adswFactor("2024-01-09");
    assertThat(r.get(0).get(0), is(rawClose("ADSW", "2024-01-09")));
    assertThat(r.get(0).get(1), is(f));
    assertThat(r.get(0).get(2), is(rawClose("ADSW", "2024-01-09") * f));
    assertThat(r.get(0).get(4), is((Double) r.get(0).get(3) / f));
    assertThat(r.get(0).get(5), is(rawClose("ADSW", "2024-01-09") * f / (rawClose("ADSW", "2024-01-08") * 4.0) - 1));
    // Options are never adjusted: no factor column.
    assertThat(query("SELECT count(*) FROM (DESCRIBE SELECT * FROM read_parquet('" + out.resolve("silver/options_daily")
        + "/*/*/*.parquet')) WHERE column_name = 'factor'").get(0).get(0), is(0L));
  }

  @Test
  void theEventsAreKeptInTheLakeWithTheirSource() throws SQLException {
    List<List<Object>> r = query("SELECT kind, ticker, CAST(date AS VARCHAR), applied, source FROM read_parquet('"
        + out.resolve("bronze/corporate_actions/stocks_daily.parquet") + "') ORDER BY ticker, kind, id");
    assertThat(r.size(), is(5));
    assertThat(r.get(0), contains("dividend", "ADSW", "2024-01-09", true, testdata().resolve("flatfiles/corporate_actions").toString()));
    assertThat(r.get(1).subList(0, 4), contains("split", "ADSW", "2024-01-05", true));
    assertThat(r.get(2).subList(0, 4), contains("split", "ADSW", "2024-01-05", true));
    assertThat(r.get(3).subList(0, 4), contains("dividend", "IPOX", "2024-01-04", true));
    assertThat(r.get(4).subList(0, 4), contains("split", "NOBAR", "2024-01-03", true));
  }

  @Test
  void qlibMinuteCalendarIsNewYorkLocalTimeAndSpansCarryTheLastBar() throws IOException {
    QlibReader q = new QlibReader(out.resolve("qlib/stocks_minute"), "1min");
    assertThat(q.calendar.get(0), is("2024-01-04 04:00:00"));
    assertThat(q.calendar.get(q.calendar.size() - 1), is("2024-01-05 19:59:00"));
    assertThat(q.instruments().get("SDS")[1], is("2024-01-05 15:59:00"));
    Map<String, Float> sds = q.series("sds", "close.1min.bin");
    assertThat(Float.isNaN(sds.get("2024-01-04 09:31:00")), is(true));
  }

  @Test
  void silverCarriesAlpha158AndSeedFeaturesForEveryBronzeRow() throws SQLException, IOException {
    assertThat(query("SELECT count(*) FROM read_parquet('" + out.resolve("silver/stocks_daily") + "/*/*/*.parquet')")
        .get(0).get(0), is(67L));
    List<List<Object>> r = query("SELECT open, close, KMID, returns_1d, VWAP0 FROM read_parquet('"
        + out.resolve("silver/stocks_daily") + "/*/*/*.parquet') WHERE ticker = 'AAPL' AND session_date = DATE '2024-01-03'");
    double open = (Double) r.get(0).get(0);
    double close = (Double) r.get(0).get(1);
    // KMID = ($close-$open)/$open in float32, as Qlib computes it.
    assertThat(((Number) r.get(0).get(2)).floatValue(), is(((float) close - (float) open) / (float) open));
    double prevClose = (Double) query("SELECT close FROM " + bronze("stocks_daily")
        + " WHERE ticker = 'AAPL' AND session_date = DATE '2024-01-02'").get(0).get(0);
    assertThat(r.get(0).get(3), is(Math.log(close / prevClose)));
    assertThat(r.get(0).get(4), nullValue()); // no vwap in flat files: VWAP0 is missing, never faked
    assertThat(Files.exists(out.resolve("qlib/stocks_daily/features/aapl/rsi_14.day.bin")), is(true));
  }

  @Test
  void optionsSilverHasMoneynessFromTheUnderlyingCloseAndAPutCallTable() throws SQLException {
    List<List<Object>> r = query("SELECT moneyness, days_to_expiry FROM read_parquet('"
        + out.resolve("silver/options_daily") + "/*/*/*.parquet') WHERE ticker = 'O:SPY240119C00470000'"
        + " AND session_date = DATE '2024-01-03'");
    double spyClose = (Double) query("SELECT close FROM " + bronze("stocks_daily")
        + " WHERE ticker = 'SPY' AND session_date = DATE '2024-01-03'").get(0).get(0);
    assertThat(r.get(0).get(0), is(470.0 / spyClose));
    assertThat(r.get(0).get(1), is(16.0));
    List<List<Object>> pc = query("SELECT put_volume, call_volume, put_call_ratio FROM read_parquet('"
        + out.resolve("silver/options_daily_underlying") + "/*/*/*.parquet') WHERE underlying = 'SPY'"
        + " AND session_date = DATE '2024-01-03'");
    assertThat(pc.get(0).get(2), is((Double) pc.get(0).get(0) / (Double) pc.get(0).get(1)));
  }

  @Test
  void optionsCarryImpliedVolatilityAndGreeksFromTheUnderlyingClose() throws SQLException, IOException {
    String silver = "read_parquet('" + out.resolve("silver/options_daily") + "/*/*/*.parquet')";
    List<List<Object>> r = query("SELECT close, implied_vol, delta, gamma, theta, vega FROM " + silver
        + " WHERE ticker = 'O:SPY240119C00470000' AND session_date = DATE '2024-01-03'");
    double price = (Double) r.get(0).get(0);
    double iv = (Double) r.get(0).get(1);
    double spot = rawClose("SPY", "2024-01-03");
    double t = 16 / 365.0; // expires 2024-01-19 at the close
    // The model at that volatility gives back the traded price (r = 0.04, q = 0 by default).
    assertThat(BlackScholes.price(true, spot, 470, t, 0.04, 0, iv),
        closeTo(price, 1e-8));
    double[] g = BlackScholes.greeks(true, spot, 470, t, 0.04, 0, iv);
    for (int i = 0; i < 4; i++) {
      assertThat(r.get(0).get(2 + i), is(g[i]));
    }
    assertThat(iv > 0.05 && iv < 1, is(true));
    // SDS1 (an adjusted root) has no stock bars: no underlying close, so no implied volatility.
    assertThat(query("SELECT implied_vol FROM " + silver + " WHERE ticker = 'O:SDS1240119C00030000'"
        + " AND session_date = DATE '2024-01-03'").get(0).get(0), nullValue());
    QlibReader q = new QlibReader(out.resolve("qlib/options_daily"), "day");
    assertThat(q.series("spy240119c00470000", "implied_vol.day.bin").get("2024-01-03"), is((float) iv));
    // Minute contracts take the underlying's close of the same minute: 09:30 has one, 10:00 none.
    String minute = "read_parquet('" + out.resolve("silver/options_minute") + "/*/*/*.parquet')";
    double spyMinute = (Double) query("SELECT close FROM " + bronze("stocks_minute") + " WHERE ticker = 'SPY'"
        + " AND epoch_ns(window_start) = 1704378600000000000").get(0).get(0);
    List<List<Object>> m = query("SELECT close, implied_vol FROM " + minute + " WHERE ticker = 'O:SPY240119C00470000'"
        + " AND epoch_ns(window_start) = 1704378600000000000");
    assertThat(BlackScholes.price(true, spyMinute, 470, 15 / 365.0, 0.04, 0,
        (Double) m.get(0).get(1)), closeTo((Double) m.get(0).get(0), 1e-8));
    assertThat(query("SELECT implied_vol FROM " + minute + " WHERE ticker = 'O:SPY240119P00470000'"
        + " AND epoch_ns(window_start) = 1704380400000000000").get(0).get(0), nullValue());
  }

  @Test
  void noTempFilesAreLeftBehind() throws IOException {
    try (Stream<Path> files = Files.walk(out)) {
      assertThat(files.filter(f -> f.getFileName().toString().startsWith("_tmp-")).collect(Collectors.toList()), empty());
    }
  }

  @Test
  void rejectedFilesWriteNothingAndTheRunExitsNonZero() throws IOException {
    Path badOut = work.resolve("bad-out");
    int exit = QuantMini.run("run", "--input=" + testdata().resolve("bad-files"), "--output=" + badOut,
        "--targetParallelism=2");
    assertThat(exit, is(1));
    assertThat(Files.exists(badOut.resolve("bronze")), is(false));
    List<String> q = new ArrayList<>();
    for (String s : List.of("2024-01-10", "2024-01-11")) {
      q.addAll(Files.readAllLines(badOut.resolve("quarantine/stocks_daily/year=2024/month=01/" + s + ".jsonl")));
    }
    assertThat(q.stream().map(l -> l.replaceAll(".*\"reason\":\"([A-Z_]+)\".*", "$1")).collect(Collectors.toList()),
        containsInAnyOrder("CORRUPT_GZIP", "MISSING_COLUMN"));
    assertThat(q, not(empty()));
  }
}
