package com.quantmini.io.lake;

import com.quantmini.io.Manifest;
import com.quantmini.io.MissingSessions;
import com.quantmini.transforms.model.Dataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that an output is consistent: the lake against its manifests (bronze rows, silver rows,
 * quarantine records, files of every processed object, no temp or orphan files), the Qlib tree
 * against the lake ({@link QlibValidator}), and the data's health (warnings). Reads only; local
 * outputs only. Plain Java, no Beam.
 */
public final class LakeValidator {
  private LakeValidator() {}

  /**
   * @param sample symbols whose bin values are compared with bronze (0 = all)
   * @param maxMove a bar-to-bar adjusted close move above this fraction warns
   * @param maxVolumeJump volume above this multiple of the bar before warns
   */
  public record Settings(int sample, double maxMove, double maxVolumeJump) {
    public static final Settings DEFAULT = new Settings(0, 0.5, 10);
  }

  private static final Pattern SESSION_FILE =
      Pattern.compile("year=(\\d{4})/month=(\\d{2})/((\\d{4})-(\\d{2})-\\d{2})\\.(parquet|jsonl)");
  private static final Pattern VERSION = Pattern.compile("\\.(\\w+)\\.v(\\d+)");
  private static final Pattern STATE = Pattern.compile("v(\\d+)");

  /**
   * Validates {@code datasets} of {@code output}; a dataset without a manifest is skipped, or
   * reported when {@code required}.
   */
  public static ValidationReport validate(Path output, List<Dataset> datasets, boolean required, Settings settings)
      throws IOException {
    long start = System.nanoTime();
    Path root = output.toAbsolutePath().normalize();
    ValidationReport report = new ValidationReport(root.toString());
    if (!Files.isDirectory(root)) {
      report.add(new Problem(Check.MANIFEST_MISSING, null, root.toString(), null, null, "no such output folder"));
      return report;
    }
    Map<Dataset, Manifest> manifests = new HashMap<>();
    for (Dataset ds : datasets) {
      Manifest m = Manifest.read(root.toString(), ds.name());
      if (m.entries.isEmpty() && m.qlibVersion == 0) {
        if (required) {
          report.add(new Problem(Check.MANIFEST_MISSING, ds.name(), rel(root, Path.of(Manifest.path(root.toString(),
              ds.name()))), null, null, "nothing was processed for this dataset"));
        }
        continue;
      }
      manifests.put(ds, m);
      new DatasetCheck(root, ds, m, settings, report).run();
    }
    leftovers(root, manifests, report);
    report.seconds((System.nanoTime() - start) / 1e9);
    return report;
  }

  /** Path relative to the output root, as reports print it. */
  static String rel(Path root, Path p) {
    return root.relativize(p).toString();
  }

  /** One dataset's lake checks; hands the bars it read to the Qlib checks. */
  private static final class DatasetCheck {
    private final Path root;
    private final Dataset ds;
    private final Manifest manifest;
    private final Settings settings;
    private final ValidationReport report;

    DatasetCheck(Path root, Dataset ds, Manifest manifest, Settings settings, ValidationReport report) {
      this.root = root;
      this.ds = ds;
      this.manifest = manifest;
      this.settings = settings;
      this.report = report;
    }

    private void problem(Check c, Path file, String symbol, String session, String detail) {
      report.add(new Problem(c, ds.name(), file == null ? null : rel(root, file), symbol, session, detail));
    }

    void run() throws IOException {
      Map<String, long[]> expected = new TreeMap<>(); // session -> {written, quarantined}
      for (Manifest.Entry e : manifest.entries.values()) {
        long[] w = expected.computeIfAbsent(e.session(), s -> new long[2]);
        w[0] += e.rowsWritten;
        w[1] += e.rowsQuarantined;
      }
      SortedMap<String, Path> bronze = sessionFiles(root.resolve("bronze").resolve(ds.name()), "parquet");
      Map<String, Long> bronzeRows = rowCounts(bronze);
      for (Map.Entry<String, long[]> e : expected.entrySet()) {
        String s = e.getKey();
        long written = e.getValue()[0];
        Path file = bronze.get(s);
        if (file == null && written > 0) {
          problem(Check.MISSING_FILE, sessionPath("bronze", s, "parquet"), null, s,
              "the manifest records " + written + " rows written, the bronze file is missing");
        } else if (file != null && bronzeRows.containsKey(s) && bronzeRows.get(s) != written) {
          problem(Check.ROW_COUNT, file, null, s, "bronze holds " + bronzeRows.get(s) + " rows, the manifest records "
              + written + " written");
        }
      }
      notInManifest(bronze, expected);
      Path silverDir = root.resolve("silver").resolve(ds.name());
      if (Files.isDirectory(silverDir)) {
        SortedMap<String, Path> silver = sessionFiles(silverDir, "parquet");
        Map<String, Long> silverRows = rowCounts(silver);
        for (Map.Entry<String, Path> b : bronze.entrySet()) {
          String s = b.getKey();
          if (!silver.containsKey(s)) {
            problem(Check.MISSING_FILE, sessionPath("silver", s, "parquet"), null, s, "bronze has this session, silver not");
          } else if (silverRows.containsKey(s) && bronzeRows.containsKey(s)
              && !silverRows.get(s).equals(bronzeRows.get(s))) {
            problem(Check.SILVER_ROWS, silver.get(s), null, s, "silver holds " + silverRows.get(s) + " rows, bronze "
                + bronzeRows.get(s));
          }
        }
        for (Map.Entry<String, Path> s : silver.entrySet()) {
          if (!bronze.containsKey(s.getKey()) && expected.containsKey(s.getKey())) {
            problem(Check.ORPHAN_FILE, s.getValue(), null, s.getKey(), "silver session without a bronze file");
          }
        }
        notInManifest(silver, expected);
        months("silver", silverRows);
      }
      months("bronze", bronzeRows);
      if (ds.isOptions()) {
        Path underlying = root.resolve("silver").resolve(ds.name() + "_underlying");
        if (Files.isDirectory(underlying)) {
          notInManifest(sessionFiles(underlying, "parquet"), expected);
        }
      }
      quarantine(expected);
      missingSessions(expected.keySet());
      List<BronzeBars.FileBars> bars = readBars(bronze);
      new QlibValidator(root, ds, manifest, settings, report, bars, bronze.size(), sum(bronzeRows)).run();
    }

    /** Month files: a fresh one holds its sessions' rows; a stale one only warns (query reads the sessions). */
    private void months(String layer, Map<String, Long> sessionRows) throws IOException {
      if (!MonthCompaction.applies(ds)) {
        return;
      }
      List<Path> unnamed = new ArrayList<>();
      for (MonthCompaction.Indexed m : MonthCompaction.indexed(root, layer, ds, manifest.sessions(), unnamed)) {
        if (!m.fresh()) {
          problem(Check.MONTH_STALE, m.index(), null, null, layer + " " + m.month()
              + ": its session files changed since it was built (run compact)");
          continue;
        }
        long expected = m.sessions().stream().mapToLong(d -> sessionRows.getOrDefault(d.toString(), 0L)).sum();
        try {
          long rows = BronzeBars.rowCount(m.data());
          if (rows != expected) {
            problem(Check.MONTH_FILE, m.data(), null, null, layer + " " + m.month() + " holds " + rows
                + " rows, its sessions " + expected);
          }
        } catch (IOException | RuntimeException x) {
          problem(Check.MONTH_FILE, m.data(), null, null, layer + " " + m.month() + ": " + x.getMessage());
        }
      }
      unnamed.forEach(p -> problem(Check.ORPHAN_FILE, p, null, null, "a month file no index names"));
    }

    private static long sum(Map<String, Long> rows) {
      return rows.values().stream().mapToLong(Long::longValue).sum();
    }

    private Path sessionPath(String layer, String session, String ext) {
      return root.resolve(layer).resolve(ds.name()).resolve("year=" + session.substring(0, 4))
          .resolve("month=" + session.substring(5, 7)).resolve(session + "." + ext);
    }

    /** A layer's session files by session; names out of the layout are orphans, temp files are reported elsewhere. */
    private SortedMap<String, Path> sessionFiles(Path dir, String ext) throws IOException {
      SortedMap<String, Path> out = new TreeMap<>();
      if (!Files.isDirectory(dir)) {
        return out;
      }
      try (var files = Files.walk(dir)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          if (!Files.isRegularFile(f) || f.getFileName().toString().startsWith("_tmp-")) {
            continue;
          }
          Matcher m = SESSION_FILE.matcher(dir.relativize(f).toString().replace('\\', '/'));
          if (m.matches() && m.group(6).equals(ext) && m.group(1).equals(m.group(4)) && m.group(2).equals(m.group(5))
              && validDate(m.group(3))) {
            out.put(m.group(3), f);
          } else {
            problem(Check.ORPHAN_FILE, f, null, null, "not a session file of the layout year=YYYY/month=MM/YYYY-MM-DD."
                + ext);
          }
        }
      }
      return out;
    }

    private void notInManifest(Map<String, Path> files, Map<String, long[]> expected) {
      files.forEach((s, f) -> {
        if (!expected.containsKey(s)) {
          problem(Check.ORPHAN_FILE, f, null, s, "no object of this session is in the manifest");
        }
      });
    }

    /** Footer row counts, read in parallel; a file that cannot be read is reported and left out. */
    private Map<String, Long> rowCounts(Map<String, Path> files) {
      Map<String, Long> out = new ConcurrentHashMap<>();
      files.entrySet().parallelStream().forEach(e -> {
        try {
          out.put(e.getKey(), BronzeBars.rowCount(e.getValue()));
        } catch (IOException | RuntimeException x) {
          problem(Check.UNREADABLE, e.getValue(), null, e.getKey(), "not a readable Parquet file: " + x.getMessage());
        }
      });
      return out;
    }

    private List<BronzeBars.FileBars> readBars(SortedMap<String, Path> bronze) {
      List<Map.Entry<String, Path>> files = new ArrayList<>(bronze.entrySet());
      List<BronzeBars.FileBars> out = files.parallelStream().map(e -> {
        try {
          return BronzeBars.read(e.getValue(), ds.isDaily());
        } catch (IOException | RuntimeException x) {
          problem(Check.UNREADABLE, e.getValue(), null, e.getKey(), "cannot read its bars: " + x.getMessage());
          return null;
        }
      }).toList();
      return out.stream().filter(Objects::nonNull).toList();
    }

    private void quarantine(Map<String, long[]> expected) throws IOException {
      SortedMap<String, Path> files = sessionFiles(root.resolve("quarantine").resolve(ds.name()), "jsonl");
      for (Map.Entry<String, long[]> e : expected.entrySet()) {
        String s = e.getKey();
        long want = e.getValue()[1];
        Path f = files.get(s);
        if (f == null) {
          if (want > 0) {
            problem(Check.MISSING_FILE, sessionPath("quarantine", s, "jsonl"), null, s,
                "the manifest records " + want + " quarantined rows, the quarantine file is missing");
          }
          continue;
        }
        long have = lines(f);
        if (have != want) {
          problem(Check.QUARANTINE_ROWS, f, null, s, "holds " + have + " records, the manifest records " + want
              + " quarantined");
        }
      }
      for (Map.Entry<String, Path> f : files.entrySet()) {
        // A file rejected whole is quarantined (line 0) but never enters the manifest: not an orphan.
        if (!expected.containsKey(f.getKey()) && !wholeFileRejections(f.getValue())) {
          problem(Check.ORPHAN_FILE, f.getValue(), null, f.getKey(), "no object of this session is in the manifest");
        }
      }
    }

    private static long lines(Path f) throws IOException {
      long n = 0;
      for (byte b : Files.readAllBytes(f)) {
        if (b == '\n') {
          n++;
        }
      }
      return n;
    }

    private static boolean wholeFileRejections(Path f) throws IOException {
      for (String line : Files.readAllLines(f)) {
        if (!line.isBlank() && !line.contains("\"line\":0,") && !line.contains("\"line\":0}")) {
          return false;
        }
      }
      return true;
    }

    private void missingSessions(Set<String> sessions) {
      List<LocalDate> gaps = MissingSessions.find(new ArrayList<>(sessions), null, null);
      if (!gaps.isEmpty()) {
        problem(Check.MISSING_SESSIONS, root.resolve("_manifest").resolve(ds.name() + ".tsv"), null,
            gaps.get(0).toString(), gaps.size() + " session(s) missing: " + MissingSessions.describe(gaps, 10));
      }
    }

    private static boolean validDate(String s) {
      try {
        LocalDate.parse(s);
        return true;
      } catch (DateTimeParseException e) {
        return false;
      }
    }
  }

  /**
   * Temp files anywhere (Qlib feature folders are listed by {@link QlibValidator}), the Direct
   * runner's scratch folder, unfinished commits, and Qlib versions or state folders other than
   * the manifests' of the validated datasets.
   */
  private static void leftovers(Path root, Map<Dataset, Manifest> manifests, ValidationReport report)
      throws IOException {
    Map<String, Manifest> byName = new HashMap<>();
    manifests.forEach((d, m) -> byName.put(d.name(), m));
    Path qlib = root.resolve("qlib");
    Path state = root.resolve("_state");
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
        if (dir.getParent() != null && dir.getParent().equals(qlib)) {
          Matcher m = VERSION.matcher(name);
          Manifest man = m.matches() ? byName.get(m.group(1)) : null;
          if (man != null && Integer.parseInt(m.group(2)) != man.qlibVersion) {
            add(Check.ORPHAN_FILE, m.group(1), dir, "a Qlib version the manifest does not name (live: v"
                + man.qlibVersion + ")");
            return FileVisitResult.SKIP_SUBTREE;
          }
        }
        if (name.equals("features") && dir.getParent() != null && qlib.equals(dir.getParent().getParent())) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        if (dir.getParent() != null && dir.getParent().getParent() != null && dir.getParent().getParent().equals(state)) {
          Manifest man = byName.get(dir.getParent().getFileName().toString());
          Matcher m = STATE.matcher(name);
          if (man != null && m.matches() && Integer.parseInt(m.group(1)) != man.stateVersion) {
            add(Check.ORPHAN_FILE, man.dataset, dir, "a state folder the manifest does not name (state v"
                + man.stateVersion + "): a run that did not commit");
            return FileVisitResult.SKIP_SUBTREE;
          }
        }
        if (dir.equals(root.resolve("_work"))) {
          add(Check.ORPHAN_FILE, null, dir, "the Direct runner's scratch folder, left by a run that did not finish");
          return FileVisitResult.SKIP_SUBTREE;
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
        String name = f.getFileName().toString();
        if (name.startsWith("_tmp-")) {
          add(Check.TEMP_FILE, datasetOf(f), f, "a temp file a write never renamed");
        } else if (name.equals("COMMITTING")) {
          add(Check.ORPHAN_FILE, datasetOf(f), f, "a commit that did not finish (the next run completes it)");
        }
        return FileVisitResult.CONTINUE;
      }

      private String datasetOf(Path f) {
        for (Path p : root.relativize(f)) {
          String s = p.toString();
          for (Dataset d : Dataset.values()) {
            if (s.equals(d.name()) || s.startsWith("." + d.name() + ".v") || s.equals(d.name() + ".tsv")
                || s.equals(d.name() + ".parquet")) {
              return d.name();
            }
          }
        }
        return null;
      }

      private void add(Check c, String dataset, Path p, String detail) {
        report.add(new Problem(c, dataset, rel(root, p), null, null, detail));
      }
    });
  }
}
