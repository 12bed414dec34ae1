package com.quantmini.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import com.quantmini.transforms.model.BarBlock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BarParquetTest {
  @TempDir Path tmp;

  private static final long T = 1_704_465_000_000_000_000L; // 2024-01-05 09:30 New York
  private static final double SUM = 0.1 + 0.2; // 0.30000000000000004

  private String write(BarBlock b) throws Exception {
    Path f = tmp.resolve("bars.parquet");
    BarParquet.write(b, AtomicFiles.resource(f.toString()), 1 << 20);
    return f.toString();
  }

  /** Runs a query and renders each row as its columns joined by '|'. */
  static List<String> query(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      int n = r.getMetaData().getColumnCount();
      while (r.next()) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          sb.append(i > 1 ? "|" : "").append(r.getString(i));
        }
        rows.add(sb.toString());
      }
    }
    return rows;
  }

  private static BarBlock stocks() {
    return BarBlock.builder("stocks_minute", "src.csv.gz", "2024-01-05", 3)
        .add("AAPL", T, 184.22, 186.4, 180.93, 181.18, 58414460.7, 658341, 2)
        .add("ADSw", T + 60_000_000_000L + 123, SUM, SUM, 0.1, SUM, 3012345678.0, BarBlock.NO_VALUE, 3)
        .build();
  }

  @Test
  void writesTheBronzeStocksSchema() throws Exception {
    String f = write(stocks());
    assertThat(query("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('" + f + "'))"),
        contains("ticker|VARCHAR", "session_date|DATE", "window_start|TIMESTAMPTZ_NS",
            "open|DOUBLE", "high|DOUBLE", "low|DOUBLE", "close|DOUBLE",
            "volume|DOUBLE", "transactions|BIGINT"));
  }

  @Test
  void keepsValuesBitExactAndTransactionsNullable() throws Exception {
    String f = write(stocks());
    assertThat(query("SELECT ticker, session_date, epoch_ns(window_start), open, close, volume,"
            + " transactions, close = 0.1::DOUBLE + 0.2::DOUBLE, volume = 58414460.7::DOUBLE FROM read_parquet('" + f + "')"),
        contains("AAPL|2024-01-05|" + T + "|184.22|181.18|5.84144607E7|658341|false|true",
            "ADSw|2024-01-05|" + (T + 60_000_000_123L) + "|0.30000000000000004|0.30000000000000004|3.012345678E9|null|true|false"));
  }

  @Test
  void storesWindowStartAsRawInt64Nanoseconds() throws Exception {
    String f = write(stocks());
    assertThat(query("SELECT name, type FROM parquet_schema('" + f + "') WHERE name = 'window_start'"),
        contains("window_start|INT64"));
    assertThat(query("SELECT stats_max_value FROM parquet_metadata('" + f + "') WHERE path_in_schema = 'window_start'"),
        contains("2024-01-05 14:31:00.000000123+00"));
  }

  @Test
  void writesOptionsContractColumns() throws Exception {
    BarBlock b = BarBlock.builder("options_daily", "o.csv.gz", "2024-01-03", 2)
        .add("O:SDS1240119C00030000", T, 1.5, 1.5, 1.5, 1.5, 10, 3, 2)
        .add("O:SPY240119P00470500", T, 2.5, 2.5, 2.5, 2.5, 20, 4, 3)
        .build();
    String f = write(b);
    assertThat(query("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('" + f + "'))"
            + " WHERE column_name IN ('underlying','expiration','contract_type','strike')"),
        contains("underlying|VARCHAR", "expiration|DATE", "contract_type|VARCHAR", "strike|DOUBLE"));
    assertThat(query("SELECT ticker, underlying, expiration, contract_type, strike FROM read_parquet('" + f + "')"),
        contains("O:SDS1240119C00030000|SDS1|2024-01-19|call|30.0",
            "O:SPY240119P00470500|SPY|2024-01-19|put|470.5"));
  }
}
