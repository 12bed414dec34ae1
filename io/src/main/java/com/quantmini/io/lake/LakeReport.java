package com.quantmini.io.lake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.quantmini.io.AtomicFiles;
import com.quantmini.io.Manifest;
import com.quantmini.io.RunLog;
import com.quantmini.transforms.calendar.NyseCalendar;
import com.quantmini.transforms.model.Dataset;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The {@code report} command: {@code <output>/report/index.html}, one self-contained page (inline
 * CSS, SVG and script, nothing fetched) with, per dataset, a calendar heat map of its sessions
 * (rows written, rows quarantined, sessions the NYSE calendar expects but the lake lacks), the
 * quarantine reasons per session, the symbols per session, and the last runs from the run log.
 * Rows and quarantined counts come from the manifest, reasons from the quarantine files, symbols
 * from bronze (DuckDB, ticker column only). Written to a temp file and renamed.
 */
public final class LakeReport {
  private LakeReport() {}

  /** Runs shown in the table, newest first. */
  static final int RUNS_SHOWN = 30;

  /** Runs the command: 0 when written, 2 for a bad flag, 1 when the lake cannot be read. */
  public static int run(List<String> args, PrintStream stdout, PrintStream stderr) {
    Path output = Path.of("out");
    for (String a : args) {
      if (a.startsWith("--output=")) {
        output = Path.of(a.substring("--output=".length()));
      } else {
        stderr.println("report: unknown option " + a + "; expected --output=OUT");
        return LakeQuery.USAGE;
      }
    }
    long t0 = System.nanoTime();
    try {
      Path page = write(output.toAbsolutePath());
      stdout.printf(Locale.ROOT, "report: %s (%.1f s)%n", page, (System.nanoTime() - t0) / 1e9);
      return 0;
    } catch (IOException | SQLException e) {
      stderr.println("cannot write the report: " + e.getMessage());
      return 1;
    }
  }

  /** Writes the page atomically and returns its path. */
  public static Path write(Path output) throws IOException, SQLException {
    if (!Files.isDirectory(output.resolve("_manifest"))) {
      throw new IOException(output + " has no _manifest folder: not a QuantMini output");
    }
    String html = html(data(output));
    Path page = Files.createDirectories(output.resolve("report")).resolve("index.html");
    AtomicFiles.writeString(AtomicFiles.resource(page.toString()), html);
    return page;
  }

  /** Everything the page shows, as a tree Jackson turns into JSON. */
  static Map<String, Object> data(Path output) throws IOException, SQLException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("output", output.toString());
    root.put("generated", Instant.now().toString());
    List<Map<String, Object>> datasets = new ArrayList<>();
    try (Connection c = LakeQuery.connect()) {
      for (Dataset d : Dataset.values()) {
        Manifest m = Manifest.readLocal(output, d.name());
        if (!m.entries.isEmpty()) {
          datasets.add(dataset(c, output, m, d));
        }
      }
    }
    root.put("datasets", datasets);
    List<RunLog.Run> runs = RunLog.read(output);
    List<Map<String, Object>> shown = new ArrayList<>();
    for (int i = runs.size() - 1; i >= 0 && shown.size() < RUNS_SHOWN; i--) {
      RunLog.Run r = runs.get(i);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("started", r.startedAt());
      m.put("committed", r.committedAt());
      m.put("seconds", r.seconds());
      m.put("dataset", r.dataset());
      m.put("files", r.files());
      m.put("rowsRead", r.rowsRead());
      m.put("rowsWritten", r.rowsWritten());
      m.put("rowsQuarantined", r.rowsQuarantined());
      m.put("sessions", r.firstSession().equals(r.lastSession()) ? r.firstSession()
          : r.firstSession() + ".." + r.lastSession());
      shown.add(m);
    }
    root.put("runs", shown);
    root.put("runsLogged", runs.size());
    return root;
  }

  private static Map<String, Object> dataset(Connection c, Path output, Manifest m, Dataset d)
      throws IOException, SQLException {
    TreeMap<String, long[]> bySession = new TreeMap<>(); // rows written, rows quarantined
    for (Manifest.Entry e : m.entries.values()) {
      long[] v = bySession.computeIfAbsent(e.session(), k -> new long[2]);
      v[0] += e.rowsWritten;
      v[1] += e.rowsQuarantined;
    }
    Map<String, Map<String, Long>> reasons = reasons(output, d);
    Map<String, Long> symbols = symbols(c, output, d, bySession.keySet());
    List<Map<String, Object>> sessions = new ArrayList<>();
    bySession.forEach((s, v) -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("session", s);
      row.put("rows", v[0]);
      row.put("quarantined", v[1]);
      row.put("symbols", symbols.getOrDefault(s, 0L));
      row.put("reasons", reasons.getOrDefault(s, Map.of()));
      sessions.add(row);
    });
    LocalDate first = LocalDate.parse(bySession.firstKey());
    LocalDate last = LocalDate.parse(bySession.lastKey());
    List<String> missing = NyseCalendar.sessions(first, last).stream().map(LocalDate::toString)
        .filter(s -> !bySession.containsKey(s)).collect(Collectors.toList());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", d.name());
    out.put("first", first.toString());
    out.put("last", last.toString());
    out.put("sessions", sessions);
    out.put("missing", missing);
    // Every NYSE session and holiday in range, so the heat map can tell a holiday from a gap.
    out.put("calendar", NyseCalendar.sessions(first, last).stream().map(LocalDate::toString)
        .collect(Collectors.toList()));
    return out;
  }

  /** Session → reason → quarantine records, from the quarantine's JSON lines. */
  static Map<String, Map<String, Long>> reasons(Path output, Dataset d) throws IOException {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    for (Map.Entry<LocalDate, Path> f : LakeFiles.sessions(output, "quarantine", d, null, null, ".jsonl")
        .entrySet()) {
      Map<String, Long> counts = new TreeMap<>();
      try (InputStream in = Files.newInputStream(f.getValue());
          BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          // The first "reason" key is the record's own: inside string values quotes are escaped.
          int i = line.indexOf("\"reason\":\"");
          if (i >= 0) {
            int start = i + 10;
            counts.merge(line.substring(start, line.indexOf('"', start)), 1L, Long::sum);
          }
        }
      }
      if (!counts.isEmpty()) {
        out.put(f.getKey().toString(), counts);
      }
    }
    return out;
  }

  /** Session → distinct tickers in bronze, over the committed sessions. */
  static Map<String, Long> symbols(Connection c, Path output, Dataset d, Set<String> committed)
      throws SQLException, IOException {
    TreeMap<LocalDate, Path> files = LakeFiles.sessions(output, "bronze", d, null, null, ".parquet");
    files.keySet().removeIf(s -> !committed.contains(s.toString()));
    Map<String, Long> out = new TreeMap<>();
    if (files.isEmpty()) {
      return out;
    }
    String list = files.values().stream().map(p -> LakeQuery.literal(p.toString()))
        .collect(Collectors.joining(", ", "[", "]"));
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT CAST(session_date AS VARCHAR), "
        + "count(DISTINCT ticker) FROM read_parquet(" + list + ", hive_partitioning = false) GROUP BY 1")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
    }
    return out;
  }

  static String html(Map<String, Object> data) throws IOException {
    String json = new ObjectMapper().writeValueAsString(data).replace("</", "<\\/");
    String template;
    try (InputStream in = LakeReport.class.getResourceAsStream("report.html")) {
      if (in == null) {
        throw new IOException("report.html template missing from the jar");
      }
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return template.replace("/*DATA*/null", json);
  }
}
