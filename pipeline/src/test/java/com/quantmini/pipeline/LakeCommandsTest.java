package com.quantmini.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import com.quantmini.io.Manifest;
import com.quantmini.io.RunLog;
import com.quantmini.io.lake.LakeFiles;
import com.quantmini.io.lake.LakeQuery;
import com.quantmini.io.lake.LakeReport;
import com.quantmini.transforms.calendar.NyseCalendar;
import com.quantmini.transforms.model.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.hamcrest.Matcher;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code query} and {@code report} commands over the README's default output (testdata/flatfiles,
 * built once by the real launcher): query values against bronze and silver read with parquet-mr,
 * raw against adjusted prices over ADSW's 1:4 split, range pruning, refused fields and symbols; the
 * report rendered by a real headless Chromium and its numbers checked against the manifest and bronze.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LakeCommandsTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private Path out;

  @BeforeAll
  void buildDefaultOutput(@TempDir Path dir) {
    out = dir.resolve("out");
    int code = QuantMini.run("run", "--input=" + EndToEndTest.testdata().resolve("flatfiles"), "--output=" + out);
    assertThat(code, is(0));
  }

  /** A command's exit code, stdout and stderr. */
  private record Ran(int code, String stdout, String stderr) {
    List<String> lines() {
      return Arrays.asList(stdout.split("\n"));
    }
  }

  private Ran query(String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("--output=" + out));
    all.addAll(List.of(args));
    int code = LakeQuery.run(all, new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8));
    return new Ran(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  /** ticker|session → row of a layer's session files, read with parquet-mr (not DuckDB). */
  private Map<String, Group> read(String layer, String dataset) throws IOException {
    Map<String, Group> rows = new HashMap<>();
    for (Path f : LakeFiles.sessions(out, layer, Dataset.parse(dataset), null, null, ".parquet").values()) {
      try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(),
          new org.apache.hadoop.fs.Path(f.toUri())).withConf(new Configuration()).build()) {
        for (Group g = r.read(); g != null; g = r.read()) {
          rows.put(g.getString("ticker", 0) + "|" + LocalDate.ofEpochDay(g.getInteger("session_date", 0)), g);
        }
      }
    }
    return rows;
  }

  private static double number(Group g, String field) {
    if (g.getFieldRepetitionCount(field) == 0) {
      return Double.NaN;
    }
    return g.getType().getType(field).asPrimitiveType().getPrimitiveTypeName().name().equals("FLOAT")
        ? g.getFloat(field, 0) : g.getDouble(field, 0);
  }

  private static double parse(String cell) {
    return cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
  }

  @Test
  void csvHasTheHeaderAndTheLakesValues() throws IOException {
    Ran r = query("--symbols=AAPL,ADSW,ADSw", "--fields=close,factor,roc5,transactions,volume");
    assertThat(r.stderr, r.code, is(0));
    assertThat(r.lines().get(0), is("ticker,session_date,close,factor,roc5,transactions,volume"));
    // March 2023 is closed (the lake reaches January 2024): its rows come from its month file.
    assertThat(r.stderr, containsString("from 6 silver session file(s) and 1 month file(s)"));
    Map<String, Group> silver = read("silver", "stocks_daily");
    Map<String, Group> bronze = read("bronze", "stocks_daily");
    List<String> rows = r.lines().subList(1, r.lines().size());
    long expected = bronze.keySet().stream().filter(k -> List.of("AAPL", "ADSW", "ADSw").contains(k.split("\\|")[0]))
        .count();
    assertThat(rows, hasSize((int) expected));
    assertThat(expected, greaterThan(12L));
    int withRoc5 = 0;
    for (String line : rows) {
      String[] c = line.split(",", -1);
      Group s = silver.get(c[0] + "|" + c[1]);
      Group b = bronze.get(c[0] + "|" + c[1]);
      assertThat(line, parse(c[2]), is(number(s, "adj_close")));
      assertThat(line, parse(c[3]), is(number(s, "factor")));
      // float32 in silver: the CSV's shortest digits read back to the same float
      assertThat(line, Double.isNaN(parse(c[4])) ? Float.NaN : (float) parse(c[4]), is((float) number(s, "ROC5")));
      withRoc5 += c[4].isEmpty() ? 0 : 1;
      assertThat(line, Long.parseLong(c[5]), is(b.getLong("transactions", 0)));
      assertThat(line, parse(c[6]), is(number(s, "adj_volume")));
    }
    assertThat(withRoc5, greaterThan(0));
    assertThat(r.stderr, containsString("query: " + rows.size() + " row(s)"));
  }

  @Test
  void rawGivesBronzePricesAndAdjustedTheSplitAdjustedOnes() throws IOException {
    Ran raw = query("--symbols=ADSW", "--fields=close,volume", "--raw");
    Ran adjusted = query("--symbols=ADSW", "--fields=close,volume,factor");
    assertThat(raw.stderr, raw.code, is(0));
    assertThat(adjusted.code, is(0));
    Map<String, Group> bronze = read("bronze", "stocks_daily");
    Map<String, String[]> adj = new TreeMap<>();
    adjusted.lines().subList(1, adjusted.lines().size()).forEach(l -> adj.put(l.split(",")[1], l.split(",")));
    List<String> rawRows = raw.lines().subList(1, raw.lines().size());
    assertThat(rawRows, hasSize(adj.size()));
    for (String line : rawRows) {
      String[] c = line.split(",");
      Group b = bronze.get("ADSW|" + c[1]);
      assertThat(line, parse(c[2]), is(b.getDouble("close", 0)));
      assertThat(line, parse(c[3]), is(b.getDouble("volume", 0)));
      double factor = parse(adj.get(c[1])[4]);
      // adjusted = raw × F, volume = raw / F (testdata: the 1:4 split executes 2024-01-05)
      assertThat(line, parse(adj.get(c[1])[2]), is(near(parse(c[2]) * factor)));
      assertThat(line, parse(adj.get(c[1])[3]), is(near(parse(c[3]) / factor)));
    }
    assertThat(adj.get("2024-01-04")[4], is("1"));
    assertThat(parse(adj.get("2024-01-05")[4]), is(4.0));
    assertThat(raw.lines(), hasItem("ADSW,2024-01-05,10.35,4148140"));
    assertThat(adj.get("2024-01-05")[2], is("41.4"));
  }

  private static Matcher<Double> near(double v) {
    return closeTo(v, Math.abs(v) * 1e-12);
  }

  @Test
  void onlyTheSessionFilesInRangeAreRead() throws IOException {
    assertThat(LakeFiles.sessions(out, "bronze", Dataset.stocks_daily, LocalDate.parse("2024-01-04"),
        LocalDate.parse("2024-01-05"), ".parquet").keySet(),
        contains(LocalDate.parse("2024-01-04"), LocalDate.parse("2024-01-05")));
    Ran r = query("--symbols=AAPL", "--fields=close", "--raw", "--from=2024-01-04", "--to=2024-01-05");
    assertThat(r.stdout, is("ticker,session_date,close\nAAPL,2024-01-04,187.04\nAAPL,2024-01-05,186.85\n"));
    assertThat(r.stderr, containsString("from 2 bronze session file(s)"));
    Ran none = query("--symbols=AAPL", "--from=2022-01-01", "--to=2022-12-31");
    assertThat(none.code, is(0));
    assertThat(none.stdout, is("ticker,session_date,open,high,low,close,volume\n"));
    assertThat(none.stderr, containsString("no rows in the range for AAPL"));
  }

  @Test
  void aSessionFileTheManifestDoesNotListYetIsNotRead() throws IOException {
    // What a run still writing (or one that died before its commit) leaves in the lake.
    Path month = out.resolve("bronze/stocks_daily/year=2024/month=01");
    Path uncommitted = month.resolve("2024-01-10.parquet");
    Files.copy(month.resolve("2024-01-09.parquet"), uncommitted);
    try {
      Ran r = query("--symbols=AAPL", "--fields=close", "--raw", "--from=2024-01-09");
      assertThat(r.stdout, is("ticker,session_date,close\nAAPL,2024-01-09,188.32\n"));
    } finally {
      Files.delete(uncommitted);
    }
  }

  @Test
  void minuteDataIsKeyedByWindowStartAndParquetOutputHoldsTheSameRows() throws Exception {
    Ran csv = query("--dataset=stocks_minute", "--symbols=AAPL", "--fields=close,vwap_intraday", "--raw");
    assertThat(csv.stderr, csv.code, is(0));
    assertThat(csv.lines().get(0), is("ticker,window_start,close,vwap_intraday"));
    assertThat(csv.lines().size(), greaterThan(2));
    assertThat(csv.lines().get(1), matchesPattern("AAPL,2024-01-0\\dT\\d\\d:\\d\\d:00Z,.*"));
    Path file = out.resolveSibling("aapl.parquet");
    Ran pq = query("--dataset=stocks_minute", "--symbols=AAPL", "--fields=close,vwap_intraday", "--raw",
        "--format=parquet", "--out=" + file);
    assertThat(pq.stderr, pq.code, is(0));
    assertThat(pq.stdout, is(""));
    assertThat(pq.stderr, containsString("query: " + (csv.lines().size() - 1) + " row(s)"));
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), sum(close) FROM read_parquet('" + file + "')")) {
      rs.next();
      assertThat(rs.getLong(1), is((long) csv.lines().size() - 1));
      double sum = csv.lines().subList(1, csv.lines().size()).stream().mapToDouble(l -> parse(l.split(",")[2])).sum();
      assertThat(rs.getDouble(2), is(near(sum)));
    }
  }

  @Test
  void refusesUnknownFieldsAndSymbolsListingTheValidFields() {
    PrintStream stderr = System.err;
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      code = QuantMini.run("query", "--output=" + out, "--symbols=AAPL", "--fields=close,clsoe");
    } finally {
      System.setErr(stderr);
    }
    assertThat(code, is(2));
    String msg = e.toString(StandardCharsets.UTF_8);
    assertThat(msg, containsString("unknown field 'clsoe'"));
    assertThat(msg, containsString("valid fields: open, high, low, close, volume, transactions"));
    assertThat(msg, containsString("ROC5"));
    Ran symbol = query("--symbols=AAPL,NOPE", "--fields=close");
    assertThat(symbol.code, is(2));
    assertThat(symbol.stderr, containsString("unknown symbol(s) NOPE"));
    assertThat(symbol.stdout, is(""));
    // Names never reach the SQL unchecked.
    Ran injected = query("--symbols=AAPL') OR 1=1 --", "--fields=close");
    assertThat(injected.code, is(2));
    assertThat(injected.stderr, containsString("is not a ticker"));
    Ran quoted = query("--symbols=AAPL", "--fields=close\" FROM x --");
    assertThat(quoted.code, is(2));
    assertThat(quoted.stderr, containsString("unknown field"));
  }

  private static final Pattern TAG = Pattern.compile("<(rect|section|tr)\\b([^>]*)>");
  private static final Pattern ATTR = Pattern.compile("([\\w-]+)=\"([^\"]*)\"");

  /** The attributes of every element of {@code kind} whose class contains {@code cls}. */
  private static List<Map<String, String>> elements(String dom, String kind, String cls) {
    List<Map<String, String>> out = new ArrayList<>();
    var m = TAG.matcher(dom);
    while (m.find()) {
      if (!m.group(1).equals(kind)) {
        continue;
      }
      Map<String, String> attrs = new HashMap<>();
      var a = ATTR.matcher(m.group(2));
      while (a.find()) {
        attrs.put(a.group(1), a.group(2));
      }
      if (Arrays.asList(attrs.getOrDefault("class", "").split(" ")).containsAll(Arrays.asList(cls.split(" ")))) {
        out.add(attrs);
      }
    }
    return out;
  }

  /** Runs Chromium headless on the page with a fresh profile; returns its stdout. */
  private static String chromium(Path profile, Path page, String... mode) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile));
    cmd.addAll(List.of(mode));
    cmd.add(page.toUri().toString());
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] stdout = p.getInputStream().readAllBytes();
    assertThat("chromium finished", p.waitFor(120, TimeUnit.SECONDS), is(true));
    return new String(stdout, StandardCharsets.UTF_8);
  }

  @Test
  void reportRenderedInChromiumShowsTheLakesNumbers(@TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed at " + CHROMIUM
        + " (apt-get install chromium); the report's browser test is skipped");
    Path page = LakeReport.write(out);
    assertThat(page, is(out.resolve("report").resolve("index.html")));
    String html = Files.readString(page);
    assertThat("self-contained", html, not(containsString("src=")));
    assertThat(html, not(containsString("href=")));
    String dom = chromium(tmp.resolve("profile"), page, "--dump-dom");

    Map<String, Group> bronze = read("bronze", "stocks_daily");
    Map<String, Long> bronzeRows = new TreeMap<>();
    bronze.keySet().forEach(k -> bronzeRows.merge(k.split("\\|")[1], 1L, Long::sum));
    Manifest manifest = Manifest.read(out.toString(), "stocks_daily");
    Map<String, Long> quarantined = new TreeMap<>();
    manifest.entries.values().forEach(e -> quarantined.merge(e.session(), e.rowsQuarantined, Long::sum));

    List<Map<String, String>> cells = elements(dom.substring(dom.indexOf("id=\"ds-stocks_daily\""),
        dom.indexOf("id=\"ds-stocks_minute\"")), "rect", "cell session");
    Map<String, Long> shownRows = new TreeMap<>();
    for (Map<String, String> c : cells) {
      shownRows.put(c.get("data-session"), Long.parseLong(c.get("data-rows")));
      assertThat(c.get("data-session"), Long.parseLong(c.get("data-quarantined")),
          is(quarantined.get(c.get("data-session"))));
      // one bar per ticker and session in daily data
      assertThat(c.get("data-session"), c.get("data-symbols"), is(c.get("data-rows")));
    }
    assertThat(shownRows, equalTo(bronzeRows));
    assertThat(quarantined.get("2024-01-05"), is(7L));

    Map<String, String> section = elements(dom, "section", "dataset").get(0);
    assertThat(section.get("id"), is("ds-stocks_daily"));
    assertThat(section.get("data-rows"), is(Long.toString(bronze.size())));
    assertThat(section.get("data-quarantined"), is("15"));
    long expectedMissing = NyseCalendar.sessions(LocalDate.parse("2023-03-28"), LocalDate.parse("2024-01-09")).size()
        - manifest.sessions().size();
    assertThat(section.get("data-missing"), is(Long.toString(expectedMissing)));
    assertThat(elements(dom, "rect", "cell missing").size(), greaterThan((int) expectedMissing));

    List<Map<String, String>> reasons = elements(dom, "rect", "reason");
    long wrongColumns = reasons.stream().filter(r -> r.get("data-session").equals("2024-01-05")
        && r.get("data-reason").equals("WRONG_COLUMN_COUNT")).mapToLong(r -> Long.parseLong(r.get("data-count"))).sum();
    assertThat(wrongColumns, is(1L));

    List<Map<String, String>> runs = elements(dom, "tr", "run");
    assertThat(runs.stream().filter(r -> r.get("data-dataset").equals("stocks_daily")).toList(), hasSize(1));
    Map<String, String> daily = runs.stream().filter(r -> r.get("data-dataset").equals("stocks_daily")).findFirst()
        .orElseThrow();
    assertThat(daily.get("data-rows-written"), is(Long.toString(bronze.size())));
    assertThat(Double.parseDouble(daily.get("data-seconds")), greaterThan(0.0));
    assertThat(RunLog.read(out).stream().map(RunLog.Run::dataset).toList(),
        everyItem(in(List.of("stocks_daily", "stocks_minute", "options_daily", "options_minute"))));

    Path png = tmp.resolve("report.png");
    chromium(tmp.resolve("profile2"), page, "--window-size=1000,1400", "--screenshot=" + png);
    assertThat(Files.size(png), greaterThan(20_000L));
  }
}
