package com.quantmini.io.lake;

import com.quantmini.io.AtomicFiles;
import com.quantmini.io.BarParquet;
import com.quantmini.io.Manifest;
import com.quantmini.transforms.FeatureMath;
import com.quantmini.transforms.QlibNames;
import com.quantmini.transforms.model.Dataset;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code query} command: some symbols' bars and features over a session range, read from the lake
 * with DuckDB in this process. Only the session files in range are handed to DuckDB (the partition
 * folders tell which), only the asked columns are read, and the ticker filter is pushed into the
 * Parquet scan, where row groups whose ticker statistics exclude the symbols are skipped (files are
 * sorted by ticker). Stock prices are adjusted (silver's {@code adj_*} columns) unless {@code --raw}.
 * Symbols and fields are checked against a strict pattern and the lake's schema before any SQL is
 * built, and every name in the SQL is quoted.
 */
public final class LakeQuery {
  private LakeQuery() {}

  /** Output formats: an aligned table for people, CSV, or a Parquet file. */
  public enum Format { table, csv, parquet }

  /** Exit code of a usage error (bad flag, unknown field or symbol). */
  public static final int USAGE = 2;

  /** A refused request; its message is shown as is. */
  public static final class UsageError extends Exception {
    UsageError(String message) {
      super(message);
    }
  }

  /** What to read. {@code from}/{@code to} null = open. */
  public record Request(Path output, Dataset dataset, List<String> symbols, List<String> fields, LocalDate from,
      LocalDate to, Format format, Path out, boolean raw) {}

  /**
   * Rows read, in ticker then time order ({@code header} names their columns; none are held for a
   * Parquet output), and how many rows the query gave.
   */
  public record Result(List<String> header, List<Object[]> rows, long count, int files, int months, String layer,
      double listMillis, double sqlMillis, List<String> withoutRows) {}

  private static final List<String> FLAGS = List.of("output", "dataset", "symbols", "fields", "from", "to",
      "format", "out", "raw");
  /** Tickers the pipeline keeps (printable ASCII without quotes, slashes or spaces): nothing else can match. */
  private static final Pattern SYMBOL = Pattern.compile("[A-Za-z0-9.:+\\-_^=#&*!@$%?<>~|]{1,64}");
  private static final List<String> BAR_FIELDS = List.of("open", "high", "low", "close", "volume");
  /** Columns every row carries first; they are not fields one asks for. */
  private static final Set<String> KEYS = Set.of("ticker", "session_date", "window_start");

  /** Runs the command: 0 on success, {@link #USAGE} for a bad request, 1 when the lake cannot be read. */
  public static int run(List<String> args, PrintStream stdout, PrintStream stderr) {
    long t0 = System.nanoTime();
    try {
      Request r = parse(args);
      try (Connection c = connect()) {
        double connectMillis = (System.nanoTime() - t0) / 1e6;
        Result res = query(c, r);
        stderr.printf(Locale.ROOT, "query: %d row(s) from %d %s session file(s) and %d month file(s) in %.1f ms "
            + "(listing %.1f ms, DuckDB %.1f ms); DuckDB start %.0f ms%n", res.count(), res.files(), res.layer(),
            res.months(),
            res.listMillis() + res.sqlMillis(), res.listMillis(), res.sqlMillis(), connectMillis);
        if (!res.withoutRows().isEmpty()) {
          stderr.println("no rows in the range for " + String.join(", ", res.withoutRows()));
        }
        if (r.format() != Format.parquet) {
          write(res, r, stdout);
        }
        return 0;
      }
    } catch (UsageError e) {
      stderr.println(e.getMessage());
      return USAGE;
    } catch (IOException | SQLException e) {
      stderr.println("cannot query the lake: " + e.getMessage());
      return 1;
    }
  }

  /** An in-memory DuckDB connection (the native library loads on the first one in a JVM). */
  public static Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement st = c.createStatement()) {
      // Keeps Parquet footers between queries of one connection (a long-lived caller asks again cheaply).
      st.execute("SET enable_object_cache=true");
    }
    return c;
  }

  /** Parses {@code --name=value} flags; {@code --raw} alone means true. */
  public static Request parse(List<String> args) throws UsageError {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String a : args) {
      if (!a.startsWith("--")) {
        throw new UsageError("query: expected --name=value, got '" + a + "'");
      }
      int eq = a.indexOf('=');
      String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
      if (!FLAGS.contains(name)) {
        throw new UsageError("query: unknown option --" + name + "; expected one of --" + String.join(", --", FLAGS));
      }
      kv.put(name, eq < 0 ? "true" : a.substring(eq + 1));
    }
    Dataset ds;
    try {
      ds = Dataset.parse(kv.getOrDefault("dataset", "stocks_daily"));
    } catch (IllegalArgumentException e) {
      throw new UsageError("query: " + e.getMessage());
    }
    List<String> symbols = list(kv.get("symbols"));
    if (symbols.isEmpty()) {
      throw new UsageError("query: --symbols is required (e.g. --symbols=AAPL,MSFT)");
    }
    for (String s : symbols) {
      if (!SYMBOL.matcher(s).matches()) {
        throw new UsageError("query: '" + s + "' is not a ticker (printable ASCII without quotes, slashes or spaces)");
      }
    }
    List<String> fields = list(kv.getOrDefault("fields", String.join(",", BAR_FIELDS)));
    if (fields.isEmpty()) {
      throw new UsageError("query: --fields is empty");
    }
    Format format;
    try {
      format = Format.valueOf(kv.getOrDefault("format", "csv"));
    } catch (IllegalArgumentException e) {
      throw new UsageError("query: unknown --format=" + kv.get("format") + "; expected table, csv or parquet");
    }
    Path out = kv.containsKey("out") ? Path.of(kv.get("out")).toAbsolutePath() : null;
    if (format == Format.parquet && out == null) {
      throw new UsageError("query: --format=parquet needs --out=FILE");
    }
    String raw = kv.getOrDefault("raw", "false");
    if (!raw.equals("true") && !raw.equals("false")) {
      throw new UsageError("query: --raw takes no value (or true/false), got " + raw);
    }
    LocalDate from = date(kv.get("from"), "from");
    LocalDate to = date(kv.get("to"), "to");
    if (from != null && to != null && from.isAfter(to)) {
      throw new UsageError("query: --from=" + from + " is after --to=" + to);
    }
    return new Request(Path.of(kv.getOrDefault("output", "out")).toAbsolutePath(), ds, symbols, fields, from, to,
        format, out, raw.equals("true"));
  }

  private static List<String> list(String csv) {
    if (csv == null) {
      return List.of();
    }
    return new ArrayList<>(new LinkedHashSet<>(Arrays.stream(csv.split(",")).map(String::trim)
        .filter(s -> !s.isEmpty()).collect(Collectors.toList())));
  }

  private static LocalDate date(String v, String flag) throws UsageError {
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return LocalDate.parse(v.trim());
    } catch (DateTimeParseException e) {
      throw new UsageError("query: --" + flag + " must be YYYY-MM-DD, got " + v);
    }
  }

  /** Reads the rows (or, for parquet, writes them to {@code r.out()} atomically and returns none). */
  public static Result query(Connection c, Request r) throws UsageError, IOException, SQLException {
    long t0 = System.nanoTime();
    if (!Files.isDirectory(r.output().resolve("bronze").resolve(r.dataset().name()))) {
      throw new UsageError("query: the output " + r.output() + " has no " + r.dataset() + " sessions");
    }
    // The columns follow from the dataset and the output's feature families: no footer to read.
    List<String> bronzeCols = BarParquet.columnNames(r.dataset(), List.of(), List.of());
    Manifest manifest = Manifest.readLocal(r.output(), r.dataset().name());
    String families = manifest.features;
    List<String> silverCols = List.of();
    if (Files.isDirectory(r.output().resolve("silver").resolve(r.dataset().name()))) {
      List<String> fam = families == null ? null : List.of(families.split(","));
      silverCols = fam == null ? columns(c, anyFile(r.output(), r.dataset()))
          : BarParquet.columnNames(r.dataset(), FeatureMath.floatNames(r.dataset(), fam),
              FeatureMath.doubleNames(r.dataset(), fam));
    }
    List<String> cols = resolve(r, bronzeCols, silverCols);
    // Bronze is narrower (smaller footers to read per session) and enough when no feature is asked.
    boolean fromBronze = bronzeCols.containsAll(cols);
    String layer = fromBronze ? "bronze" : "silver";
    Reads files = files(r, layer, manifest);
    String time = r.dataset().isDaily() ? "session_date" : "window_start";
    List<String> header = new ArrayList<>(List.of("ticker", time));
    header.addAll(r.fields());
    double listMillis = (System.nanoTime() - t0) / 1e6;
    long t1 = System.nanoTime();
    List<Object[]> rows = new ArrayList<>();
    Set<String> found = new HashSet<>();
    long written = 0; // rows of a Parquet output (which are not held here)
    if (!files.isEmpty()) {
      // Minute times travel as epoch nanoseconds (the JDBC driver's own timestamp text has no zone letter).
      boolean epoch = !r.dataset().isDaily() && r.format() != Format.parquet;
      try (Statement st = c.createStatement()) {
        written = run(st, sql(r, cols, files, epoch, time), r, header.size(), epoch, rows, found);
      } catch (SQLException e) {
        if (files.months().isEmpty()) {
          throw e;
        }
        // A compaction replaced a month file between our look and DuckDB's: the session files answer.
        files = new Reads(List.of(), files.allSessions(), files.allSessions());
        rows.clear();
        found.clear();
        try (Statement st = c.createStatement()) {
          written = run(st, sql(r, cols, files, epoch, time), r, header.size(), epoch, rows, found);
        }
      }
    }
    double sqlMillis = (System.nanoTime() - t1) / 1e6;
    if (r.format() != Format.parquet || files.isEmpty()) {
      checkSymbols(c, r, found);
    }
    List<String> withoutRows = r.symbols().stream().filter(s -> !found.contains(s)).collect(Collectors.toList());
    return new Result(header, rows, rows.size() + written, files.sessions().size(), files.months().size(), layer,
        listMillis, sqlMillis, withoutRows);
  }

  /**
   * The files a query reads: fresh month files ({@link MonthCompaction}) for the months they cover,
   * session files in range for the rest; {@code allSessions} holds every session file in range.
   */
  record Reads(List<Path> months, List<Path> sessions, List<Path> allSessions) {
    boolean isEmpty() {
      return months.isEmpty() && sessions.isEmpty();
    }
  }

  /** Only committed sessions: a run still writing (or one that died) may have left newer files. */
  private static Reads files(Request r, String layer, Manifest manifest) throws IOException {
    boolean monthly = MonthCompaction.applies(r.dataset());
    // A month file is judged against all of its month's sessions, so whole months are listed.
    LocalDate from = r.from() == null || !monthly ? r.from() : r.from().withDayOfMonth(1);
    LocalDate to = r.to() == null || !monthly ? r.to() : YearMonth.from(r.to()).atEndOfMonth();
    TreeMap<LocalDate, Path> listed = MonthCompaction.committedSessions(r.output(), layer, r.dataset(),
        manifest.sessions(), from, to);
    TreeMap<YearMonth, Path> fresh = MonthCompaction.freshMonths(r.output(), layer, r.dataset(),
        MonthCompaction.byMonth(listed));
    List<Path> sessions = new ArrayList<>();
    List<Path> all = new ArrayList<>();
    listed.forEach((d, p) -> {
      if ((r.from() == null || !d.isBefore(r.from())) && (r.to() == null || !d.isAfter(r.to()))) {
        all.add(p);
        if (!fresh.containsKey(YearMonth.from(d))) {
          sessions.add(p);
        }
      }
    });
    // A fresh month whose sessions all lie outside the range (an edge month) adds nothing.
    fresh.keySet().removeIf(m -> listed.subMap(m.atDay(1), true, m.atEndOfMonth(), true).keySet().stream()
        .noneMatch(d -> (r.from() == null || !d.isBefore(r.from())) && (r.to() == null || !d.isAfter(r.to()))));
    return new Reads(new ArrayList<>(fresh.values()), sessions, all);
  }

  /**
   * One scan per kind of file (month files filtered to the range, which they may exceed), the
   * ticker filter in each, ordered by ticker and time.
   */
  private static String sql(Request r, List<String> cols, Reads files, boolean epoch, String time) {
    StringBuilder select = new StringBuilder("SELECT ticker, ").append(epoch ? "epoch_ns(window_start)" : time)
        .append(" AS ").append(time);
    for (int i = 0; i < cols.size(); i++) {
      select.append(", ").append(ident(cols.get(i))).append(" AS ").append(ident(r.fields().get(i)));
    }
    String tickers = " WHERE ticker IN (" + r.symbols().stream().map(LakeQuery::literal)
        .collect(Collectors.joining(", ")) + ")";
    List<String> scans = new ArrayList<>();
    if (!files.months().isEmpty()) {
      String range = (r.from() == null ? "" : " AND session_date >= DATE " + literal(r.from().toString()))
          + (r.to() == null ? "" : " AND session_date <= DATE " + literal(r.to().toString()));
      scans.add(select + " FROM " + scan(files.months()) + tickers + range);
    }
    if (!files.sessions().isEmpty()) {
      scans.add(select + " FROM " + scan(files.sessions()) + tickers);
    }
    return String.join(" UNION ALL ", scans) + " ORDER BY ticker, " + time;
  }

  private static String scan(List<Path> files) {
    return "read_parquet(" + files.stream().map(p -> literal(p.toString())).collect(Collectors.joining(", ", "[", "]"))
        + ", hive_partitioning = false)";
  }

  /** Runs the query into {@code rows}, or for parquet into {@code r.out()}; returns the rows written to a file. */
  private static long run(Statement st, String sql, Request r, int n, boolean epoch, List<Object[]> rows,
      Set<String> found) throws SQLException, IOException, UsageError {
    long written = 0;
    if (r.format() == Format.parquet) {
      Files.createDirectories(r.out().getParent());
      Path tmp = r.out().resolveSibling("_tmp-" + UUID.randomUUID() + "-" + r.out().getFileName());
      try {
        st.execute("COPY (" + sql + ") TO " + literal(tmp.toString()) + " (FORMAT parquet, COMPRESSION zstd)");
        try (ResultSet rs = st.executeQuery("SELECT ticker, count(*) FROM read_parquet(" + literal(tmp.toString())
            + ") GROUP BY ticker")) {
          while (rs.next()) {
            found.add(rs.getString(1));
            written += rs.getLong(2);
          }
        }
        checkSymbols(st.getConnection(), r, found); // before the file is published
        Files.move(tmp, r.out(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return written;
    }
    try (ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        Object[] row = new Object[n];
        for (int i = 0; i < n; i++) {
          row[i] = rs.getObject(i + 1);
        }
        if (epoch) {
          long ns = (Long) row[1];
          row[1] = Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
        }
        found.add((String) row[0]);
        rows.add(row);
      }
    }
    return 0;
  }

  /**
   * The column each field reads: stock bar prices and volume are silver's adjusted ones unless raw;
   * names match case-insensitively (silver's Alpha158 columns are upper case, Qlib's fields lower).
   */
  static List<String> resolve(Request r, List<String> bronzeCols, List<String> silverCols) throws UsageError {
    List<String> all = new ArrayList<>(bronzeCols);
    silverCols.stream().filter(s -> !all.contains(s)).forEach(all::add);
    boolean adjusted = !r.raw() && silverCols.contains("adj_close");
    List<String> out = new ArrayList<>();
    for (String f : r.fields()) {
      String lower = f.toLowerCase(Locale.ROOT);
      if (KEYS.contains(lower)) {
        throw new UsageError("query: " + f + " is always in the output; ask for other fields");
      }
      if (!adjusted && !r.raw() && BAR_FIELDS.contains(lower) && FeatureMath.adjusted(r.dataset())) {
        // Bronze's prices are raw: answering with them silently would mislabel them as adjusted.
        throw new UsageError("query: " + r.dataset() + " has no silver (built with --features=), where the "
            + "adjusted " + lower + " lives; pass --raw for bronze's raw prices (Qlib holds the adjusted ones)");
      }
      String col = adjusted && BAR_FIELDS.contains(lower) ? "adj_" + lower
          : all.stream().filter(a -> a.equalsIgnoreCase(f)).findFirst().orElse(null);
      if (col == null) {
        throw new UsageError("query: unknown field '" + f + "' for " + r.dataset() + "; valid fields: "
            + all.stream().filter(a -> !KEYS.contains(a)).collect(Collectors.joining(", ")));
      }
      out.add(col);
    }
    return out;
  }

  /**
   * Refuses symbols that have no row in range and are nowhere in the lake (a typo); a symbol that
   * exists but not in the range only gets a warning from the caller's empty rows.
   */
  private static void checkSymbols(Connection c, Request r, Set<String> found) throws UsageError, IOException,
      SQLException {
    List<String> missing = r.symbols().stream().filter(s -> !found.contains(s)).collect(Collectors.toList());
    if (missing.isEmpty()) {
      return;
    }
    Set<String> known = new HashSet<>();
    Path all = r.output().resolve("qlib").resolve(r.dataset().name()).resolve("instruments").resolve("all.txt");
    if (Files.exists(all)) {
      for (String line : Files.readAllLines(all, StandardCharsets.UTF_8)) {
        known.add(line.split("\t", 2)[0]);
      }
    }
    List<String> unknown = new ArrayList<>();
    for (String s : missing) {
      if (!known.contains(QlibNames.instrument(s, r.dataset())) && !inBronze(c, r, s)) {
        unknown.add(s);
      }
    }
    if (!unknown.isEmpty()) {
      throw new UsageError("query: unknown symbol(s) " + String.join(", ", unknown) + ": no " + r.dataset()
          + " bar in the lake (tickers are case-sensitive)");
    }
  }

  /** Whether any bronze session holds the ticker: the whole lake is scanned, so only for the rare miss. */
  private static boolean inBronze(Connection c, Request r, String symbol) throws IOException, SQLException {
    TreeMap<LocalDate, Path> files = LakeFiles.sessions(r.output(), "bronze", r.dataset(), null, null, ".parquet");
    if (files.isEmpty()) {
      return false;
    }
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM (SELECT 1 FROM "
        + "read_parquet(" + files.values().stream().map(p -> literal(p.toString()))
        .collect(Collectors.joining(", ", "[", "]")) + ") WHERE ticker = " + literal(symbol) + " LIMIT 1)")) {
      return rs.next() && rs.getLong(1) > 0;
    }
  }

  /** The last silver session file (to read its schema when the manifest names no feature families). */
  private static Path anyFile(Path output, Dataset ds) throws IOException, UsageError {
    TreeMap<LocalDate, Path> all = LakeFiles.sessions(output, "silver", ds, null, null, ".parquet");
    if (all.isEmpty()) {
      throw new UsageError("query: the output " + output + " has no " + ds + " sessions");
    }
    return all.lastEntry().getValue();
  }

  /** Column names of a Parquet file, in order. */
  static List<String> columns(Connection c, Path file) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet(" + literal(file.toString())
            + ", hive_partitioning = false)")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** A SQL string literal. */
  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** A SQL identifier, quoted. */
  static String ident(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  /** Writes CSV or the table to {@code --out} (atomically) or to stdout. */
  static void write(Result res, Request r, PrintStream stdout) throws IOException {
    if (r.out() == null) {
      Writer w = new OutputStreamWriter(stdout, StandardCharsets.UTF_8);
      render(res, r.format(), w);
      w.flush();
      return;
    }
    StringWriter w = new StringWriter();
    render(res, r.format(), w);
    AtomicFiles.writeString(AtomicFiles.resource(r.out().toString()), w.toString());
  }

  static void render(Result res, Format format, Writer w) throws IOException {
    List<String[]> text = new ArrayList<>();
    for (Object[] row : res.rows()) {
      String[] t = new String[row.length];
      for (int i = 0; i < row.length; i++) {
        t[i] = text(row[i]);
      }
      text.add(t);
    }
    if (format == Format.csv) {
      w.write(String.join(",", res.header()));
      w.write('\n');
      for (String[] t : text) {
        w.write(String.join(",", t));
        w.write('\n');
      }
      return;
    }
    int[] width = new int[res.header().size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = res.header().get(i).length();
      for (String[] t : text) {
        width[i] = Math.max(width[i], t[i].length());
      }
    }
    line(w, res.header().toArray(new String[0]), width);
    for (String[] t : text) {
      line(w, t, width);
    }
    w.write(String.format("(%d rows)%n", text.size()));
  }

  private static void line(Writer w, String[] cells, int[] width) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      // Text columns (ticker, time) left-aligned, numbers right-aligned.
      b.append(i < 2 ? String.format("%-" + width[i] + "s", cells[i]) : String.format("%" + width[i] + "s", cells[i]));
      b.append(i == cells.length - 1 ? "\n" : "  ");
    }
    w.write(b.toString());
  }

  /** One value as CSV text: shortest digits without exponent, ISO dates and UTC instants, empty for null. */
  static String text(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return Double.toString(d);
      }
      String shortest = v instanceof Float ? Float.toString((Float) v) : Double.toString(d);
      return new BigDecimal(shortest).stripTrailingZeros().toPlainString();
    }
    return v.toString(); // text, LocalDate (ISO), Instant (ISO, UTC), integers
  }
}
