package com.quantmini.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.quantmini.transforms.features.FeatureRegistry;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.io.QlibLayout;
import com.quantmini.io.RunPlan;
import com.quantmini.options.QuantMiniOptions;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proof of the incremental runs (issue 4): a full run over N sessions must equal a run over N−k
 * sessions followed by an incremental run over the k others, byte for byte in Qlib and row for
 * row in the lake and the quarantine, whatever the new sessions hold (gaps, a new listing, a
 * republished day, a back-filled day). Inputs are real stocknet daily bars of a few tickers,
 * written in the provider's key layout; every command goes through the CLI path ({@link
 * QuantMini#run}, Direct runner with its immutability and encodability checks on). The full run
 * over the N sessions most scenarios must reproduce is made once for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncrementalTest {
  static final String DAY = "us_stocks_sip/day_aggs_v1";
  static final String MINUTE = "us_stocks_sip/minute_aggs_v1";
  static final List<String> TICKERS = List.of("AAPL", "ABB", "ABBV", "AEP", "AMGN", "AMZN", "BA", "BAC");
  static final int N = 40;
  /** Sessions of the runs longer than Alpha158's look-back (61 slots). */
  static final int LONG = 100;
  /** Sessions of the runs longer than the remembered tails (256 slots) and a look-back. */
  static final int PAST_TAIL = 340;

  /** A new folder for each test. */
  @TempDir
  Path tmp;
  /** Holds what every test reads and none writes: the reference run. */
  @TempDir
  static Path shared;
  /** A full run over the N {@link #sessions}, each with its bad rows ({@link #withBadRow}). */
  Path reference;
  /** The first N stocknet sessions from 2014-01-02: the raw lines of the chosen tickers, per session. */
  List<String> sessions;
  /** The first LONG sessions. */
  List<String> longSessions;
  /** The first PAST_TAIL sessions. */
  List<String> pastTail;
  Map<String, List<String>> raw = new TreeMap<>();
  String header;

  @BeforeAll
  void readStocknetAndRunTheReference() throws IOException {
    readStocknet();
    reference = shared.resolve("reference");
    run("run", write(shared.resolve("reference-in"), sessions, this::withBadRow), reference);
  }

  /** Reads the sessions; other tests use this class's data without its reference run. */
  void readStocknet() throws IOException {
    Path root = EndToEndTest.testdata().resolve("stocknet").resolve(DAY);
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(f -> f.toString().endsWith(".csv.gz")).sorted().collect(Collectors.toList());
    }
    sessions = new ArrayList<>();
    for (Path f : files) {
      String session = f.getFileName().toString().substring(0, 10);
      if (session.compareTo("2014-01-02") < 0) {
        continue;
      }
      List<String> lines = gunzip(f);
      header = lines.get(0);
      raw.put(session, lines.subList(1, lines.size()).stream()
          .filter(l -> TICKERS.contains(l.substring(0, l.indexOf(',')))).collect(Collectors.toList()));
      sessions.add(session);
      if (sessions.size() == PAST_TAIL) {
        break;
      }
    }
    pastTail = sessions;
    longSessions = new ArrayList<>(pastTail.subList(0, LONG));
    sessions = new ArrayList<>(longSessions.subList(0, N));
  }

  // ---------------------------------------------------------------- inputs

  static List<String> gunzip(Path f) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
      return Arrays.asList(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
    }
  }

  static Path dayKey(Path input, String prefix, String session) {
    return input.resolve(prefix).resolve(session.substring(0, 4)).resolve(session.substring(5, 7))
        .resolve(session + ".csv.gz");
  }

  void writeDay(Path input, String session, List<String> rows) throws IOException {
    Path f = dayKey(input, DAY, session);
    Files.createDirectories(f.getParent());
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
      out.write((header + "\n" + String.join("\n", rows) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Writes the given sessions under {@code tmp/name}, each's rows passed through {@code edit(session, rows)}. */
  Path input(String name, List<String> which, BiFunction<String, List<String>, List<String>> edit)
      throws IOException {
    return write(tmp.resolve(name), which, edit);
  }

  Path write(Path in, List<String> which, BiFunction<String, List<String>, List<String>> edit) throws IOException {
    for (String s : which) {
      writeDay(in, s, edit.apply(s, new ArrayList<>(raw.get(s))));
    }
    return in;
  }

  static List<String> without(List<String> rows, String... tickers) {
    List<String> t = List.of(tickers);
    return rows.stream().filter(r -> !t.contains(r.substring(0, r.indexOf(',')))).collect(Collectors.toList());
  }

  /** One bad row (negative price) per session whose index is a multiple of 7: the quarantine is never empty. */
  List<String> withBadRow(String session, List<String> rows) {
    if (sessions.indexOf(session) % 7 == 0) {
      String r = rows.get(0);
      String[] f = r.split(",", -1);
      rows.add("ZBAD," + f[1] + ",-1.0," + f[3] + "," + f[4] + "," + f[5] + "," + f[6] + ",");
    }
    return rows;
  }

  /** The same rows with every price scaled by {@code factor}: a republished session. */
  static List<String> scaled(List<String> rows, double factor) {
    List<String> out = new ArrayList<>();
    for (String r : rows) {
      String[] f = r.split(",", -1);
      for (int i = 2; i <= 5; i++) {
        f[i] = Double.toString(Double.parseDouble(f[i]) * factor);
      }
      out.add(String.join(",", f));
    }
    return out;
  }

  // ---------------------------------------------------------------- runs

  /** Runs one CLI command; returns {exit code, stdout}. */
  static Object[] cli(String command, Path input, Path output, String... extra) {
    List<String> args = new ArrayList<>(List.of(command, "--input=" + input, "--output=" + output,
        "--symbolBuckets=4", "--targetParallelism=2"));
    if (Arrays.stream(extra).noneMatch(a -> a.startsWith("--datasets="))) {
      args.add("--datasets=stocks_daily");
    }
    args.addAll(List.of(extra));
    if (Arrays.stream(extra).anyMatch(a -> a.startsWith("--symbolBuckets="))) {
      args.remove("--symbolBuckets=4");
    }
    return invoke(args);
  }

  /**
   * The Direct runner's immutability and encodability checks, which the CLI switches off unless
   * asked (they cost most on big inputs): tests keep them on.
   */
  static final List<String> RUNNER_CHECKS = List.of("--enforceImmutability=true", "--enforceEncodability=true");

  /** Runs QuantMini with these arguments and the runner's checks on; returns {exit code, stdout}. */
  static Object[] invoke(List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.addAll(RUNNER_CHECKS);
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = QuantMini.run(all.toArray(new String[0]));
    } finally {
      System.setOut(old);
    }
    String text = buf.toString(StandardCharsets.UTF_8);
    old.print(text);
    return new Object[] {exit, text};
  }

  /**
   * Runs QuantMini with exactly these arguments and environment (for the provider's key); returns
   * {exit code, what it printed to stdout and stderr}.
   */
  static Object[] invokeCapturingAll(Map<String, String> env, String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream both = new PrintStream(buf, true, StandardCharsets.UTF_8);
    System.setOut(both);
    System.setErr(both);
    int exit;
    try {
      exit = QuantMini.runWithEnvironment(env, args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    String text = buf.toString(StandardCharsets.UTF_8);
    out.print(text);
    return new Object[] {exit, text};
  }

  static String run(String command, Path input, Path output, String... extra) {
    Object[] r = cli(command, input, output, extra);
    assertThat("exit code of " + command + " " + List.of(extra), r[0], is(0));
    return (String) r[1];
  }

  // ---------------------------------------------------------------- comparisons

  /** Every file of a Qlib tree (through its version link): relative path → bytes. */
  static Map<String, byte[]> tree(Path root) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    if (!Files.exists(root)) {
      return out;
    }
    Path real = root.toRealPath();
    try (Stream<Path> s = Files.walk(real)) {
      for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
        out.put(real.relativize(f).toString(), Files.readAllBytes(f));
      }
    }
    return out;
  }

  static void assertSameTree(String what, Path a, Path b) throws IOException {
    Map<String, byte[]> x = tree(a);
    Map<String, byte[]> y = tree(b);
    assertThat(what + ": files", y.keySet(), equalTo(x.keySet()));
    assertThat(what + ": no files at all", x.isEmpty() && what.startsWith("qlib"), is(false));
    List<String> differ = new ArrayList<>();
    x.forEach((k, v) -> {
      if (!Arrays.equals(v, y.get(k))) {
        differ.add(k);
      }
    });
    assertThat(what + ": files whose bytes differ", differ, empty());
  }

  static long scalar(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static String parquet(Path out, String layer, String dataset) {
    return "read_parquet('" + out.resolve(layer).resolve(dataset) + "/*/*/*.parquet')";
  }

  static List<String> relativeFiles(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(f -> root.relativize(f).toString()).sorted()
          .collect(Collectors.toList());
    }
  }

  static void assertSameLake(Path a, Path b, String dataset, List<String> layers) throws SQLException, IOException {
    for (String layer : layers) {
      String pa = parquet(a, layer, dataset);
      String pb = parquet(b, layer, dataset);
      assertThat(layer + " files", relativeFiles(b.resolve(layer)), equalTo(relativeFiles(a.resolve(layer))));
      long n = scalar("SELECT count(*) FROM " + pa);
      assertThat(layer + " rows", n, greaterThan(0L));
      assertThat(layer + " rows", scalar("SELECT count(*) FROM " + pb), is(n));
      assertThat(layer + " rows only in the full run",
          scalar("SELECT count(*) FROM (SELECT * FROM " + pa + " EXCEPT SELECT * FROM " + pb + ")"), is(0L));
      assertThat(layer + " rows only in the incremental run",
          scalar("SELECT count(*) FROM (SELECT * FROM " + pb + " EXCEPT SELECT * FROM " + pa + ")"), is(0L));
    }
  }

  /** The manifest's rows without the processed_at column. */
  static List<String> manifestRows(Path out, String dataset) throws IOException {
    return Files.readAllLines(out.resolve("_manifest/" + dataset + ".tsv")).stream()
        .filter(l -> !l.startsWith("#") && !l.startsWith("key\t"))
        .map(l -> l.substring(0, l.lastIndexOf('\t'))).collect(Collectors.toList());
  }

  /** Qlib, lake, quarantine, manifest rows and the output's folder layout are all the same. */
  static void assertSameOutputs(Path full, Path incremental, String dataset) throws IOException, SQLException {
    assertSameTree("qlib " + dataset, full.resolve("qlib").resolve(dataset), incremental.resolve("qlib").resolve(dataset));
    assertSameLake(full, incremental, dataset, List.of("bronze", "silver"));
    assertSameTree("quarantine", full.resolve("quarantine"), incremental.resolve("quarantine"));
    assertThat("manifest", manifestRows(incremental, dataset), equalTo(manifestRows(full, dataset)));
    assertThat("qlib folder entries", listing(incremental.resolve("qlib")), equalTo(listing(full.resolve("qlib"))));
    assertThat("state folders", listing(incremental.resolve("_state/" + dataset)),
        equalTo(listing(full.resolve("_state/" + dataset))));
    try (Stream<Path> s = Files.walk(incremental)) {
      assertThat("temp files left", s.filter(f -> f.getFileName().toString().startsWith("_tmp-"))
          .collect(Collectors.toList()), empty());
    }
  }

  /** Names in a folder, version numbers masked (a full run has v1, an incremental one a later version). */
  static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString().replaceAll("v\\d+$", "vN")).sorted().collect(Collectors.toList());
    }
  }

  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path f : (Iterable<Path>) s::iterator) {
        String k = root.relativize(f).toString();
        if (Files.isSymbolicLink(f)) {
          out.put(k, "link " + Files.readSymbolicLink(f));
        } else if (Files.isRegularFile(f)) {
          out.put(k, Files.getLastModifiedTime(f).toMillis() + " " + Arrays.hashCode(Files.readAllBytes(f)));
        } else {
          out.put(k, "dir");
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- scenarios

  List<String> first(int n) {
    return sessions.subList(0, n);
  }

  @Test
  void plainAppendOfThreeSessionsEqualsAFullRun() throws Exception {
    Path inc = tmp.resolve("a-inc");
    Path part = input("a-part", first(N - 3), this::withBadRow);
    run("run", part, inc);
    input("a-part", sessions.subList(N - 3, N), this::withBadRow);
    String out = run("daily", part, inc, "--to=" + sessions.get(N - 1));
    // daily lists its five last sessions again (files published late or republished): all unchanged.
    assertThat(out, containsString("files: 8 listed, 5 already processed, 3 read"));
    assertSameOutputs(reference, inc, "stocks_daily");
    // In place: the version did not change.
    assertThat(Files.readSymbolicLink(inc.resolve("qlib/stocks_daily")).toString(), is(".stocks_daily.v1"));
  }

  @Test
  void theFirstRunFixesTheBucketCountAndTheFeatureFamiliesForEveryLaterRun() throws Exception {
    Path in = input("b-in", first(N - 1), this::withBadRow);
    Path out = tmp.resolve("b-out");
    run("run", in, out);
    Path manifest = out.resolve("_manifest/stocks_daily.tsv");
    assertThat(Files.readAllLines(manifest).get(3), is("#buckets 4"));
    String set = FeatureRegistry.of(Dataset.stocks_daily, List.of("alpha158", "seed")).fingerprint();
    assertThat(Files.readAllLines(manifest).get(4), is("#features adjusted,alpha158,seed,qlib=default,set=" + set));
    byte[] before = Files.readAllBytes(manifest);
    Map<String, byte[]> qlibBefore = tree(out.resolve("qlib/stocks_daily"));
    input("b-in", sessions.subList(N - 1, N), this::withBadRow);
    // The state is stored per bucket: another count would lose or misplace symbols, so it is refused.
    Object[] refused = cli("daily", in, out, "--to=" + sessions.get(N - 1), "--symbolBuckets=8");
    assertThat(refused[0], is(2));
    assertThat(Files.readAllBytes(manifest), equalTo(before));
    // Appending without Alpha158 would leave its 158 files per symbol a session short: refused.
    refused = cli("daily", in, out, "--to=" + sessions.get(N - 1), "--features=seed");
    assertThat(refused[0], is(2));
    assertThat(Files.readAllBytes(manifest), equalTo(before));
    // So would Alpha158 bins for the appended session only.
    refused = cli("daily", in, out, "--to=" + sessions.get(N - 1), "--qlibFields=all");
    assertThat(refused[0], is(2));
    assertThat(Files.readAllBytes(manifest), equalTo(before));
    assertThat(cli("daily", in, out, "--to=" + sessions.get(N - 1), "--qlibFields=kmid,nosuch")[0], is(2));
    // The same families from a QuantMini whose features differ (another fingerprint): refused too.
    String other = new String(before, StandardCharsets.UTF_8).replace("set=" + set, "set=0123456789abcdef");
    Files.writeString(manifest, other);
    refused = invokeCapturingAll(Map.of(), "daily", "--input=" + in, "--output=" + out, "--datasets=stocks_daily",
        "--symbolBuckets=4", "--targetParallelism=2", "--to=" + sessions.get(N - 1));
    assertThat(refused[0], is(2));
    assertThat((String) refused[1], containsString("another feature set (fingerprint 0123456789abcdef"));
    assertThat(Files.readString(manifest), is(other));
    Files.write(manifest, before);
    assertThat(tree(out.resolve("qlib/stocks_daily")).keySet(), equalTo(qlibBefore.keySet()));
    // Without the flag (a machine whose default would differ) the recorded count is used, and the
    // same families in another order are the same set.
    Object[] r = invoke(List.of("daily", "--input=" + in, "--output=" + out, "--datasets=stocks_daily",
        "--to=" + sessions.get(N - 1), "--targetParallelism=2", "--features=seed,alpha158"));
    assertThat(r[0], is(0));
    assertSameOutputs(reference, out, "stocks_daily");
  }

  @Test
  void beyondTheLookBackAnAppendAndARepublishedDayEqualFullRuns() throws Exception {
    // Incremental daily runs compute Alpha158 over a window before the first changed slot only;
    // with 100 sessions that window starts well after the series' first bar.
    String x = longSessions.get(LONG - 10);
    BiFunction<String, List<String>, List<String>> republished = (s, rows) ->
        s.equals(x) ? scaled(rows, 0.98) : withBadRow(s, rows);
    // With Alpha158 bins in Qlib too: they are appended in place and rewritten like the bar fields.
    Path full = tmp.resolve("l-full");
    run("run", input("l-all", longSessions, this::withBadRow), full, "--qlibFields=all");
    Path in = input("l-in", longSessions.subList(0, LONG - 2), this::withBadRow);
    Path inc = tmp.resolve("l-inc");
    run("run", in, inc, "--qlibFields=all");
    // An output from before --qlibFields recorded no choice, and had every feature in Qlib.
    Path manifest = inc.resolve("_manifest/stocks_daily.tsv");
    // Nor a fingerprint of its feature set: accepted, and recorded by this run's commit.
    Files.writeString(manifest, Files.readString(manifest).replaceFirst(",qlib=all,set=[0-9a-f]{16}\n", "\n"));
    assertThat(Files.readString(manifest), containsString("#features adjusted,alpha158,seed\n"));
    input("l-in", longSessions.subList(LONG - 2, LONG), this::withBadRow);
    assertThat(run("daily", in, inc, "--to=" + longSessions.get(LONG - 1)),
        containsString("files: 7 listed, 5 already processed, 2 read"));
    assertThat(Files.exists(inc.resolve("qlib/stocks_daily/features/aapl/kmid.day.bin")), is(true));
    assertSameOutputs(full, inc, "stocks_daily");

    Path fullRepublished = tmp.resolve("l-full2");
    run("run", input("l-all2", longSessions, republished), fullRepublished, "--qlibFields=all");
    input("l-in", List.of(x), republished);
    run("run", in, inc);
    assertSameOutputs(fullRepublished, inc, "stocks_daily");
    // The Qlib Alpha158 bins hold silver's values.
    List<List<Object>> r = EndToEndTest.query("SELECT KMID, ROC5 FROM read_parquet('" + inc.resolve("silver/stocks_daily")
        + "/*/*/*.parquet') WHERE ticker = 'AAPL' AND session_date = DATE '" + x + "'");
    QlibReader q = new QlibReader(inc.resolve("qlib/stocks_daily"), "day");
    assertThat(q.series("aapl", "kmid.day.bin").get(x), is(((Number) r.get(0).get(0)).floatValue()));
    assertThat(q.series("aapl", "roc5.day.bin").get(x), is(((Number) r.get(0).get(1)).floatValue()));
  }

  @Test
  void anOldSessionRedoneWithANewOneBeyondTheLookBackEqualsAFullRun() throws Exception {
    // Silver rewrites every session from the redone one on; a symbol whose first changed slot is
    // the new session still needs its Alpha158 in all of them, not only in the new one's look-back.
    Path full = tmp.resolve("r-full");
    run("run", input("r-all", longSessions, this::withBadRow), full);
    Path in = input("r-in", longSessions.subList(0, LONG - 1), this::withBadRow);
    Path inc = tmp.resolve("r-inc");
    run("run", in, inc);
    input("r-in", longSessions.subList(LONG - 1, LONG), this::withBadRow);
    assertThat(run("run", in, inc, "--reprocess=" + longSessions.get(10)),
        containsString("files: " + LONG + " listed, " + (LONG - 2) + " already processed, 2 read"));
    assertSameOutputs(full, inc, "stocks_daily");
  }

  @Test
  void aLongRangeRunInPartsEqualsOneRun() throws Exception {
    Path in = input("p-in", sessions, this::withBadRow);
    Path parts = tmp.resolve("p-parts");
    String out = run("run", in, parts, "--sessionsPerRun=15");
    assertThat(out, containsString("part 3 of 3: " + sessions.get(30) + ".." + sessions.get(N - 1)));
    assertSameOutputs(reference, parts, "stocks_daily");
  }

  @Test
  void manifestHasOneLinePerFileWithItsRowCounts() throws Exception {
    Path in = input("m-in", first(10), this::withBadRow);
    Path out = tmp.resolve("m-out");
    run("run", in, out);
    List<String> rows = manifestRows(out, "stocks_daily");
    assertThat(rows.size(), is(10));
    for (int i = 0; i < 10; i++) {
      String s = sessions.get(i);
      String[] f = rows.get(i).split("\t");
      int good = raw.get(s).size();
      int bad = i % 7 == 0 ? 1 : 0;
      assertThat(f[0], is(DAY + "/" + s.substring(0, 4) + "/" + s.substring(5, 7) + "/" + s + ".csv.gz"));
      assertThat(Long.parseLong(f[1]), is(Files.size(dayKey(in, DAY, s))));
      assertThat(f[2], containsString("crc32c-"));
      assertThat(s + " read/written/quarantined", List.of(f[3], f[4], f[5]),
          equalTo(List.of("" + (good + bad), "" + good, "" + bad)));
    }
  }

  @Test
  void symbolsMissingNewSessionsAndOneResumingAfterAGapEqualAFullRun() throws Exception {
    String s37 = sessions.get(N - 3);
    String s38 = sessions.get(N - 2);
    String s39 = sessions.get(N - 1);
    String s36 = sessions.get(N - 4);
    BiFunction<String, List<String>, List<String>> edit = (s, rows) -> {
      rows = withBadRow(s, rows);
      if (s.equals(s37) || s.equals(s38) || s.equals(s39)) {
        rows = without(rows, "ABB"); // stops trading with the last old session
      }
      if (s.equals(s37) || s.equals(s38)) {
        rows = without(rows, "AEP"); // misses two new sessions, resumes in the third
      }
      if (s.equals(s36) || s.equals(s37)) {
        rows = without(rows, "BA"); // gap across the split, resumes in the second new session
      }
      if (s.compareTo(s37) >= 0) {
        rows = without(rows, "AMZN"); // misses every new session
      }
      return rows;
    };
    Path full = tmp.resolve("b-full");
    Path inc = tmp.resolve("b-inc");
    run("run", input("b-in", sessions, edit), full);
    Path part = input("b-part", first(N - 3), edit);
    run("run", part, inc);
    input("b-part", sessions.subList(N - 3, N), edit);
    run("daily", part, inc, "--to=" + s39);
    assertSameOutputs(full, inc, "stocks_daily");
  }

  @Test
  void aSymbolListingInTheNewSessionsEqualsAFullRun() throws Exception {
    BiFunction<String, List<String>, List<String>> edit = (s, rows) -> {
      rows = withBadRow(s, rows);
      if (sessions.indexOf(s) < N - 2) {
        rows = without(rows, "ABBV", "BAC"); // both list in the last two sessions
      }
      return rows;
    };
    Path full = tmp.resolve("c-full");
    Path inc = tmp.resolve("c-inc");
    run("run", input("c-in", sessions, edit), full);
    Path part = input("c-part", first(N - 3), edit);
    run("run", part, inc);
    input("c-part", sessions.subList(N - 3, N), edit);
    run("daily", part, inc, "--to=" + sessions.get(N - 1));
    assertSameOutputs(full, inc, "stocks_daily");
  }

  @Test
  void aRepublishedSessionIsRedoneAndEqualsAFullRunOverTheNewFile() throws Exception {
    String x = sessions.get(21); // index 21: carries a bad row in the first publication
    BiFunction<String, List<String>, List<String>> republished = (s, rows) ->
        s.equals(x) ? scaled(rows, 1.01) : withBadRow(s, rows);
    Path full = tmp.resolve("d-full");
    Path inc = tmp.resolve("d-inc");
    run("run", input("d-in", sessions, republished), full);
    Path in = input("d-inc-in", sessions, this::withBadRow);
    run("run", in, inc);
    input("d-inc-in", List.of(x), republished);
    String out = run("run", in, inc);
    assertThat(out, containsString("39 already processed"));
    assertSameOutputs(full, inc, "stocks_daily");
  }

  @Test
  void aBackfilledSessionInTheMiddleEqualsAFullRun() throws Exception {
    String x = sessions.get(20);
    Path inc = tmp.resolve("e-inc");
    List<String> gap = new ArrayList<>(sessions);
    gap.remove(x);
    Path in = input("e-inc-in", gap, this::withBadRow);
    run("run", in, inc);
    input("e-inc-in", List.of(x), this::withBadRow);
    run("backfill", in, inc, "--from=" + x, "--to=" + x);
    assertSameOutputs(reference, inc, "stocks_daily");
    assertThat(Files.readSymbolicLink(inc.resolve("qlib/stocks_daily")).toString(), is(".stocks_daily.v2"));
  }

  @Test
  void aRerunWithNothingNewSaysSoAndChangesNoFile() throws Exception {
    Path in = input("f-in", first(12), this::withBadRow);
    Path out = tmp.resolve("f-out");
    run("run", in, out);
    Map<String, String> before = snapshot(out);
    Thread.sleep(20);
    assertThat(run("run", in, out), containsString("nothing new"));
    assertThat(run("daily", in, out, "--to=" + sessions.get(11)), containsString("nothing new"));
    // Every run writes its name into the output lock and empties it at the end: the one file touched.
    Map<String, String> after = snapshot(out);
    assertThat(Files.readString(out.resolve("_lock")), is(""));
    after.remove("_lock");
    before.remove("_lock");
    assertThat(after, equalTo(before));
  }

  @Test
  void reprocessRedoesASessionAndTheOutputsStayTheSame() throws Exception {
    Path in = input("g-in", sessions, this::withBadRow);
    Path out = tmp.resolve("g-out");
    run("run", in, out);
    String x = sessions.get(14);
    String text = run("run", in, out, "--reprocess=" + x);
    assertThat(text, containsString("39 already processed"));
    assertSameOutputs(reference, out, "stocks_daily");
  }

  @Test
  void aFailedRunLeavesTheManifestUnchangedAndTheNextRunRedoesItsWork() throws Exception {
    Path in = input("h-in", first(N - 3), this::withBadRow);
    Path out = tmp.resolve("h-out");
    run("run", in, out);
    Path manifest = out.resolve("_manifest/stocks_daily.tsv");
    byte[] before = Files.readAllBytes(manifest);
    input("h-in", sessions.subList(N - 3, N), this::withBadRow);
    // A folder where a bronze file must go: renaming the new file over it fails, the step throws.
    String s = sessions.get(N - 2);
    Path blocker = out.resolve("bronze/stocks_daily/year=" + s.substring(0, 4) + "/month=" + s.substring(5, 7)
        + "/" + s + ".parquet");
    Files.createDirectories(blocker.resolve("in-the-way"));
    assertThrows(RuntimeException.class, () -> {
      Object[] r = cli("daily", in, out, "--to=" + sessions.get(N - 1));
      if ((int) r[0] != 0) {
        throw new RuntimeException("exit " + r[0]);
      }
    });
    assertThat(Files.readAllBytes(manifest), equalTo(before));
    Files.delete(blocker.resolve("in-the-way"));
    Files.delete(blocker);
    run("daily", in, out, "--to=" + sessions.get(N - 1));
    assertSameOutputs(reference, out, "stocks_daily");
  }

  @Test
  void aRunKilledAfterTheLinkSwitchButBeforeTheManifestIsCompletedByTheNextRun() throws Exception {
    String x = sessions.get(20);
    List<String> gap = new ArrayList<>(sessions);
    gap.remove(x);
    Path in = input("k-in", gap, this::withBadRow);
    Path out = tmp.resolve("k-out");
    run("run", in, out);
    byte[] manifest = Files.readAllBytes(out.resolve("_manifest/stocks_daily.tsv"));
    input("k-in", List.of(x), this::withBadRow);
    // The back-fill runs to the end; its commit is "killed" right after switching the link.
    QuantMiniOptions o = PipelineOptionsFactory.fromArgs(
        "--input=" + in, "--output=" + out, "--symbolBuckets=4", "--datasets=stocks_daily",
        "--from=" + x, "--to=" + x).as(QuantMiniOptions.class);
    TestPipeline p = TestPipeline.fromOptions(o)
        .enableAbandonedNodeEnforcement(false);
    RunPlan plan = QuantMiniPipeline.plan(o);
    QuantMiniPipeline.build(p, o, plan, false);
    p.run().waitUntilFinish();
    QlibLayout layout = plan.layouts().get("stocks_daily");
    Files.writeString(Paths.get(layout.stateDir, "COMMITTING"), "");
    Path link = out.resolve("qlib/stocks_daily");
    Path tmpLink = out.resolve("qlib/_tmp-link-stocks_daily");
    Files.createSymbolicLink(tmpLink, Paths.get(".stocks_daily.v2"));
    Files.move(tmpLink, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.readAllBytes(out.resolve("_manifest/stocks_daily.tsv")), equalTo(manifest));
    // The next run (any command) finishes that commit first: the link stays valid, nothing is redone.
    assertThat(run("daily", in, out, "--to=" + sessions.get(N - 1)), containsString("nothing new"));
    assertSameOutputs(reference, out, "stocks_daily");
  }

  @Test
  void aBackfilledOptionsSessionGetsTheUnderlyingClosesOfEarlierRuns() throws Exception {
    Path src = EndToEndTest.testdata().resolve("flatfiles");
    String stocks = "us_stocks_sip/day_aggs_v1";
    String options = "us_options_opra/day_aggs_v1";
    Path all = tmp.resolve("o-all");
    Path part = tmp.resolve("o-part");
    List<String> days = List.of("2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05");
    copyDays(src, stocks, days, all, part);
    copyDays(src, options, List.of("2024-01-04"), all, part);
    copyDays(src, options, List.of("2024-01-03"), all);
    String both = "--datasets=stocks_daily,options_daily";
    Path full = tmp.resolve("o-full");
    Path inc = tmp.resolve("o-inc");
    run("run", all, full, both);
    run("run", part, inc, both);
    // 2024-01-03 of options arrives late: stocks_daily has nothing new, so the SPY closes of both
    // options sessions (moneyness) must come from the state of the earlier run.
    copyDays(src, options, List.of("2024-01-03"), part);
    run("backfill", part, inc, both, "--from=2024-01-03", "--to=2024-01-03");
    assertSameOutputs(full, inc, "options_daily");
    assertSameOutputs(full, inc, "stocks_daily");
  }

  @Test
  void aRepublishedStocksDayRedoesTheOptionsOfThatDay() throws Exception {
    Path src = EndToEndTest.testdata().resolve("flatfiles");
    String stocks = "us_stocks_sip/day_aggs_v1";
    String options = "us_options_opra/day_aggs_v1";
    Path all = tmp.resolve("r-all");
    Path part = tmp.resolve("r-part");
    copyDays(src, stocks, List.of("2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"), all, part);
    copyDays(src, options, List.of("2024-01-03", "2024-01-04"), all, part);
    // The full run sees the provider's corrected 2024-01-03 (every price 2 % lower).
    writeScaled(dayKey(src, stocks, "2024-01-03"), dayKey(all, stocks, "2024-01-03"), 0.98);
    String both = "--datasets=stocks_daily,options_daily";
    Path full = tmp.resolve("r-full");
    Path inc = tmp.resolve("r-inc");
    run("run", all, full, both);
    run("run", part, inc, both);
    writeScaled(dayKey(src, stocks, "2024-01-03"), dayKey(part, stocks, "2024-01-03"), 0.98);
    String out = run("run", part, inc, both);
    // Only stocks' 2024-01-03 changed, yet the options of that day are redone: SPY's close moved.
    assertThat(out, containsString("files: 6 listed, 4 already processed, 2 read"));
    assertSameOutputs(full, inc, "stocks_daily");
    assertSameOutputs(full, inc, "options_daily");
  }

  /** Copies the files of {@code days} under {@code prefix} from {@code src} into each target. */
  static void copyDays(Path src, String prefix, List<String> days, Path... targets) throws IOException {
    for (Path target : targets) {
      for (String d : days) {
        Files.createDirectories(dayKey(target, prefix, d).getParent());
        Files.copy(dayKey(src, prefix, d), dayKey(target, prefix, d));
      }
    }
  }

  /** Writes {@code from}'s rows with every price scaled: the provider's corrected file. */
  static void writeScaled(Path from, Path to, double factor) throws IOException {
    List<String> lines;
    try (var in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(from)), StandardCharsets.UTF_8))) {
      lines = in.lines().collect(Collectors.toList());
    }
    List<String> rows = new ArrayList<>(List.of(lines.get(0)));
    rows.addAll(scaled(lines.subList(1, lines.size()), factor));
    try (var o = new GZIPOutputStream(Files.newOutputStream(to))) {
      o.write((String.join("\n", rows) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void minuteAppendEqualsAFullRun() throws Exception {
    Path src = EndToEndTest.testdata().resolve("flatfiles");
    List<String> days = List.of("2023-03-28", "2024-01-04", "2024-01-05");
    Path all = tmp.resolve("min-all");
    Path part = tmp.resolve("min-part");
    for (String d : days) {
      Path f = dayKey(src, MINUTE, d);
      for (Path target : d.equals("2024-01-05") ? List.of(all) : List.of(all, part)) {
        Path t = dayKey(target, MINUTE, d);
        Files.createDirectories(t.getParent());
        Files.copy(f, t);
      }
    }
    Path full = tmp.resolve("min-full");
    Path inc = tmp.resolve("min-inc");
    run("run", all, full, "--datasets=stocks_minute");
    run("run", part, inc, "--datasets=stocks_minute");
    Files.createDirectories(dayKey(part, MINUTE, "2024-01-05").getParent());
    Files.copy(dayKey(src, MINUTE, "2024-01-05"), dayKey(part, MINUTE, "2024-01-05"));
    // A look-back of one session: the fixture has no minute files for the sessions before
    // 2024-01-04, which daily would report as missing (exit 4).
    run("daily", part, inc, "--datasets=stocks_minute", "--to=2024-01-05", "--lookbackSessions=1");
    assertSameOutputs(full, inc, "stocks_minute");
    assertThat(Set.of(Files.readSymbolicLink(inc.resolve("qlib/stocks_minute")).toString()),
        not(empty()));
  }
  /**
   * Writes minute files for the given sessions: DENSE trades every minute from 09:30 to 13:49 New
   * York time (260 calendar slots a session), RARE once a session at 10:00. minute_volume_ratio
   * counts bars, not slots, so RARE's window of 20 bars spans 20 sessions, far beyond any slot
   * window.
   */
  static void writeSparseMinutes(Path input, List<String> days) throws IOException {
    for (int d = 0; d < days.size(); d++) {
      String day = days.get(d);
      // January sessions: New York is UTC-5, so 09:30 there is 14:30 UTC.
      long open = LocalDate.parse(day).atTime(14, 30).toEpochSecond(ZoneOffset.UTC);
      List<String> rows = new ArrayList<>(List.of("ticker,volume,open,close,high,low,window_start,transactions"));
      for (int m = 0; m < 260; m++) {
        double p = 100 + d + m * 0.01;
        rows.add(String.format("DENSE,%d,%s,%s,%s,%s,%d,%d", 1000 + 7 * m, p, p + 0.02, p + 0.05, p - 0.03,
            (open + 60L * m) * 1_000_000_000L, 10 + m % 5));
        if (m == 30) {
          double q = 20 + (d * 37 % 11) * 0.25;
          rows.add(String.format("RARE,%d,%s,%s,%s,%s,%d,3", 100 + (d * 53 % 17) * 10, q, q + 0.1, q + 0.2, q - 0.1,
              (open + 60L * m) * 1_000_000_000L));
        }
      }
      Path t = dayKey(input, MINUTE, day);
      Files.createDirectories(t.getParent());
      try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(t))) {
        o.write((String.join("\n", rows) + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void aSparseMinuteSymbolKeepsItsTwentyBarWindowAcrossRuns() throws Exception {
    List<String> days = sessions.subList(0, 24);
    Path full = tmp.resolve("sp-full");
    Path inc = tmp.resolve("sp-inc");
    writeSparseMinutes(tmp.resolve("sp-all"), days);
    run("run", tmp.resolve("sp-all"), full, "--datasets=stocks_minute", "--features=seed");
    writeSparseMinutes(tmp.resolve("sp-part"), days.subList(0, 22));
    run("run", tmp.resolve("sp-part"), inc, "--datasets=stocks_minute", "--features=seed");
    writeSparseMinutes(tmp.resolve("sp-part"), days);
    run("daily", tmp.resolve("sp-part"), inc, "--datasets=stocks_minute", "--features=seed", "--to=" + days.get(23));
    assertSameOutputs(full, inc, "stocks_minute");
  }
  @Test
  void aRepublishedLastMinuteSessionEqualsAFullRun() throws Exception {
    // DENSE has 260 bars in the last session: the state keeps that session whole, with a window
    // before it, so its republished file is replayed from what the state remembers.
    List<String> days = sessions.subList(0, 4);
    Path last = dayKey(tmp.resolve("rm-all"), MINUTE, days.get(3));
    writeSparseMinutes(tmp.resolve("rm-all"), days);
    writeScaled(last, last, 1.01);
    Path full = tmp.resolve("rm-full");
    run("run", tmp.resolve("rm-all"), full, "--datasets=stocks_minute");
    Path inc = tmp.resolve("rm-inc");
    writeSparseMinutes(tmp.resolve("rm-part"), days);
    run("run", tmp.resolve("rm-part"), inc, "--datasets=stocks_minute");
    Path republished = dayKey(tmp.resolve("rm-part"), MINUTE, days.get(3));
    writeScaled(republished, republished, 1.01);
    assertThat(run("run", tmp.resolve("rm-part"), inc, "--datasets=stocks_minute"),
        containsString("files: 4 listed, 3 already processed, 1 read"));
    assertSameOutputs(full, inc, "stocks_minute");
  }
}
