package com.quantmini.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.quantmini.io.lake.LakeFiles;
import com.quantmini.io.lake.LakeQuery;
import com.quantmini.io.lake.LakeValidator;
import com.quantmini.io.lake.MonthCompaction;
import com.quantmini.io.lake.ValidationReport;
import com.quantmini.transforms.model.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Month files ({@link MonthCompaction}) over runs of real stocknet bars: closed months are compacted
 * after each commit and never again while their sessions stay; a query reading them gives exactly
 * what one reading the session files of an output without month files gives; a republished
 * session, or any rewrite of a session file, makes its month stale (never read) until it is
 * rebuilt; and a killed compaction's leftovers are cleared.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonthCompactionTest {
  private final IncrementalTest data = new IncrementalTest();
  private Path tmp;
  /** The first 60 sessions: January and February 2014 closed, March not (its last session is the 31st). */
  private List<String> s;
  /** The same sessions with the 26th (a February day) republished at 1.1 times its prices. */
  private Path republishedInput;
  /** A full run over {@link #republishedInput} without month files: the reference. */
  private Path reference;

  @BeforeAll
  void buildTheReference(@TempDir Path dir) throws IOException {
    tmp = dir;
    data.tmp = tmp;
    data.readStocknet();
    s = data.longSessions.subList(0, 60);
    republishedInput = data.input("republished-in", s,
        (session, rows) -> session.equals(s.get(25)) ? IncrementalTest.scaled(rows, 1.1) : rows);
    reference = tmp.resolve("reference");
    IncrementalTest.run("run", republishedInput, reference, "--compactMonths=false");
  }

  private record Ran(int code, String stdout, String stderr) {}

  private static Ran command(String name, Path output, String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("--output=" + output));
    all.addAll(List.of(args));
    PrintStream out = new PrintStream(o, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(e, true, StandardCharsets.UTF_8);
    int code = name.equals("query") ? LakeQuery.run(all, out, err) : MonthCompaction.run(all, out, err);
    return new Ran(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  /** Every ticker's adjusted bars, factor and some features (silver), or raw bars (bronze). */
  private static Ran query(Path output, boolean raw) {
    Ran r = command("query", output, "--symbols=" + String.join(",", IncrementalTest.TICKERS),
        raw ? "--fields=open,close,volume,transactions" : "--fields=open,close,volume,factor,change,roc5,KMID,STD20",
        "--from=2014-01-01", "--to=2014-12-31", raw ? "--raw" : "--format=csv");
    assertThat(r.stderr, r.code, is(0));
    // Every one of the eight tickers trades in each of the 60 sessions.
    assertThat(r.stdout.split("\n").length, is(1 + 60 * IncrementalTest.TICKERS.size()));
    return r;
  }

  private static Path dir(Path output, String layer) {
    return output.resolve(MonthCompaction.DIR).resolve(layer).resolve("stocks_daily");
  }

  private static List<String> names(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> f = Files.list(dir)) {
      return f.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  /** The data file a month's index names. */
  private static String dataFile(Path output, String layer, String month) throws IOException {
    return Files.readAllLines(dir(output, layer).resolve(month + ".tsv")).stream().filter(l -> l.startsWith("file\t"))
        .findFirst().orElseThrow().substring(5);
  }

  private static long count(String sql) throws Exception {
    return IncrementalTest.scalar("SELECT count(*) FROM (" + sql + ")");
  }

  @Test
  void appendsCompactEachClosedMonthOnceAndQueriesEqualTheSessionFiles() throws Exception {
    Path plain = tmp.resolve("plain");
    Path in = data.input("append-in", s.subList(0, 30), (session, rows) -> rows);
    IncrementalTest.run("run", in, plain);
    // 30 sessions end in mid-February: only January is closed.
    for (String layer : List.of("bronze", "silver")) {
      assertThat(names(dir(plain, layer)).stream().filter(n -> n.endsWith(".tsv")).collect(Collectors.toList()),
          equalTo(List.of("2014-01.tsv")));
    }
    String january = dataFile(plain, "silver", "2014-01");
    data.input("append-in", s.subList(30, 60), (session, rows) -> rows);
    IncrementalTest.run("run", in, plain);
    assertThat(names(dir(plain, "silver")).stream().filter(n -> n.endsWith(".tsv")).collect(Collectors.toList()),
        equalTo(List.of("2014-01.tsv", "2014-02.tsv")));
    assertThat("January's sessions did not change, so its file stays", dataFile(plain, "silver", "2014-01"),
        is(january));

    // The month file holds exactly its sessions' rows, sorted by ticker.
    Path month = dir(plain, "silver").resolve(dataFile(plain, "silver", "2014-02"));
    String sessions = "read_parquet([" + LakeFiles.sessions(plain, "silver", Dataset.stocks_daily,
        LocalDate.parse("2014-02-01"), LocalDate.parse("2014-02-28"), ".parquet").values().stream()
        .map(p -> "'" + p + "'").collect(Collectors.joining(", ")) + "], hive_partitioning = false)";
    String m = "read_parquet('" + month + "')";
    assertThat(count("SELECT * FROM " + m), is(count("SELECT * FROM " + sessions)));
    assertThat(count("SELECT * FROM " + m + " EXCEPT ALL SELECT * FROM " + sessions), is(0L));
    assertThat(count("SELECT * FROM " + sessions + " EXCEPT ALL SELECT * FROM " + m), is(0L));

    // Against an output of the same sessions without month files: the same answer, from two month files.
    Path flat = tmp.resolve("flat");
    IncrementalTest.run("run", data.input("flat-in", s, (session, rows) -> rows), flat, "--compactMonths=false");
    assertThat(Files.exists(flat.resolve(MonthCompaction.DIR)), is(false));
    for (boolean raw : List.of(false, true)) {
      Ran withMonths = query(plain, raw);
      Ran without = query(flat, raw);
      assertThat(withMonths.stderr, containsString("from 20 " + (raw ? "bronze" : "silver")
          + " session file(s) and 2 month file(s)"));
      assertThat(without.stderr, containsString("and 0 month file(s)"));
      assertThat(withMonths.stdout, equalTo(without.stdout));
    }
    // A range inside a month reads its month file, cut to the range.
    Ran part = command("query", plain, "--symbols=AAPL", "--fields=close", "--from=2014-02-05", "--to=2014-02-06");
    assertThat(part.stderr, containsString("and 1 month file(s)"));
    assertThat(part.stdout.split("\n").length, is(3));
  }

  @Test
  void aRepublishedOrRewrittenSessionMakesItsMonthStaleUntilRebuilt() throws Exception {
    Path out = tmp.resolve("republished");
    IncrementalTest.run("run", data.input("original-in", s, (session, rows) -> rows), out);
    String february = dataFile(out, "silver", "2014-02");
    // The provider republishes a February day: the run redoes it (and every later silver session).
    IncrementalTest.run("run", republishedInput, out);
    assertThat(dataFile(out, "silver", "2014-02"), not(february));
    Ran fresh = query(out, false);
    assertThat(fresh.stderr, containsString("and 2 month file(s)"));
    assertThat(fresh.stdout, equalTo(query(reference, false).stdout));

    // Any rewrite of a session file (here AAPL's close doubled by hand) leaves its month unread.
    Path session = LakeFiles.sessions(out, "silver", Dataset.stocks_daily, LocalDate.parse(s.get(30)),
        LocalDate.parse(s.get(30)), ".parquet").firstEntry().getValue();
    Path edited = session.resolveSibling("_edit.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      st.execute("COPY (SELECT * REPLACE (CASE WHEN ticker = 'AAPL' THEN adj_close * 2 ELSE adj_close END AS adj_close)"
          + " FROM read_parquet('" + session + "')) TO '" + edited + "' (FORMAT parquet)");
    }
    Files.move(edited, session, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    String day = "AAPL," + s.get(30) + ",";
    double before = close(fresh.stdout, day);
    Ran stale = query(out, false);
    assertThat(stale.stderr, containsString("and 1 month file(s)"));
    assertThat(close(stale.stdout, day), closeTo(before * 2, before * 1e-6));
    ValidationReport staleReport = validate(out);
    assertThat(staleReport.text(), staleReport.exitCode(), is(0));
    assertThat(staleReport.text(), containsString("month-stale"));

    // A killed compaction's temp file and an unnamed data file are cleared; the stale month is rebuilt.
    Files.writeString(dir(out, "silver").resolve("_tmp-killed.parquet"), "partial");
    Files.writeString(dir(out, "silver").resolve("2014-01-00000000.parquet"), "orphan");
    Ran compact = command("compact", out, "--datasets=stocks_daily");
    assertThat(compact.stderr, compact.code, is(0));
    assertThat(compact.stdout, containsString("stocks_daily: 1 month file(s) written, 3 already fresh, 0 removed"));
    assertThat(names(dir(out, "silver")).stream().filter(n -> n.startsWith("_tmp-") || n.startsWith("2014-01-0000"))
        .collect(Collectors.toList()), equalTo(List.of()));
    Ran rebuilt = query(out, false);
    assertThat(rebuilt.stderr, containsString("and 2 month file(s)"));
    assertThat(rebuilt.stdout, equalTo(stale.stdout));
    assertThat(validate(out).text(), not(containsString("month-")));

    // A fresh index whose data file holds another month's rows fails validation.
    Files.copy(dir(out, "bronze").resolve(dataFile(out, "bronze", "2014-01")),
        dir(out, "bronze").resolve(dataFile(out, "bronze", "2014-02")), StandardCopyOption.REPLACE_EXISTING);
    ValidationReport broken = validate(out);
    assertThat(broken.text(), broken.exitCode(), is(1));
    assertThat(broken.text(), containsString("month-file"));
  }

  private static ValidationReport validate(Path out) throws IOException {
    return LakeValidator.validate(out, List.of(Dataset.stocks_daily), true, LakeValidator.Settings.DEFAULT);
  }

  /** The close of the row starting with {@code prefix} (ticker,session,) in a query's CSV (open,close,...). */
  private static double close(String csv, String prefix) {
    for (String line : csv.split("\n")) {
      if (line.startsWith(prefix)) {
        return Double.parseDouble(line.split(",")[3]);
      }
    }
    throw new AssertionError("no row " + prefix);
  }
}
