package com.quantmini.runners;

import com.quantmini.io.lake.MonthCompaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Compares two output roots of QuantMini: every Qlib, state and quarantine file byte for byte
 * (the manifest and the staged Qlib target up to what names the run or the source), the same
 * set of Parquet files, and each Parquet table's rows as multisets through DuckDB ({@code EXCEPT
 * ALL} both ways), since Parquet bytes may differ in writer metadata. Returns what differs, so a
 * failing check says where. {@code java -cp quantmini.jar com.quantmini.runners.CompareOutputs
 * EXPECTED ACTUAL} prints the differences and exits 1 if there are any (runners/flink-e2e.sh).
 */
public final class CompareOutputs {
  private CompareOutputs() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: CompareOutputs EXPECTED_OUTPUT_ROOT ACTUAL_OUTPUT_ROOT");
      System.exit(2);
    }
    Path expected = Paths.get(args[0]);
    Path actual = Paths.get(args[1]);
    List<String> diffs = differences(expected, actual);
    diffs.forEach(System.out::println);
    System.out.printf("compared %d files (%d Parquet rows) of %s with %s: %s%n", files(expected).size(),
        parquetRows(expected), actual, expected, diffs.isEmpty() ? "identical" : diffs.size() + " difference(s)");
    System.exit(diffs.isEmpty() ? 0 : 1);
  }

  public static List<String> differences(Path expected, Path actual) throws IOException, SQLException {
    List<String> diffs = new ArrayList<>();
    TreeSet<String> exp = files(expected);
    TreeSet<String> act = files(actual);
    if (exp.isEmpty()) {
      diffs.add("the reference output " + expected + " is empty");
    }
    for (String f : exp) {
      if (!act.contains(f)) {
        diffs.add("missing: " + f);
      }
    }
    for (String f : act) {
      if (!exp.contains(f)) {
        diffs.add("extra: " + f);
      }
    }
    for (String f : exp) {
      if (!act.contains(f) || f.endsWith(".parquet")) {
        continue;
      }
      if (!Arrays.equals(comparable(f, expected.resolve(f)), comparable(f, actual.resolve(f)))) {
        diffs.add("bytes differ: " + f);
      }
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      for (String table : tables(exp)) {
        // Kept events say where and when they were fetched: provenance, not content.
        String columns = table.endsWith("/corporate_actions") ? "* EXCLUDE (source, fetched_at)" : "*";
        String a = "(SELECT " + columns + " FROM read_parquet('" + expected.resolve(table) + "/**/*.parquet'))";
        String b = "(SELECT " + columns + " FROM read_parquet('" + actual.resolve(table) + "/**/*.parquet'))";
        long onlyExpected = count(c, "SELECT * FROM " + a + " EXCEPT ALL SELECT * FROM " + b);
        long onlyActual = count(c, "SELECT * FROM " + b + " EXCEPT ALL SELECT * FROM " + a);
        if (onlyExpected + onlyActual > 0) {
          diffs.add(table + ": " + onlyExpected + " row(s) only in the reference, " + onlyActual + " only in the run");
        }
      }
    }
    return diffs;
  }

  /**
   * A file's bytes as compared: the manifest without its etag and processed_at columns (an S3
   * etag differs from a local folder's CRC, and times differ by run), and the staged Qlib target
   * without the output root it names.
   */
  private static byte[] comparable(String name, Path file) throws IOException {
    if (name.startsWith("_manifest/") && name.endsWith(".tsv")) {
      StringBuilder b = new StringBuilder();
      for (String line : Files.readAllLines(file)) {
        String[] cols = line.split("\t", -1);
        if (cols.length == 7) {
          cols = new String[] {cols[0], cols[1], cols[3], cols[4], cols[5]};
        }
        b.append(String.join("\t", cols)).append('\n');
      }
      return b.toString().getBytes(StandardCharsets.UTF_8);
    }
    if (name.endsWith("/qlib.target")) {
      String t = Files.readString(file).trim();
      return (t.substring(0, t.indexOf(' ')) + " " + Paths.get(t.substring(t.indexOf(' ') + 1)).getFileName())
          .getBytes(StandardCharsets.UTF_8);
    }
    return Files.readAllBytes(file);
  }

  /** Rows of every Parquet table (bronze/<dataset>, silver/<table>) under an output root. */
  public static long parquetRows(Path root) throws IOException, SQLException {
    long rows = 0;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      for (String table : tables(files(root))) {
        rows += count(c, "SELECT * FROM read_parquet('" + root.resolve(table) + "/**/*.parquet')");
      }
    }
    return rows;
  }

  /** Relative paths of all output files under root, '/'-separated (not the listing's cache). */
  public static TreeSet<String> files(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return new TreeSet<>();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .filter(f -> !f.startsWith("_cache/")) // the listing's checksum cache depends on the input's file times
          .filter(f -> !f.startsWith("_runs/") && !f.startsWith("report/")) // run times and durations differ by run
          // Month files are copies of the session files (compared as tables) that record file times and inodes.
          .filter(f -> !f.startsWith(MonthCompaction.DIR + "/"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static TreeSet<String> tables(TreeSet<String> files) {
    TreeSet<String> tables = new TreeSet<>();
    for (String f : files) {
      String[] parts = f.split("/");
      if (f.endsWith(".parquet") && parts.length > 2) {
        tables.add(parts[0] + "/" + parts[1]);
      }
    }
    return tables;
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM (" + sql + ")")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
