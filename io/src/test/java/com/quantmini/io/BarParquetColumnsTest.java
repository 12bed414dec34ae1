package com.quantmini.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import com.quantmini.transforms.OptionsTicker;
import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.SessionFeatures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The column writer read back by DuckDB: every value of every row equals the block's arrays, across
 * pages (20 000 rows) and row groups, with the types the row-wise writer gave.
 */
class BarParquetColumnsTest {
  @TempDir static Path tmp;

  private static final long T = 1_704_205_800_000_000_000L; // 2024-01-02 09:30 New York
  private static final List<String> BRONZE_TYPES = List.of("ticker|VARCHAR", "session_date|DATE",
      "window_start|TIMESTAMPTZ_NS", "open|DOUBLE", "high|DOUBLE", "low|DOUBLE", "close|DOUBLE",
      "volume|DOUBLE", "transactions|BIGINT");
  private static final List<String> OPTION_TYPES = List.of("underlying|VARCHAR", "expiration|DATE",
      "contract_type|VARCHAR", "strike|DOUBLE");

  static SessionFeatures daily;
  static SessionFeatures minute;
  static SessionFeatures options;
  static SessionFeatures silver;

  @BeforeAll
  static void writeFiles() throws Exception {
    daily = bronze(bars("stocks_daily", 40, 1, 11));
    minute = bronze(bars("stocks_minute", 55_000, 250, 12));
    options = bronze(bars("options_minute", 23_000, 400, 13));
    silver = features(bars("stocks_minute", 45_000, 150, 14));
    write(daily, "daily", 1 << 20);
    write(minute, "minute", 256 << 10); // small row groups: several per file
    write(options, "options", 1 << 20);
    write(silver, "silver", 1 << 20);
  }

  private static SessionFeatures bronze(BarBlock b) {
    return new SessionFeatures(b, List.of(), List.of(), new float[0][], new double[0][]);
  }

  private static void write(SessionFeatures rows, String name, long rowGroupBytes) throws Exception {
    BarParquet.write(rows, AtomicFiles.resource(file(name)), rowGroupBytes);
  }

  private static String file(String name) {
    return tmp.resolve(name + ".parquet").toString();
  }

  /** Rows sorted by ticker then minute, as sessions are; about one in seven has no transactions. */
  private static BarBlock bars(String dataset, int n, int tickers, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    BarBlock.Builder b = BarBlock.builder(dataset, "src/" + dataset + ".csv.gz", "2024-01-02", n);
    int perTicker = (n + tickers - 1) / tickers;
    String ticker = null;
    for (int i = 0; i < n; i++) {
      if (i % perTicker == 0) {
        int k = i / perTicker;
        ticker = dataset.startsWith("options")
            ? String.format("O:%s%s24%02d%02d%s%08d", (char) ('A' + k % 26), k % 3 == 0 ? "1" : "",
                1 + k % 12, 1 + k % 28, k % 2 == 0 ? "C" : "P", 500 + 2_500 * k)
            : String.format("T%04d%s", k, k % 5 == 0 ? ".WS" : "");
      }
      double close = Math.round(r.nextDouble(0.01, 900) * 10_000) / 10_000.0;
      b.add(ticker, T + (i % perTicker) * 60_000_000_000L + r.nextInt(3), close + 0.01, close + 0.02,
          close - 0.01, close, Math.floor(r.nextDouble(1, 1e7)) + (i % 3 == 0 ? 0.5 : 0),
          r.nextInt(7) == 0 ? BarBlock.NO_VALUE : r.nextLong(1, 1L << 40), i + 2);
    }
    return b.build();
  }

  /** Two float and two double features with NaN (null), +inf and -inf among ordinary values. */
  private static SessionFeatures features(BarBlock b) {
    SplittableRandom r = new SplittableRandom(15);
    float[][] f = new float[2][b.size()];
    double[][] d = new double[2][b.size()];
    for (int i = 0; i < b.size(); i++) {
      for (int c = 0; c < 2; c++) {
        f[c][i] = special(r, i + c, (float) r.nextDouble(-1, 1));
        d[c][i] = special(r, i + 2 * c, r.nextDouble(-1e6, 1e6));
      }
    }
    return new SessionFeatures(b, List.of("f_a", "f_b"), List.of("d_a", "d_b"), f, d);
  }

  private static float special(SplittableRandom r, int i, float v) {
    return (float) special(r, i, (double) v);
  }

  private static double special(SplittableRandom r, int i, double v) {
    return switch (i % 11) {
      case 0 -> Double.NaN;
      case 3 -> Double.POSITIVE_INFINITY;
      case 7 -> Double.NEGATIVE_INFINITY;
      default -> v;
    };
  }



  private static List<String> types(String name) throws SQLException {
    return BarParquetTest.query("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('" + file(name) + "'))");
  }

  /** Reads the file in file order and checks every column against the block (doubles by their bits). */
  private static void assertRowsEqual(String name, SessionFeatures rows) throws SQLException {
    BarBlock b = rows.rows();
    boolean opt = b.datasetEnum().isOptions();
    int day = (int) LocalDate.parse(b.session()).toEpochDay();
    String sql = "SELECT ticker, session_date - DATE '1970-01-01', epoch_ns(window_start), open, high, low, close,"
        + " volume, transactions" + (opt ? ", underlying, expiration - DATE '1970-01-01', contract_type, strike" : "")
        + String.join("", rows.floatNames().stream().map(f -> ", " + f).toList())
        + String.join("", rows.doubleNames().stream().map(f -> ", " + f).toList())
        + " FROM read_parquet('" + file(name) + "')";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      int i = 0;
      while (r.next()) {
        String at = name + " row " + i;
        assertThat(at, r.getString(1), equalTo(b.ticker(i)));
        assertThat(at, r.getInt(2), equalTo(day));
        assertThat(at, r.getLong(3), equalTo(b.windowStart(i)));
        double[] bars = {b.open(i), b.high(i), b.low(i), b.close(i), b.volume(i)};
        for (int k = 0; k < bars.length; k++) {
          assertThat(at, Double.doubleToLongBits(r.getDouble(4 + k)), equalTo(Double.doubleToLongBits(bars[k])));
        }
        long tx = r.getLong(9);
        assertThat(at, r.wasNull() ? BarBlock.NO_VALUE : tx, equalTo(b.transactions(i)));
        int col = 10;
        if (opt) {
          OptionsTicker t = OptionsTicker.parse(b.ticker(i));
          assertThat(at, r.getString(col++), equalTo(t.underlying()));
          assertThat(at, r.getLong(col++), equalTo(t.expiration().toEpochDay()));
          assertThat(at, r.getString(col++), equalTo(t.contractType()));
          assertThat(at, r.getDouble(col++), equalTo(t.strike()));
        }
        for (float[] f : rows.floats()) {
          float v = r.getFloat(col++);
          assertThat(at, r.wasNull() ? Float.NaN : v, equalTo(f[i]));
        }
        for (double[] d : rows.doubles()) {
          double v = r.getDouble(col++);
          assertThat(at, r.wasNull() ? Double.NaN : v, equalTo(d[i]));
        }
        i++;
      }
      assertThat(name + " rows", i, equalTo(b.size()));
    }
  }

  @Test
  void columnNamesAreTheSchemasNamesForEveryDataset() {
    for (Dataset ds : Dataset.values()) {
      List<String> floats = List.of("f_a");
      List<String> doubles = List.of("d_a", "d_b");
      List<String> schemaNames = BarParquet.schema(ds, floats, doubles).getFields().stream().map(Type::getName)
          .collect(Collectors.toList());
      assertThat(ds.name(), BarParquet.columnNames(ds, floats, doubles), equalTo(schemaNames));
      assertThat(BarParquet.columnNames(ds, List.of(), List.of()).size(), equalTo(ds.isOptions() ? 13 : 9));
    }
  }

  @Test
  void stocksDailyReadsBackValueForValue() throws Exception {
    assertThat(types("daily"), equalTo(BRONZE_TYPES));
    assertRowsEqual("daily", daily);
  }

  @Test
  void stocksMinuteReadsBackAcrossPagesAndRowGroups() throws Exception {
    assertThat(types("minute"), equalTo(BRONZE_TYPES));
    assertRowsEqual("minute", minute);
    String f = file("minute");
    assertThat(Integer.parseInt(BarParquetTest.query("SELECT count(DISTINCT row_group_id) FROM parquet_metadata('" + f + "')")
        .get(0)), greaterThan(1));
    // every row group but the last is cut just under the asked 256 KB of buffered bytes (here all
    // in open pages, uncompressed: a group smaller than a page, as the row-wise writer measured it)
    assertThat(BarParquetTest.query("SELECT min(s) > 0.75 * 262144, max(s) <= 262144 FROM (SELECT row_group_id,"
        + " sum(total_uncompressed_size) s FROM parquet_metadata('" + f + "') GROUP BY row_group_id)"
        + " WHERE row_group_id < (SELECT max(row_group_id) FROM parquet_metadata('" + f + "'))"),
        contains("true|true"));
  }

  @Test
  void optionsReadBackWithTheContractColumns() throws Exception {
    List<String> expected = new ArrayList<>(BRONZE_TYPES);
    expected.addAll(OPTION_TYPES);
    assertThat(types("options"), equalTo(expected));
    assertRowsEqual("options", options);
  }

  @Test
  void silverKeepsInfinitiesAndWritesNanAsNull() throws Exception {
    List<String> expected = new ArrayList<>(BRONZE_TYPES);
    expected.addAll(List.of("f_a|FLOAT", "f_b|FLOAT", "d_a|DOUBLE", "d_b|DOUBLE"));
    assertThat(types("silver"), equalTo(expected));
    assertRowsEqual("silver", silver);
    assertThat(BarParquetTest.query("SELECT count(*) FILTER (WHERE f_a IS NULL), count(*) FILTER (WHERE f_a = 'inf'::FLOAT),"
            + " count(*) FILTER (WHERE d_b = '-inf'::DOUBLE), count(*) FILTER (WHERE transactions IS NULL) > 0"
            + " FROM read_parquet('" + file("silver") + "')"),
        contains("4091|4091|4091|true"));
  }

  @Test
  void keepsTheEncodingsCompressionAndSourceMetadata() throws Exception {
    String f = file("options");
    assertThat(BarParquetTest.query("SELECT DISTINCT path_in_schema, compression, encodings LIKE '%DICTIONARY%'"
            + " FROM parquet_metadata('" + f + "') ORDER BY 1"),
        contains("close|ZSTD|false", "contract_type|ZSTD|true", "expiration|ZSTD|false", "high|ZSTD|false",
            "low|ZSTD|false", "open|ZSTD|false", "session_date|ZSTD|false", "strike|ZSTD|false",
            "ticker|ZSTD|true", "transactions|ZSTD|false", "underlying|ZSTD|true", "volume|ZSTD|false",
            "window_start|ZSTD|false"));
    assertThat(BarParquetTest.query("SELECT decode(key), decode(value) FROM parquet_kv_metadata('" + f + "')"),
        contains("quantmini.source|src/options_minute.csv.gz"));
  }
}
