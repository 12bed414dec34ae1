package com.quantmini.runners.bench;

import com.quantmini.io.AtomicFiles;
import com.quantmini.io.BarParquet;
import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.SessionFeatures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Times the Parquet write step alone, on one generated stocks-minute session held in memory
 * (FlatFileGenerator, 5 000 tickers ≈ 2.1 M rows): the row-wise writer this project used before and
 * {@link BarParquet}'s column writer, alternately, then the column writer at several zstd levels and
 * row-group sizes. Prints medians (CPU and wall seconds, rows per CPU second, file MB, row groups)
 * and whether both writers' files hold the same bytes and rows.
 *
 * <pre>
 * java -Xmx4g -cp runners/target/quantmini.jar com.quantmini.runners.bench.ParquetWriteBench \
 *   [--work=/tmp/parquet-bench] [--tickers=5000] [--reps=5] [--levels=1,2,3,6,9] [--rowGroupMb=32,64,128] \
 *   [--features=20] [--sweepReps=3]
 * </pre>
 */
public final class ParquetWriteBench {
  private static final String SESSION = "2024-01-02";

  private interface Writer {
    void write(SessionFeatures rows, Path file, long rowGroupBytes, int level) throws IOException;
  }

  private static final Writer ROW_WISE = (rows, file, rg, level) ->
      RowWiseParquet.write(rows, AtomicFiles.resource(file.toString()), rg, level);
  private static final Writer BY_COLUMN = (rows, file, rg, level) ->
      BarParquet.write(rows, AtomicFiles.resource(file.toString()), rg, level);

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final List<Double> WALL = new ArrayList<>();

  private ParquetWriteBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> kv = new HashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      kv.put(a.substring(2, eq), a.substring(eq + 1));
    }
    Path work = Path.of(kv.getOrDefault("work", "/tmp/parquet-bench"));
    int tickers = Integer.parseInt(kv.getOrDefault("tickers", "5000"));
    int reps = Integer.parseInt(kv.getOrDefault("reps", "5"));
    int sweepReps = Integer.parseInt(kv.getOrDefault("sweepReps", "3"));
    int features = Integer.parseInt(kv.getOrDefault("features", "20"));
    int[] levels = ints(kv.getOrDefault("levels", "1,2,3,6,9"));
    int[] groupsMb = ints(kv.getOrDefault("rowGroupMb", "32,64,128"));

    LocalDate day = LocalDate.parse(SESSION);
    FlatFileGenerator.Generated flat = FlatFileGenerator.cached(
        new FlatFileGenerator.Spec(FlatDataset.STOCKS_MINUTE, day, day, tickers, 42L), work, 2);
    BarBlock block = read(flat.file(day));
    SessionFeatures bronze = new SessionFeatures(block, List.of(), List.of(), new float[0][], new double[0][]);
    SessionFeatures silver = withFeatures(block, features);
    Path out = Files.createDirectories(work.resolve("out"));
    System.out.printf("session %s: %,d rows, %d tickers; silver adds %d feature columns%n",
        SESSION, block.size(), tickers, features);

    int level = BarParquet.DEFAULT_ZSTD_LEVEL;
    System.out.printf("%nrow-wise vs by-column, zstd %d, %d writes each (alternating), medians%n", level, reps);
    System.out.println("| file | writer | CPU s | M rows/CPU s | wall s | MB | row groups |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (String layer : List.of("bronze", "silver", "bronze-4MB")) {
      SessionFeatures rows = layer.equals("silver") ? silver : bronze;
      long rg = layer.endsWith("4MB") ? 4L << 20 : 32L << 20;
      Path oldFile = out.resolve(layer + "-row-wise.parquet");
      Path newFile = out.resolve(layer + "-by-column.parquet");
      ROW_WISE.write(rows, oldFile, rg, level); // warm-up
      BY_COLUMN.write(rows, newFile, rg, level);
      double[] oldS = new double[reps];
      double[] newS = new double[reps];
      int first = WALL.size();
      for (int r = 0; r < reps; r++) {
        oldS[r] = time(ROW_WISE, rows, oldFile, rg, level);
        newS[r] = time(BY_COLUMN, rows, newFile, rg, level);
      }
      row(layer, "row-wise", median(oldS), median(walls(first, 2, reps)), block.size(), oldFile);
      row(layer, "by column", median(newS), median(walls(first + 1, 2, reps)), block.size(), newFile);
      System.out.printf("<!-- %s: same bytes %s, same rows in order %s -->%n", layer,
          Arrays.equals(Files.readAllBytes(oldFile), Files.readAllBytes(newFile)), sameRows(oldFile, newFile));
    }

    System.out.printf("%nby-column bronze: zstd level × row group, %d writes each, medians%n", sweepReps);
    System.out.println("| zstd | row group MB | CPU s | M rows/CPU s | wall s | MB | row groups |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (int mb : groupsMb) {
      for (int l : levels) {
        Path f = out.resolve("sweep.parquet");
        double[] s = new double[sweepReps];
        int first = WALL.size();
        for (int r = 0; r < sweepReps; r++) {
          s[r] = time(BY_COLUMN, bronze, f, (long) mb << 20, l);
        }
        row(Integer.toString(l), Integer.toString(mb), median(s), median(walls(first, 1, sweepReps)), block.size(), f);
      }
    }
  }

  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  /** Seconds of this thread's CPU (the writers compress on the calling thread); wall time varies with the load. */
  private static double time(Writer w, SessionFeatures rows, Path f, long rg, int level) throws IOException {
    Files.deleteIfExists(f);
    long t0 = System.nanoTime();
    long c0 = THREADS.getCurrentThreadCpuTime();
    w.write(rows, f, rg, level);
    long cpu = THREADS.getCurrentThreadCpuTime() - c0;
    WALL.add((System.nanoTime() - t0) / 1e9);
    return cpu / 1e9;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /** One table line: CPU seconds (median), rows per CPU second, wall seconds (median), file size, row groups. */
  private static void row(String a, String b, double cpuSeconds, double wallSeconds, int rows, Path f)
      throws IOException, SQLException {
    System.out.printf("| %s | %s | %.2f | %.2f | %.2f | %.1f | %s |%n", a, b, cpuSeconds, rows / cpuSeconds / 1e6,
        wallSeconds, Files.size(f) / 1e6,
        query("SELECT count(DISTINCT row_group_id) FROM parquet_metadata('" + f + "')"));
  }

  private static double[] walls(int from, int step, int count) {
    double[] w = new double[count];
    for (int i = 0; i < count; i++) {
      w[i] = WALL.get(from + i * step);
    }
    return w;
  }

  private static boolean sameRows(Path a, Path b) throws SQLException {
    String sql = "SELECT count(*) FROM (SELECT row_number() OVER () AS n, * FROM read_parquet('%s')"
        + " EXCEPT SELECT row_number() OVER () AS n, * FROM read_parquet('%s'))";
    return query(String.format(sql, a, b)).equals("0") && query(String.format(sql, b, a)).equals("0");
  }

  private static String query(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getString(1);
    }
  }

  /** The generated file as one block, rows in file order (ticker, then time), tickers shared per run. */
  private static BarBlock read(Path csvGz) throws IOException {
    BarBlock.Builder b = BarBlock.builder(FlatDataset.STOCKS_MINUTE.optionName(), csvGz.getFileName().toString(),
        SESSION, 1 << 20);
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(csvGz), 1 << 16), StandardCharsets.US_ASCII))) {
      String header = in.readLine();
      if (!FlatDataset.HEADER.equals(header)) {
        throw new IOException("unexpected header " + header);
      }
      String prev = "";
      int line = 1;
      for (String l = in.readLine(); l != null; l = in.readLine()) {
        String[] f = l.split(",", -1);
        String t = f[0].equals(prev) ? prev : f[0];
        prev = t;
        b.add(t, Long.parseLong(f[6]), Double.parseDouble(f[2]), Double.parseDouble(f[4]),
            Double.parseDouble(f[5]), Double.parseDouble(f[3]), Double.parseDouble(f[1]),
            f[7].isEmpty() ? BarBlock.NO_VALUE : Long.parseLong(f[7]), ++line);
      }
    }
    return b.build();
  }

  /**
   * Silver-like rows: float returns over 1..n bars and double log volumes, NaN where the window
   * crosses to another ticker (written as null).
   */
  private static SessionFeatures withFeatures(BarBlock b, int n) {
    int floatsN = n - n / 4;
    int doublesN = n / 4;
    List<String> fn = new ArrayList<>();
    List<String> dn = new ArrayList<>();
    float[][] fl = new float[floatsN][b.size()];
    double[][] db = new double[doublesN][b.size()];
    for (int k = 0; k < floatsN; k++) {
      fn.add("ret" + (k + 1));
      for (int i = 0; i < b.size(); i++) {
        int j = i - k - 1;
        fl[k][i] = j >= 0 && b.ticker(j).equals(b.ticker(i)) ? (float) (b.close(i) / b.close(j) - 1) : Float.NaN;
      }
    }
    for (int k = 0; k < doublesN; k++) {
      dn.add("logvol" + (k + 1));
      for (int i = 0; i < b.size(); i++) {
        int j = i - k;
        db[k][i] = j >= 0 && b.ticker(j).equals(b.ticker(i)) ? Math.log(b.volume(j)) : Double.NaN;
      }
    }
    return new SessionFeatures(b, fn, dn, fl, db);
  }
}
