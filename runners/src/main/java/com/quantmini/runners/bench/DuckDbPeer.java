package com.quantmini.runners.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.StringJoiner;

/**
 * The peer we compare against: DuckDB (in-process, JDBC, {@code threads=2}) doing the same jobs on the same flat
 * files. Each method times only its SQL, inside this process; the connection and the native library are opened by
 * the constructor, outside any timing.
 */
public final class DuckDbPeer implements AutoCloseable {
  /** Explicit column types, so DuckDB does no type sniffing (volume is fractional in places, so DOUBLE). */
  static final String COLUMNS = "{'ticker': 'VARCHAR', 'volume': 'DOUBLE', 'open': 'DOUBLE', 'close': 'DOUBLE', "
      + "'high': 'DOUBLE', 'low': 'DOUBLE', 'window_start': 'BIGINT', 'transactions': 'BIGINT'}";
  static final int[] WINDOWS = {5, 10, 20, 30, 60};

  /** One timed DuckDB job. */
  public record Timing(String job, long rows, int files, double seconds) {
    public double rowsPerSecond() {
      return seconds > 0 ? rows / seconds : 0;
    }
  }

  private final Connection connection;

  public DuckDbPeer(int threads) throws SQLException {
    connection = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement st = connection.createStatement()) {
      st.execute("SET threads=" + threads);
      st.execute("SET preserve_insertion_order=false");
      st.execute("SELECT 1");
    }
  }

  /** (a) CSV.GZ → Parquet (zstd), one COPY per input file, written as {@code outDir/YYYY-MM-DD.parquet}. */
  public Timing copyPerFile(List<Path> inputs, Path outDir) throws SQLException {
    long start = System.nanoTime();
    long rows = 0;
    try (Statement st = connection.createStatement()) {
      for (Path in : inputs) {
        String session = in.getFileName().toString().replace(".csv.gz", "");
        rows += count(st, "COPY (SELECT * FROM " + readCsv(List.of(in), false) + ") TO "
            + quote(outDir.resolve(session + ".parquet")) + " (FORMAT parquet, COMPRESSION zstd)");
      }
    }
    return new Timing("copy per file", rows, inputs.size(), seconds(start));
  }

  /**
   * (a) CSV.GZ → Parquet (zstd), one COPY over all inputs with {@code PARTITION_BY (session)}: the same one Parquet
   * per session (Hive layout {@code session=YYYY-MM-DD/}), but DuckDB may read several gzip files at once.
   */
  public Timing copyPartitioned(List<Path> inputs, Path outDir) throws SQLException {
    long start = System.nanoTime();
    long rows;
    try (Statement st = connection.createStatement()) {
      rows = count(st, "COPY (SELECT ticker, volume, open, close, high, low, window_start, transactions, "
          + sessionFromFilename() + " AS session FROM " + readCsv(inputs, true) + ") TO " + quote(outDir)
          + " (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (session), OVERWRITE_OR_IGNORE)");
    }
    return new Timing("copy partitioned", rows, inputs.size(), seconds(start));
  }

  /**
   * (b) An Alpha158-sized feature job on daily bars: 30 rolling statistics × windows 5/10/20/30/60 (150 columns),
   * window functions partitioned by ticker, ordered by session, written as Parquet by year/month.
   */
  public Timing rollingFeatures(List<Path> dailyInputs, Path outDir) throws SQLException {
    long start = System.nanoTime();
    long rows;
    try (Statement st = connection.createStatement()) {
      rows = count(st, rollingFeaturesSql(dailyInputs, outDir));
    }
    return new Timing("rolling features 30x5", rows, dailyInputs.size(), seconds(start));
  }

  static String rollingFeaturesSql(List<Path> inputs, Path outDir) {
    StringBuilder select = new StringBuilder();
    StringJoiner windows = new StringJoiner(", ", " WINDOW ", "");
    for (int n : WINDOWS) {
      String w = "w" + n;
      windows.add(w + " AS (PARTITION BY ticker ORDER BY session ROWS BETWEEN " + (n - 1)
          + " PRECEDING AND CURRENT ROW)");
      for (String[] f : rollingStatistics()) {
        select.append(", ").append(f[1].replace("$w", w)).append(" AS ").append(f[0]).append(n);
      }
    }
    return "COPY (WITH bars AS (SELECT ticker, volume, open, close, high, low, transactions, CAST("
        + sessionFromFilename() + " AS DATE) AS session FROM " + readCsv(inputs, true) + "), "
        + "r AS (SELECT *, close / lag(close) OVER (PARTITION BY ticker ORDER BY session) - 1 AS ret, "
        + "ln(volume + 1) AS lv, high - low AS hl, "
        + "row_number() OVER (PARTITION BY ticker ORDER BY session) AS idx FROM bars) "
        + "SELECT ticker, session, year(session) AS year, month(session) AS month" + select + " FROM r" + windows
        + ") TO " + quote(outDir) + " (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month), "
        + "OVERWRITE_OR_IGNORE)";
  }

  /** The 30 statistics, each {name, SQL over window $w}. */
  static String[][] rollingStatistics() {
    return new String[][] {
        {"close_mean", "avg(close) OVER $w"}, {"close_std", "stddev_samp(close) OVER $w"},
        {"close_max", "max(close) OVER $w"}, {"close_min", "min(close) OVER $w"},
        {"open_mean", "avg(open) OVER $w"},
        {"high_max", "max(high) OVER $w"}, {"high_mean", "avg(high) OVER $w"},
        {"low_min", "min(low) OVER $w"}, {"low_mean", "avg(low) OVER $w"},
        {"vol_mean", "avg(volume) OVER $w"}, {"vol_std", "stddev_samp(volume) OVER $w"},
        {"vol_max", "max(volume) OVER $w"}, {"vol_min", "min(volume) OVER $w"}, {"vol_sum", "sum(volume) OVER $w"},
        {"ret_mean", "avg(ret) OVER $w"}, {"ret_std", "stddev_samp(ret) OVER $w"},
        {"ret_max", "max(ret) OVER $w"}, {"ret_min", "min(ret) OVER $w"}, {"ret_abs_sum", "sum(abs(ret)) OVER $w"},
        {"up_days", "sum(CASE WHEN ret > 0 THEN 1 ELSE 0 END) OVER $w"},
        {"down_days", "sum(CASE WHEN ret < 0 THEN 1 ELSE 0 END) OVER $w"},
        {"hl_mean", "avg(hl) OVER $w"}, {"hl_std", "stddev_samp(hl) OVER $w"},
        {"vwap", "sum(close * volume) OVER $w / nullif(sum(volume) OVER $w, 0)"},
        {"tx_mean", "avg(transactions) OVER $w"}, {"tx_std", "stddev_samp(transactions) OVER $w"},
        {"lv_mean", "avg(lv) OVER $w"}, {"lv_std", "stddev_samp(lv) OVER $w"},
        {"corr_close_lv", "corr(close, lv) OVER $w"}, {"beta", "regr_slope(close, idx) OVER $w"},
    };
  }

  private static String readCsv(List<Path> inputs, boolean withFilename) {
    StringJoiner files = new StringJoiner(", ", "[", "]");
    for (Path p : inputs) {
      files.add(quote(p));
    }
    return "read_csv(" + files + ", header = true, compression = 'gzip', columns = " + COLUMNS
        + (withFilename ? ", filename = true" : "") + ")";
  }

  private static String sessionFromFilename() {
    return "regexp_extract(filename, '(\\d{4}-\\d{2}-\\d{2})\\.csv\\.gz$', 1)";
  }

  private static String quote(Path p) {
    return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
  }

  /** Runs a COPY and returns the row count DuckDB reports for it. */
  private static long count(Statement st, String sql) throws SQLException {
    if (st.execute(sql)) {
      try (ResultSet rs = st.getResultSet()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
    return Math.max(0, st.getUpdateCount());
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
