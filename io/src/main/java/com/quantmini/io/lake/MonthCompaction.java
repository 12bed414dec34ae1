package com.quantmini.io.lake;

import com.quantmini.io.Manifest;
import com.quantmini.io.OutputLock;
import com.quantmini.transforms.calendar.NyseCalendar;
import com.quantmini.transforms.model.Dataset;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Month files of a daily dataset: a closed month's committed session files copied into one
 * Parquet file sorted by ticker, in row groups small enough that a ticker filter skips nearly all
 * of it. A year of daily data is then 12 footers to read instead of 252, which is what makes a
 * one-symbol query fast. The session files stay the lake (the pipeline, validate and report read
 * them); month files are a derived copy under {@code _compact/<layer>/<dataset>/} that a reader
 * uses only while it is <em>fresh</em>: its index ({@code YYYY-MM.tsv}) lists each session file it
 * was built from with its size, modification time and inode, and any rewrite (a republished or
 * back-filled session, prices re-adjusted by a late split) replaces the session file by a rename,
 * which changes them. A stale month is simply not read until the next compaction rebuilds it.
 */
public final class MonthCompaction {
  private MonthCompaction() {}

  /** The folder of month files, beside (not inside) the layers, so a glob over a layer never reads them twice. */
  public static final String DIR = "_compact";
  /** Rows per row group: a month of 5 000 tickers is ~7 groups; smaller groups cost more footer than they skip. */
  static final int ROW_GROUP_ROWS = 16_384;
  /**
   * zstd level of month files. Measured on a daily1y silver month (20 sessions, 62 MB): level 1
   * copies it in 0.71–0.81 s against 0.99–1.11 s at DuckDB's default (3), for a file 1.1 % larger;
   * a daily build compacts eleven such months per layer after its commit.
   */
  static final int ZSTD_LEVEL = 1;
  private static final List<String> LAYERS = List.of("bronze", "silver");
  private static final String INDEX_HEADER = "# quantmini month file: the session files it holds (session, size, "
      + "mtime ns, inode)";

  /** One session file as it was when a month file was built from it. */
  record Source(LocalDate session, long size, long mtimeNanos, long inode) {
    static Source of(LocalDate session, Path file) throws IOException {
      try {
        // One stat for all three (a file store lookup per file would cost more than the query).
        Map<String, Object> unix = Files.readAttributes(file, "unix:size,lastModifiedTime,ino");
        return new Source(session, (Long) unix.get("size"), nanos((FileTime) unix.get("lastModifiedTime")),
            (Long) unix.get("ino"));
      } catch (UnsupportedOperationException e) {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new Source(session, a.size(), nanos(a.lastModifiedTime()), 0);
      }
    }

    private static long nanos(FileTime t) {
      return t.toInstant().getEpochSecond() * 1_000_000_000L + t.toInstant().getNano();
    }

    String line() {
      return session + "\t" + size + "\t" + mtimeNanos + "\t" + inode;
    }
  }

  /** A month file's index: the data file's name and its sources, in session order. */
  record Index(String file, List<Source> sources) {
    static Index read(Path path) throws IOException {
      String file = null;
      List<Source> sources = new ArrayList<>();
      for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] f = line.split("\t");
        if (f[0].equals("file") && f.length == 2) {
          file = f[1];
        } else if (f.length == 4) {
          sources.add(new Source(LocalDate.parse(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
              Long.parseLong(f[3])));
        } else {
          throw new IOException("malformed line in " + path + ": " + line);
        }
      }
      if (file == null) {
        throw new IOException(path + " names no month file");
      }
      return new Index(file, sources);
    }

    String text() {
      return INDEX_HEADER + "\nfile\t" + file + "\n" + sources.stream().map(Source::line)
          .collect(Collectors.joining("\n", "", "\n"));
    }
  }

  /** What one compaction did for one dataset. */
  public record Outcome(Dataset dataset, int rebuilt, int fresh, int removed) {
    @Override
    public String toString() {
      return dataset + ": " + rebuilt + " month file(s) written, " + fresh + " already fresh, " + removed + " removed";
    }
  }

  /** Whether month files are kept for a dataset: daily ones (a minute session is already many row groups). */
  public static boolean applies(Dataset ds) {
    return ds.isDaily();
  }

  /**
   * Brings the dataset's month files up to date with its committed sessions: every closed month
   * (its last NYSE session is on or before the last committed one) whose file is missing or stale
   * is rebuilt; month files of months that no longer qualify are removed. The caller holds the
   * output (a run's lock, or the {@code compact} command's).
   */
  public static Outcome compact(Path output, Dataset ds) throws IOException, SQLException {
    if (!applies(ds)) {
      return new Outcome(ds, 0, 0, 0);
    }
    Manifest manifest = Manifest.readLocal(output, ds.name());
    SortedSet<String> committed = manifest.sessions();
    String last = manifest.lastSession();
    int rebuilt = 0;
    int fresh = 0;
    int removed = 0;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      for (String layer : LAYERS) {
        if (!Files.isDirectory(output.resolve(layer).resolve(ds.name()))) {
          continue;
        }
        Path dir = output.resolve(DIR).resolve(layer).resolve(ds.name());
        deleteTemps(dir);
        TreeMap<YearMonth, TreeMap<LocalDate, Path>> months = byMonth(committedSessions(output, layer, ds, committed,
            null, null));
        if (last != null) {
          LocalDate lastSession = LocalDate.parse(last);
          months.keySet().removeIf(m -> !closed(m, lastSession));
        } else {
          months.clear();
        }
        for (Map.Entry<YearMonth, TreeMap<LocalDate, Path>> m : months.entrySet()) {
          List<Source> sources = sources(m.getValue());
          Index old = index(dir, m.getKey());
          if (old != null && old.sources().equals(sources) && Files.exists(dir.resolve(old.file()))) {
            fresh++;
            continue;
          }
          write(c, dir, m.getKey(), m.getValue(), sources, old);
          rebuilt++;
        }
        removed += removeOthers(dir, months.keySet());
      }
    }
    return new Outcome(ds, rebuilt, fresh, removed);
  }

  /**
   * The fresh month files among {@code sessions} (committed session files, grouped by month: every
   * session of a month must be there for its file to be judged), by month.
   */
  static TreeMap<YearMonth, Path> freshMonths(Path output, String layer, Dataset ds,
      TreeMap<YearMonth, TreeMap<LocalDate, Path>> sessions) throws IOException {
    TreeMap<YearMonth, Path> out = new TreeMap<>();
    Path dir = output.resolve(DIR).resolve(layer).resolve(ds.name());
    if (!applies(ds) || !Files.isDirectory(dir)) {
      return out;
    }
    for (Map.Entry<YearMonth, TreeMap<LocalDate, Path>> m : sessions.entrySet()) {
      Index idx;
      try {
        idx = index(dir, m.getKey());
      } catch (IOException | RuntimeException e) {
        continue; // an unreadable index is a stale one: the session files answer
      }
      if (idx != null && idx.sources().equals(sources(m.getValue())) && Files.exists(dir.resolve(idx.file()))) {
        out.put(m.getKey(), dir.resolve(idx.file()));
      }
    }
    return out;
  }

  /** A month file as {@code validate} sees it: fresh or not, and the sessions its index names. */
  public record Indexed(YearMonth month, Path index, Path data, boolean fresh, List<LocalDate> sessions) {}

  /**
   * Every month index of a layer, judged against the committed session files; data files no index
   * names are returned as {@code unnamed}.
   */
  public static List<Indexed> indexed(Path output, String layer, Dataset ds, SortedSet<String> committed,
      List<Path> unnamed) throws IOException {
    List<Indexed> out = new ArrayList<>();
    Path dir = output.resolve(DIR).resolve(layer).resolve(ds.name());
    if (!Files.isDirectory(dir)) {
      return out;
    }
    TreeMap<YearMonth, TreeMap<LocalDate, Path>> months = byMonth(committedSessions(output, layer, ds, committed,
        null, null));
    List<String> named = new ArrayList<>();
    for (Path p : list(dir)) {
      String n = p.getFileName().toString();
      YearMonth m = n.endsWith(".tsv") ? month(n.substring(0, n.length() - 4)) : null;
      if (m == null) {
        continue;
      }
      Index idx = Index.read(p);
      named.add(idx.file());
      TreeMap<LocalDate, Path> now = months.getOrDefault(m, new TreeMap<>());
      out.add(new Indexed(m, p, dir.resolve(idx.file()), idx.sources().equals(sources(now)),
          idx.sources().stream().map(Source::session).collect(Collectors.toList())));
    }
    for (Path p : list(dir)) {
      String n = p.getFileName().toString();
      if (n.endsWith(".parquet") && !n.startsWith("_tmp-") && !named.contains(n)) {
        unnamed.add(p);
      }
    }
    return out;
  }

  /** Committed session files of a layer in [from, to] (null = open), by date. */
  static TreeMap<LocalDate, Path> committedSessions(Path output, String layer, Dataset ds, SortedSet<String> committed,
      LocalDate from, LocalDate to) throws IOException {
    TreeMap<LocalDate, Path> files = LakeFiles.sessions(output, layer, ds, from, to, ".parquet");
    files.keySet().removeIf(d -> !committed.contains(d.toString()));
    return files;
  }

  static TreeMap<YearMonth, TreeMap<LocalDate, Path>> byMonth(TreeMap<LocalDate, Path> files) {
    TreeMap<YearMonth, TreeMap<LocalDate, Path>> out = new TreeMap<>();
    files.forEach((d, p) -> out.computeIfAbsent(YearMonth.from(d), k -> new TreeMap<>()).put(d, p));
    return out;
  }

  /** A month is closed once the lake holds a session on or after its last NYSE session. */
  static boolean closed(YearMonth month, LocalDate lastSession) {
    List<LocalDate> sessions = NyseCalendar.sessions(month.atDay(1), month.atEndOfMonth());
    LocalDate end = sessions.isEmpty() ? month.atEndOfMonth() : sessions.get(sessions.size() - 1);
    return !lastSession.isBefore(end);
  }

  private static List<Source> sources(TreeMap<LocalDate, Path> files) throws IOException {
    List<Source> out = new ArrayList<>();
    for (Map.Entry<LocalDate, Path> f : files.entrySet()) {
      out.add(Source.of(f.getKey(), f.getValue()));
    }
    return out;
  }

  private static Index index(Path dir, YearMonth month) throws IOException {
    Path p = dir.resolve(month + ".tsv");
    return Files.exists(p) ? Index.read(p) : null;
  }

  /**
   * Copies the month's session files, sorted by ticker and session, into a new data file, then
   * publishes it by replacing the index (one rename), then deletes the file the old index named.
   * The sources were taken before the copy, so a session rewritten meanwhile leaves the month stale.
   */
  private static void write(Connection c, Path dir, YearMonth month, TreeMap<LocalDate, Path> files,
      List<Source> sources, Index old) throws IOException, SQLException {
    Files.createDirectories(dir);
    String name = month + "-" + UUID.randomUUID().toString().substring(0, 8) + ".parquet";
    Path tmp = dir.resolve("_tmp-" + name);
    Path spill = dir.resolve("_tmp-spill-" + UUID.randomUUID());
    try (Statement st = c.createStatement()) {
      // A month of options contracts can be millions of rows: bounded memory, spilling beside the output.
      st.execute("SET memory_limit = '2GB'");
      st.execute("SET temp_directory = " + LakeQuery.literal(spill.toString()));
      st.execute("COPY (SELECT * FROM read_parquet(" + files.values().stream().map(p -> LakeQuery.literal(p.toString()))
          .collect(Collectors.joining(", ", "[", "]")) + ", hive_partitioning = false) ORDER BY ticker, session_date) TO "
          + LakeQuery.literal(tmp.toString()) + " (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL " + ZSTD_LEVEL
          + ", ROW_GROUP_SIZE " + ROW_GROUP_ROWS + ")");
      Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      Path idx = dir.resolve(month + ".tsv");
      Path idxTmp = dir.resolve("_tmp-" + UUID.randomUUID() + "-" + month + ".tsv");
      Files.writeString(idxTmp, new Index(name, sources).text(), StandardCharsets.UTF_8);
      Files.move(idxTmp, idx, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      if (old != null && !old.file().equals(name)) {
        Files.deleteIfExists(dir.resolve(old.file()));
      }
    } finally {
      Files.deleteIfExists(tmp);
      deleteTree(spill);
    }
  }

  /** Removes indexes of months not kept, then data files no index names; returns the months removed. */
  private static int removeOthers(Path dir, Set<YearMonth> kept) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int removed = 0;
    List<String> named = new ArrayList<>();
    for (Path p : list(dir)) {
      String n = p.getFileName().toString();
      if (!n.endsWith(".tsv")) {
        continue;
      }
      YearMonth m = month(n.substring(0, n.length() - 4));
      if (m == null || !kept.contains(m)) {
        Files.delete(p);
        removed++;
      } else {
        named.add(Index.read(p).file());
      }
    }
    for (Path p : list(dir)) {
      String n = p.getFileName().toString();
      if (n.endsWith(".parquet") && !named.contains(n)) {
        Files.delete(p);
      }
    }
    return removed;
  }

  private static YearMonth month(String s) {
    try {
      return YearMonth.parse(s);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Temp files and spill folders a killed compaction left. */
  private static void deleteTemps(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    for (Path p : list(dir)) {
      if (p.getFileName().toString().startsWith("_tmp-")) {
        deleteTree(p);
      }
    }
  }

  private static List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(out::add);
    }
    return out;
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    if (Files.isDirectory(p)) {
      for (Path child : list(p)) {
        deleteTree(child);
      }
    }
    Files.delete(p);
  }

  /**
   * The {@code compact} command: {@code --output=OUT [--datasets=stocks_daily,options_daily]}. It
   * takes the output's lock (a run writing session files meanwhile would only leave months stale,
   * but two compactions must not share temp names). 0 done, 1 failed, 2 usage, 3 output locked.
   */
  public static int run(List<String> args, PrintStream stdout, PrintStream stderr) {
    String output = "out";
    List<Dataset> datasets = new ArrayList<>();
    for (String a : args) {
      if (a.startsWith("--output=")) {
        output = a.substring("--output=".length());
      } else if (a.startsWith("--datasets=")) {
        for (String d : a.substring("--datasets=".length()).split(",")) {
          try {
            datasets.add(Dataset.parse(d.trim()));
          } catch (IllegalArgumentException e) {
            stderr.println("compact: " + e.getMessage());
            return 2;
          }
        }
      } else {
        stderr.println("compact: unknown flag " + a + "; usage: compact --output=OUT [--datasets=stocks_daily,...]");
        return 2;
      }
    }
    if (datasets.isEmpty()) {
      datasets = List.of(Dataset.values()).stream().filter(MonthCompaction::applies).collect(Collectors.toList());
    }
    Path out = Path.of(output).toAbsolutePath();
    try (OutputLock lock = OutputLock.acquire(out.toString(), "compact")) {
      for (Dataset ds : datasets) {
        if (!applies(ds)) {
          stderr.println("compact: " + ds + " is not compacted (a minute session is already many row groups)");
          continue;
        }
        stdout.println(compact(out, ds));
      }
      return 0;
    } catch (OutputLock.Held e) {
      stderr.println(e.getMessage());
      return 3;
    } catch (IOException | SQLException e) {
      stderr.println("compact: " + e.getMessage());
      return 1;
    }
  }
}
