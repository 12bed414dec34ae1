package com.quantmini.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The output's run history, {@code <output>/_runs/runs.tsv}: one line per dataset a committed run
 * (or part) changed, appended by the commit after the manifest. It is a log, never read by a run:
 * losing it loses history, not data. A commit the runner retries may append its lines twice; a
 * reader keeps the first line of a (started, dataset) pair.
 */
public final class RunLog {
  private RunLog() {}

  static final String HEADER = "started_at\tcommitted_at\tseconds\tdataset\tfiles\trows_read\trows_written"
      + "\trows_quarantined\tfirst_session\tlast_session";

  /** One dataset's share of one committed run. */
  public record Run(String startedAt, String committedAt, double seconds, String dataset, long files, long rowsRead,
      long rowsWritten, long rowsQuarantined, String firstSession, String lastSession) {}

  public static Path path(String output) {
    return Paths.get(output, "_runs", "runs.tsv");
  }

  /**
   * The line of a run started at {@code startedAt} that committed {@code ledger} (the manifest's
   * lines: key, size, etag, rows read, written, quarantined) for {@code dataset} now.
   */
  static String line(String startedAt, Instant committedAt, String dataset, List<String> ledger) {
    long files = 0;
    long read = 0;
    long written = 0;
    long quarantined = 0;
    String first = null;
    String last = null;
    for (String l : ledger) {
      if (l.isBlank()) {
        continue;
      }
      Manifest.Entry e = Manifest.Entry.parse(l);
      files++;
      read += e.rowsRead;
      written += e.rowsWritten;
      quarantined += e.rowsQuarantined;
      String s = e.session();
      first = first == null || s.compareTo(first) < 0 ? s : first;
      last = last == null || s.compareTo(last) > 0 ? s : last;
    }
    double seconds = Duration.between(Instant.parse(startedAt), committedAt).toMillis() / 1e3;
    return String.join("\t", startedAt, committedAt.toString(), String.format(Locale.ROOT, "%.1f", seconds),
        dataset, Long.toString(files), Long.toString(read), Long.toString(written), Long.toString(quarantined),
        first == null ? "" : first, last == null ? "" : last);
  }

  /** Appends lines (one write, so concurrent readers see whole lines); the header comes with the first. */
  static void append(String output, List<String> lines) throws IOException {
    if (lines.isEmpty() || output.contains("://")) {
      return;
    }
    Path p = path(output.startsWith("file://") ? output.substring("file://".length()) : output);
    Files.createDirectories(p.getParent());
    StringBuilder b = new StringBuilder(Files.exists(p) ? "" : HEADER + "\n");
    lines.forEach(l -> b.append(l).append('\n'));
    Files.write(p, b.toString().getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
  }

  /** Every logged run in commit order, repeated lines dropped; empty when the output has no log. */
  public static List<Run> read(Path output) throws IOException {
    Path p = output.resolve("_runs").resolve("runs.tsv");
    Map<String, Run> runs = new LinkedHashMap<>();
    if (!Files.exists(p)) {
      return new ArrayList<>();
    }
    for (String l : Files.readAllLines(p, StandardCharsets.UTF_8)) {
      String[] f = l.split("\t", -1);
      if (l.equals(HEADER) || f.length < 10) {
        continue; // the header, or a line a crash cut short
      }
      try {
        runs.putIfAbsent(f[0] + "\t" + f[3], new Run(f[0], f[1], Double.parseDouble(f[2]), f[3],
            Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]), f[8], f[9]));
      } catch (NumberFormatException e) {
        continue; // a line a crash cut short
      }
    }
    return new ArrayList<>(runs.values());
  }
}
