package com.quantmini.io;

import com.quantmini.io.FileStateStore.Staged;
import com.quantmini.io.actions.ActionsLake;
import com.quantmini.transforms.DiskSync;
import com.quantmini.transforms.FeatureMath;
import com.quantmini.transforms.QlibFields;
import com.quantmini.transforms.model.Dataset;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's view of the output's history and its commit. Before the graph is built it reads each
 * dataset's {@link Manifest} (what was processed, which state and Qlib versions are live) and
 * clears what a crashed run may have left in the folders this run writes. After the pipeline
 * finished, {@link #commit()} makes the run visible in an order that keeps readers consistent:
 * Qlib's all.txt, then its calendar (or the switch of the version link), then the manifest, which
 * also switches the state; a crash before the manifest leaves the old manifest and state, and the
 * next run redoes exactly this run's work.
 */
public final class RunPlan implements Serializable {
  private static final Logger LOG = LoggerFactory.getLogger(RunPlan.class);

  private final String output;
  private final Map<Dataset, Manifest> manifests;
  private final Map<String, QlibLayout> layouts = new LinkedHashMap<>();
  private final Map<String, long[]> priorCalendars = new HashMap<>();
  private final FileStateStore state;
  private final int symbolBuckets;
  private final List<String> families;
  private final Map<Dataset, QlibFields> qlibFields;
  /** When this run was planned: its id in the run log, and the start of its duration there. */
  private final String startedAt = Instant.now().toString();

  /** The default hash bucket count of a first run. */
  public static final int DEFAULT_BUCKETS = 32;

  private RunPlan(String output, Map<Dataset, Manifest> manifests, Integer requestedBuckets, List<String> families,
      Map<Dataset, QlibFields> qlibFields) throws IOException {
    this.output = output;
    this.qlibFields = qlibFields;
    this.families = families == null ? null : List.copyOf(families);
    this.manifests = manifests;
    deleteTempFiles(output);
    Map<String, Integer> versions = new HashMap<>();
    for (Map.Entry<Dataset, Manifest> e : manifests.entrySet()) {
      String ds = e.getKey().name();
      Manifest m = e.getValue();
      QlibLayout pending = layout(ds, m);
      if (FileStateStore.isCommitting(pending.stateDir)) {
        // The last run was killed while committing: finish its commit (every step repeats safely).
        LOG.info("{}: finishing the commit of the last run, which stopped halfway", ds);
        commitDataset(e.getKey(), m, pending);
        m = Manifest.read(output, ds);
        e.setValue(m);
      }
      deleteOlderQlibVersions(ds, m);
      versions.put(ds, m.stateVersion);
    }
    state = new FileStateStore(output, versions);
    for (Map.Entry<Dataset, Manifest> e : manifests.entrySet()) {
      String ds = e.getKey().name();
      QlibLayout layout = layout(ds, e.getValue());
      layouts.put(ds, layout);
      // A crashed run may have left a half-written next version or state: start them afresh.
      state.clearLeftovers(ds);
      deleteTree(layout.nextDir);
      if (e.getValue().stateVersion > 0) {
        priorCalendars.put(ds, state.calendar(ds));
      }
    }
    deleteTree(workDir());
    symbolBuckets = resolveBuckets(manifests, requestedBuckets);
  }

  /**
   * The bucket count of this run: the one the datasets' state was built with (which a flag may
   * repeat but not change), else the requested one, else {@link #DEFAULT_BUCKETS}.
   */
  static int resolveBuckets(Map<Dataset, Manifest> manifests, Integer requested) {
    Map<Integer, List<String>> recorded = new TreeMap<>();
    for (Manifest m : manifests.values()) {
      if (m.stateVersion > 0) {
        int b = m.symbolBuckets > 0 ? m.symbolBuckets : DEFAULT_BUCKETS; // before it was recorded
        recorded.computeIfAbsent(b, x -> new ArrayList<>()).add(m.dataset);
      }
    }
    if (recorded.size() > 1) {
      throw new IllegalArgumentException("the datasets' state was built with different --symbolBuckets "
          + recorded + "; run them in separate runs");
    }
    if (recorded.isEmpty()) {
      return requested == null ? DEFAULT_BUCKETS : requested;
    }
    int b = recorded.keySet().iterator().next();
    if (requested != null && requested != b) {
      throw new IllegalArgumentException("--symbolBuckets=" + requested + " but " + recorded.get(b)
          + " was built with " + b + " (the state is stored per bucket); drop the flag, or rebuild into a new output");
    }
    return b;
  }

  /** Hash buckets of this run (see {@link #resolveBuckets}). */
  public int symbolBuckets() {
    return symbolBuckets;
  }

  /** Scratch space of this run (spilled groups); gone after the commit. */
  public String workDir() {
    return output + "/_work";
  }

  private QlibLayout layout(String ds, Manifest m) {
    String live = m.qlibVersion > 0 ? qlibVersionDir(ds, m.qlibVersion) : null;
    return new QlibLayout(ds, live, qlibVersionDir(ds, m.qlibVersion + 1), stateDir(ds, m.stateVersion + 1));
  }

  /** Qlib versions older than the manifest's, left by a run killed after its manifest write. */
  private void deleteOlderQlibVersions(String ds, Manifest m) throws IOException {
    for (int v = m.qlibVersion - 1; v >= 1 && exists(qlibVersionDir(ds, v)); v--) {
      deleteTree(qlibVersionDir(ds, v));
    }
  }

  private static boolean exists(String dir) {
    return !dir.contains("://") && Files.exists(Paths.get(dir), LinkOption.NOFOLLOW_LINKS);
  }

  /** Temp files of writes a killed run never renamed (local outputs; object stores have no such leftovers). */
  private static void deleteTempFiles(String output) throws IOException {
    if (output.contains("://") || !Files.isDirectory(Paths.get(output))) {
      return;
    }
    List<Path> stale = new ArrayList<>();
    Files.walkFileTree(Paths.get(output), new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
        // Qlib feature folders are written directly, never through temp files, and hold ~180 files
        // per symbol: walking them made every run's start O(lake).
        boolean features = dir.getFileName() != null && dir.getFileName().toString().equals("features")
            && dir.getParent() != null && dir.getParent().getParent() != null
            && "qlib".equals(String.valueOf(dir.getParent().getParent().getFileName()));
        return features ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
        if (f.getFileName().toString().startsWith("_tmp-")) {
          stale.add(f);
        }
        return FileVisitResult.CONTINUE;
      }
    });
    for (Path f : stale) {
      LOG.info("deleting {}, left by a run that was killed", f);
      Files.deleteIfExists(f);
    }
  }

  /**
   * Reads the manifests of {@code datasets} under {@code output} (an absolute path or URL) and
   * prepares the run's folders, with the bucket count, the feature families (null: not checked,
   * the recorded ones kept) and the Qlib fields (null: the output's, else {@link QlibFields#DEFAULT})
   * asked for.
   *
   * @throws IllegalArgumentException if the buckets, families or Qlib fields differ from those the
   *     datasets' files were built with, or the output is an object store
   */
  public static RunPlan prepare(String output, List<Dataset> datasets, Integer symbolBuckets, List<String> families,
      QlibFields qlibFields) throws IOException {
    if (output.contains("://") && !output.startsWith("file://")) {
      // Refused before any work: the commit would fail only after the whole job ran.
      throw new IllegalArgumentException("--output must be a local or mounted folder (a shared one on a "
          + "cluster): Qlib versions are published by switching a symbolic link, which object stores lack; got "
          + output);
    }
    Map<Dataset, Manifest> manifests = new LinkedHashMap<>();
    for (Dataset d : datasets) {
      manifests.put(d, Manifest.read(output, d.name()));
    }
    if (families != null) {
      for (Map.Entry<Dataset, Manifest> e : manifests.entrySet()) {
        String asked = Manifest.normalize(families, e.getKey());
        String built = e.getValue().features == null ? null
            : Manifest.withoutFeatureSet(QlibFields.withoutToken(e.getValue().features));
        if (e.getValue().stateVersion > 0 && FeatureMath.adjusted(e.getKey())
            && (built == null || !Manifest.adjustedIn(built))) {
          throw new IllegalArgumentException(e.getKey() + " was built before QuantMini adjusted stock prices for "
              + "splits and dividends (its Qlib files have no factor and change fields); rebuild it into a new output");
        }
        if (e.getValue().stateVersion > 0 && built != null && Manifest.greeksIn(asked) && built.contains("seed")
            && !Manifest.greeksIn(built)) {
          throw new IllegalArgumentException(e.getKey() + " was built before QuantMini computed implied volatility "
              + "and Greeks (its Qlib files lack those fields); rebuild it into a new output");
        }
        if (e.getValue().stateVersion > 0 && built != null && !built.equals(asked)) {
          throw new IllegalArgumentException("--features=" + String.join(",", families) + " but " + e.getKey()
              + " was built with --features=" + built + "; its Qlib files and silver would stop matching. Use "
              + "the same families, or rebuild into a new output");
        }
        // The same families can still mean other columns: a feature added, removed or changed in code.
        String recorded = Manifest.featureSetIn(e.getValue().features);
        String current = Manifest.featureSetToken(e.getKey(), families).substring(Manifest.SET.length());
        if (e.getValue().stateVersion > 0 && recorded != null && !recorded.equals(current)) {
          throw new IllegalArgumentException(e.getKey() + " was built with another feature set (fingerprint "
              + recorded + ", this QuantMini's is " + current + "): a feature was added, removed or changed since, "
              + "so its Qlib files and silver would stop matching. Rebuild it into a new output");
        }
      }
    }
    Map<Dataset, QlibFields> exported = new LinkedHashMap<>();
    for (Map.Entry<Dataset, Manifest> e : manifests.entrySet()) {
      QlibFields recorded = e.getValue().stateVersion > 0 ? QlibFields.recordedIn(e.getValue().features) : null;
      if (recorded != null && qlibFields != null && !recorded.equals(qlibFields)
          && (!recorded.writesQlib() || !qlibFields.writesQlib())) {
        throw new IllegalArgumentException("--qlibFields=" + qlibFields + " but " + e.getKey() + " was built with "
            + "--qlibFields=" + recorded + ": a Qlib tree cannot be added to an output built without one, nor "
            + "dropped from one that has it (its sessions would not match the lake). Drop the flag, or rebuild into "
            + "a new output");
      }
      if (recorded != null && qlibFields != null && !recorded.equals(qlibFields)) {
        throw new IllegalArgumentException("--qlibFields=" + qlibFields + " but " + e.getKey() + " was built with "
            + "--qlibFields=" + recorded + "; its symbols' Qlib files would stop having the same fields. Drop the "
            + "flag, or rebuild into a new output");
      }
      exported.put(e.getKey(), qlibFields != null ? qlibFields : recorded != null ? recorded : QlibFields.DEFAULT);
    }
    return new RunPlan(output, manifests, symbolBuckets, families, exported);
  }

  /** The features each dataset exports to Qlib (see {@link QlibFields}), by dataset name. */
  public Map<String, QlibFields> qlibFields() {
    Map<String, QlibFields> out = new LinkedHashMap<>();
    qlibFields.forEach((d, f) -> out.put(d.name(), f));
    return out;
  }

  /** The run whose output lock the commit clears (a job submitted detached), or null. */
  private String detachedLock;

  /** The commit clears the output lock this detached run left ({@link OutputLock#detach}). */
  public void clearsLockOf(String runId) {
    detachedLock = runId;
  }

  /** The datasets of this run. */
  public List<Dataset> datasets() {
    return new ArrayList<>(manifests.keySet());
  }

  public Manifest manifest(Dataset d) {
    return manifests.get(d);
  }

  /** key → etag of every object already processed, for DropProcessed. */
  public Map<String, String> processed() {
    Map<String, String> out = new HashMap<>();
    manifests.values().forEach(m -> m.entries.values().forEach(e -> out.put(e.key, e.etag)));
    return out;
  }

  public Map<String, QlibLayout> layouts() {
    return layouts;
  }

  public Map<String, long[]> priorCalendars() {
    return priorCalendars;
  }

  /** The incremental state: what earlier runs left, and where this run saves its own. */
  public FileStateStore state() {
    return state;
  }

  String qlibVersionDir(String dataset, int version) {
    return output + "/qlib/." + dataset + ".v" + version;
  }

  String stateDir(String dataset, int version) {
    return new FileStateStore(output, Map.of(dataset, version)).versionDir(dataset, version);
  }

  /**
   * Makes this run's outputs visible; returns the datasets committed. Runs as the graph's last
   * step ({@link CommitRun}), once every writer finished; repeating it is harmless.
   */
  public List<String> commit() throws IOException {
    // First mark every dataset's run as finished: from here on a killed commit is completed by the
    // next run's prepare instead of being thrown away half-applied.
    for (Dataset ds : manifests.keySet()) {
      QlibLayout layout = layouts.get(ds.name());
      if (FileStateStore.savedIn(layout.stateDir) || readString(Staged.QLIB_TARGET.in(layout.stateDir)) != null
          || readString(Staged.LEDGER.in(layout.stateDir)) != null) {
        // The bucket count and features go to the manifest; a commit finished by a later run reads them there.
        FileStateStore.markCommitting(layout.stateDir, symbolBuckets, families == null ? null
            : String.join(",", Manifest.normalize(families, ds), qlibFields.get(ds).token(),
                Manifest.featureSetToken(ds, families)).replaceFirst("^,", ""));
      }
    }
    syncToDisk(output);
    List<String> committed = new ArrayList<>();
    List<String> logLines = new ArrayList<>();
    deleteTree(workDir());
    for (Map.Entry<Dataset, Manifest> e : manifests.entrySet()) {
      String ledger = readString(Staged.LEDGER.in(layouts.get(e.getKey().name()).stateDir));
      if (commitDataset(e.getKey(), e.getValue(), layouts.get(e.getKey().name()))) {
        committed.add(e.getKey().name());
        logLines.add(RunLog.line(startedAt, Instant.now(), e.getKey().name(),
            ledger == null ? List.of() : List.of(ledger.split("\n"))));
      }
    }
    RunLog.append(output, logLines);
    OutputLock.releaseDetached(output, detachedLock);
    return committed;
  }

  /** Installs one dataset's staged run over {@code old}; idempotent, so a killed commit can be repeated. */
  private boolean commitDataset(Dataset ds, Manifest old, QlibLayout layout) throws IOException {
    String target = readString(Staged.QLIB_TARGET.in(layout.stateDir));
    String ledger = readString(Staged.LEDGER.in(layout.stateDir));
    boolean saved = FileStateStore.savedIn(layout.stateDir);
    if (target == null && ledger == null && !saved) {
      deleteTree(layout.stateDir); // nothing new for this dataset: at most the events staged for it
      return false;
    }
    int stateVersion = old.stateVersion;
    int qlib = old.qlibVersion;
    if (target != null) {
      String live = qlibLinkPath(ds.name());
      if (target.startsWith(QlibLayout.IN_PLACE)) {
        String dir = target.substring(QlibLayout.IN_PLACE.length()).trim();
        copy(Staged.QLIB_INSTRUMENTS.in(layout.stateDir), dir + "/instruments/all.txt");
        // The calendar defines every slot: replacing it is what makes the appended values visible.
        copy(Staged.QLIB_CALENDAR.in(layout.stateDir), dir + "/calendars/" + ds.qlibFreq() + ".txt");
      } else {
        switchLink(live, layout.nextDir);
        qlib = old.qlibVersion + 1;
      }
    }
    if (saved) {
      stateVersion = old.stateVersion + 1;
    }
    List<String> lines = ledger == null ? List.of() : List.of(ledger.split("\n"));
    Integer buckets = FileStateStore.recordedBuckets(layout.stateDir);
    String features = FileStateStore.recordedFeatures(layout.stateDir);
    old.with(lines, stateVersion, qlib, buckets != null ? buckets : old.symbolBuckets,
            features != null ? features : old.features)
        .write(output);
    // The events these outputs now reflect: after the manifest, so a crash in between only makes
    // the next run redo late events once more, never miss them.
    String events = Staged.ACTIONS.in(layout.stateDir);
    if (Files.exists(Paths.get(events))) {
      Path lake = Paths.get(ActionsLake.path(output, ds.name()));
      Files.createDirectories(lake.getParent());
      Path tmp = lake.resolveSibling("_tmp-" + lake.getFileName());
      Files.copy(Paths.get(events), tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, lake, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Files.delete(Paths.get(events));
    }
    // The old state and Qlib version are no longer referenced by anything.
    if (stateVersion != old.stateVersion && old.stateVersion > 0) {
      deleteTree(stateDir(ds.name(), old.stateVersion));
    }
    if (qlib != old.qlibVersion && old.qlibVersion > 0) {
      deleteTree(qlibVersionDir(ds.name(), old.qlibVersion));
    }
    if (stateVersion == old.stateVersion && target == null) {
      deleteTree(layout.stateDir);
    } else {
      FileStateStore.committed(layout.stateDir);
    }
    return true;
  }

  String qlibLinkPath(String dataset) {
    return output + "/qlib/" + dataset;
  }

  /** Points {@code link} at {@code dir} by renaming a fresh link over it: readers see one or the other. */
  private static void switchLink(String link, String dir) throws IOException {
    if (link.contains("://")) {
      throw new IOException("Qlib versions are switched with a symbolic link, which needs a local --output; got "
          + link);
    }
    Path l = Paths.get(link);
    if (Files.exists(l, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(l)) {
      throw new IOException(l + " is a real folder, not QuantMini's version link; move it away");
    }
    Path tmp = l.resolveSibling("_tmp-link-" + l.getFileName());
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, l.getParent().relativize(Paths.get(dir)));
    Files.move(tmp, l, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    LOG.info("Qlib {} now points at {}", l, dir);
  }

  private static void copy(String from, String to) throws IOException {
    String content = readString(from);
    if (content == null) {
      throw new IOException("staged file missing: " + from);
    }
    AtomicFiles.writeString(AtomicFiles.resource(to), content);
  }

  static String readString(String path) throws IOException {
    byte[] b = AtomicFiles.readIfExists(path);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }


  /**
   * Flushes the output's file system before anything is published, so after a power loss the
   * calendar and manifest are never ahead of the data files (one {@code sync -f} instead of an
   * fsync per file). Object stores and hosts without the command need nothing or get a warning.
   */
  private static void syncToDisk(String output) {
    if (output.contains("://")) {
      return;
    }
    try {
      DiskSync.sync(output);
    } catch (IOException e) {
      LOG.warn("{}; outputs are flushed by the OS later", e.getMessage());
    }
  }

  /** Threads that unlink files at once: deleting is bound by the disk's latency (discards), not by CPU. */
  private static final int DELETE_THREADS = 8;

  /**
   * Deletes the files below {@code root} on several threads (1.1 GB of spilled groups: 6.6 s on
   * one thread, 1.3 s on four), then the folders, deepest first.
   */
  private static void deleteLocalTree(Path root) throws IOException {
    List<Path> files = new ArrayList<>();
    List<Path> dirs = new ArrayList<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
        files.add(f);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        dirs.add(d); // after its contents: the list is deepest first
        return FileVisitResult.CONTINUE;
      }
    });
    ExecutorService pool = Executors.newFixedThreadPool(DELETE_THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int from = 0; from < files.size(); from += 256) {
        List<Path> chunk = files.subList(from, Math.min(files.size(), from + 256));
        done.add(pool.submit(() -> {
          for (Path f : chunk) {
            Files.delete(f);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while deleting " + root);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    for (Path d : dirs) {
      Files.delete(d);
    }
  }

  /** Deletes a folder and everything below it (local or object store). */
  static void deleteTree(String dir) throws IOException {
    if (!dir.contains("://")) {
      Path p = Paths.get(dir);
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      deleteLocalTree(p);
      return;
    }
    MatchResult m = FileSystems.match(dir + "/**", EmptyMatchTreatment.ALLOW);
    List<ResourceId> ids = new ArrayList<>();
    m.metadata().forEach(md -> ids.add(md.resourceId()));
    FileSystems.delete(ids, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }
}
