package com.quantmini.io;

import com.quantmini.transforms.model.BucketKey;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.LongArrayCoder;
import com.quantmini.transforms.model.SeriesHistory;
import com.quantmini.transforms.model.SeriesState;
import com.quantmini.transforms.model.StateStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Owns the output's {@code _state/} folder: per dataset, numbered state versions
 * {@code _state/<dataset>/v<N>} (each bucket's tails with their carry, {@code bucket-<n>.bin}; the
 * calendar, {@code calendar.bin}; what the commit installs) and the history segments beside them,
 * {@code _state/<dataset>/history/v<N>-bucket-<n>.bin}, written by the run that makes version N.
 * Reads see the version the manifest names (committed); saves go to the next one, which this run
 * makes and only its commit switches to. Besides the {@link StateStore} the transforms see, it
 * gives the commit and the recovery of a killed run ({@link RunPlan}) the versions' folders.
 */
public final class FileStateStore implements StateStore {
  private static final long serialVersionUID = 1L;

  /** A state version's calendar: written once per dataset by a run that made state. */
  static final String CALENDAR = "calendar.bin";
  /** Marks a run folder whose run finished and is being committed. */
  static final String COMMITTING = "COMMITTING";
  /** The bucket count and the feature line a finished run records for its manifest (a commit finished later reads them). */
  static final String BUCKETS = "symbol-buckets";
  static final String FEATURES = "features";

  /**
   * What a run stages in its state folder for its own commit, each written by the step that makes
   * it: the commit reads them, installs what they name and deletes the folder with the version.
   */
  public enum Staged {
    /** The files read whole, for the manifest ({@code WriteLedger}). */
    LEDGER("ledger.tsv"),
    /** What the commit installs for Qlib: {@code QlibLayout.IN_PLACE} or {@code NEW_VERSION} and a folder. */
    QLIB_TARGET("qlib.target"),
    /** all.txt and the calendar of an in-place append, copied in by the commit. */
    QLIB_INSTRUMENTS("qlib-all.txt"),
    QLIB_CALENDAR("qlib-calendar.txt"),
    /** The splits and dividends this run used, merged into the lake's events by the commit. */
    ACTIONS("corporate_actions.parquet");

    private final String file;

    Staged(String file) {
      this.file = file;
    }

    /** This file in the state folder {@code stateDir} (a run's {@code QlibLayout.stateDir}). */
    public String in(String stateDir) {
      return stateDir + "/" + file;
    }
  }

  private final String output;
  /** Dataset → the committed state version (0: none yet). */
  private final Map<String, Integer> committed;

  /** {@code committed}: dataset → the state version its manifest names (0 when it has none). */
  FileStateStore(String output, Map<String, Integer> committed) {
    this.output = output;
    this.committed = new HashMap<>(committed);
  }

  /** {@code <output>/_state/<dataset>/v<version>}. */
  String versionDir(String dataset, int version) {
    return output + "/_state/" + dataset + "/v" + version;
  }

  /** The state version this run makes for a dataset (its staging folder too). */
  String runDir(String dataset) {
    return versionDir(dataset, version(dataset) + 1);
  }

  /** The committed state version of a dataset (0: none). */
  int version(String dataset) {
    Integer v = committed.get(dataset);
    if (v == null) {
      throw new IllegalArgumentException(dataset + " is not a dataset of this run");
    }
    return v;
  }

  String historyDir(String dataset) {
    return output + "/_state/" + dataset + "/history";
  }

  static String bucketFile(BucketKey bucket) {
    return "bucket-" + bucket.number() + ".bin";
  }

  static String segmentFile(int version, BucketKey bucket) {
    return "v" + version + "-" + bucketFile(bucket);
  }

  @Override
  public List<SeriesState.Entry> tails(BucketKey bucket) throws IOException {
    String ds = bucket.dataset().name();
    Integer v = committed.get(ds);
    if (v == null || v == 0) {
      return List.of();
    }
    String path = versionDir(ds, v) + "/" + bucketFile(bucket);
    byte[] bytes = read(path);
    if (bytes == null) {
      return List.of(); // a bucket no symbol of the dataset has fallen into yet
    }
    try {
      return SeriesState.decode(bytes);
    } catch (IOException e) {
      throw new IOException("state file " + path + " is unreadable: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean keepsHistory(Dataset dataset) {
    return dataset.isDaily() && committed.containsKey(dataset.name());
  }

  @Override
  public List<SeriesState.Entry> history(BucketKey bucket, long[] priorCalendar) throws IOException {
    Dataset ds = bucket.dataset();
    if (!keepsHistory(ds) || version(ds.name()) == 0) {
      throw new IllegalStateException(ds + ": a change older than the remembered " + SeriesState.TAIL
          + " slots needs the history segments, which this output does not have");
    }
    int upTo = version(ds.name());
    String suffix = "-" + bucketFile(bucket);
    MatchResult m = FileSystems.match(historyDir(ds.name()) + "/v*" + suffix, EmptyMatchTreatment.ALLOW);
    TreeMap<Integer, ResourceId> byVersion = new TreeMap<>();
    if (m.status() == MatchResult.Status.OK) {
      for (MatchResult.Metadata md : m.metadata()) {
        String name = md.resourceId().getFilename();
        int v;
        try {
          v = Integer.parseInt(name.substring(1, name.length() - suffix.length()));
        } catch (NumberFormatException e) {
          throw new IOException("history segment " + md.resourceId() + " has no version in its name", e);
        }
        if (v <= upTo) { // a newer one is a killed run's, which this run writes anew
          byVersion.put(v, md.resourceId());
        }
      }
    }
    List<SeriesHistory.Segment> segments = new ArrayList<>();
    for (ResourceId r : byVersion.values()) {
      try (InputStream in = Channels.newInputStream(FileSystems.open(r))) {
        segments.add(new SeriesHistory.Segment(r.toString(), in.readAllBytes()));
      }
    }
    return SeriesHistory.replay(segments, priorCalendar);
  }

  @Override
  public void saveSegment(BucketKey bucket, byte[] segment) throws IOException {
    String ds = bucket.dataset().name();
    // Temp and rename: a retried bundle or a re-run after a kill replaces it whole.
    AtomicFiles.writeBytes(AtomicFiles.resource(historyDir(ds) + "/" + segmentFile(version(ds) + 1, bucket)), segment);
  }

  @Override
  public void saveTails(BucketKey bucket, List<SeriesState.Entry> tails) throws IOException {
    AtomicFiles.writeBytes(AtomicFiles.resource(runDir(bucket.dataset().name()) + "/" + bucketFile(bucket)),
        SeriesState.encode(tails));
  }

  @Override
  public void saveCalendar(Dataset dataset, long[] calendar) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LongArrayCoder.of().encode(calendar, bytes);
    AtomicFiles.writeBytes(AtomicFiles.resource(runDir(dataset.name()) + "/" + CALENDAR), bytes.toByteArray());
  }

  @Override
  public String syncPath() {
    // The output root (always there, unlike _state before a first save): `sync -f` flushes its file system.
    return output;
  }

  /** The committed calendar of a dataset; empty when it has no state yet. */
  long[] calendar(String dataset) throws IOException {
    int v = version(dataset);
    if (v == 0) {
      return new long[0];
    }
    String path = versionDir(dataset, v) + "/" + CALENDAR;
    byte[] bytes = read(path);
    if (bytes == null) {
      throw new IOException("state calendar missing: " + path + " (the _state folder was changed by hand)");
    }
    return LongArrayCoder.of().decode(new ByteArrayInputStream(bytes));
  }

  /** Whether the run staging in {@code runDir} saved state (its calendar marks it: one per dataset and run). */
  static boolean savedIn(String runDir) throws IOException {
    return read(runDir + "/" + CALENDAR) != null;
  }

  /**
   * Marks a finished run's folder as being committed, after recording what its manifest needs
   * ({@code features} null: the recorded line stays): from here on a killed commit is completed by
   * the next run instead of being thrown away half-applied.
   */
  static void markCommitting(String runDir, int buckets, String features) throws IOException {
    AtomicFiles.writeString(AtomicFiles.resource(runDir + "/" + BUCKETS), buckets + "\n");
    if (features != null) {
      AtomicFiles.writeString(AtomicFiles.resource(runDir + "/" + FEATURES), features + "\n");
    }
    AtomicFiles.writeString(AtomicFiles.resource(runDir + "/" + COMMITTING), "");
  }

  /** Whether a run folder's commit was started ({@link #markCommitting}) and not finished. */
  static boolean isCommitting(String runDir) throws IOException {
    return read(runDir + "/" + COMMITTING) != null;
  }

  /** The bucket count a run folder recorded; null when none. */
  static Integer recordedBuckets(String runDir) throws IOException {
    byte[] b = read(runDir + "/" + BUCKETS);
    return b == null ? null : Integer.parseInt(new String(b, StandardCharsets.UTF_8).trim());
  }

  /** The feature line a run folder recorded; null when none. */
  static String recordedFeatures(String runDir) throws IOException {
    byte[] b = read(runDir + "/" + FEATURES);
    return b == null ? null : new String(b, StandardCharsets.UTF_8).trim();
  }

  /** Ends a commit: the folder is now the committed state version. */
  static void committed(String runDir) throws IOException {
    RunPlan.deleteTree(runDir + "/" + COMMITTING);
  }

  /**
   * Clears what a killed run may have left for a dataset: its state version and its history
   * segments, which this run writes anew; and versions older than the committed one, left by a run
   * killed after its manifest write.
   */
  void clearLeftovers(String dataset) throws IOException {
    int v = version(dataset);
    for (int old = v - 1; old >= 1 && exists(versionDir(dataset, old)); old--) {
      RunPlan.deleteTree(versionDir(dataset, old));
    }
    RunPlan.deleteTree(runDir(dataset));
    Path dir = Paths.get(historyDir(dataset));
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var files = Files.newDirectoryStream(dir, "v*-bucket-*.bin")) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (Integer.parseInt(name.substring(1, name.indexOf('-'))) > v) {
          Files.delete(f);
        }
      }
    }
  }

  private static boolean exists(String dir) {
    return !dir.contains("://") && Files.exists(Paths.get(dir), LinkOption.NOFOLLOW_LINKS);
  }

  private static byte[] read(String path) throws IOException {
    return AtomicFiles.readIfExists(path);
  }
}
