package com.quantmini.io;

import com.quantmini.transforms.FeatureMath;
import com.quantmini.transforms.features.FeatureRegistry;
import com.quantmini.transforms.model.Dataset;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * What was fully processed for one dataset: {@code <output>/_manifest/<dataset>.tsv}, one line per
 * source object (key, size, etag, rows read, rows written, rows quarantined, when), plus the state
 * and Qlib versions those objects produced. Rewritten atomically, and only after every output of a
 * run is committed: it is the commit point of a run.
 */
public final class Manifest implements Serializable {
  /** One processed source object. */
  public static final class Entry implements Serializable {
    public final String key;
    public final long size;
    public final String etag;
    public final long rowsRead;
    public final long rowsWritten;
    public final long rowsQuarantined;
    public final String processedAt;

    Entry(String key, long size, String etag, long rowsRead, long rowsWritten, long rowsQuarantined,
        String processedAt) {
      this.key = key;
      this.size = size;
      this.etag = etag;
      this.rowsRead = rowsRead;
      this.rowsWritten = rowsWritten;
      this.rowsQuarantined = rowsQuarantined;
      this.processedAt = processedAt;
    }

    /** Session date of the object, from its key. */
    public String session() {
      String name = key.substring(key.lastIndexOf('/') + 1);
      return name.substring(0, 10);
    }

    String line() {
      return String.join("\t", key, Long.toString(size), etag, Long.toString(rowsRead), Long.toString(rowsWritten),
          Long.toString(rowsQuarantined), processedAt);
    }

    /** An entry from its tab-separated fields; a malformed line fails with an IllegalArgumentException. */
    static Entry parse(String line) {
      String[] f = line.split("\t", -1);
      if (f.length < 6 || f.length > 7) {
        throw new IllegalArgumentException("expected 7 tab-separated fields, found " + f.length);
      }
      return new Entry(f[0], Long.parseLong(f[1]), f[2], Long.parseLong(f[3]), Long.parseLong(f[4]),
          Long.parseLong(f[5]), f.length > 6 ? f[6] : "");
    }
  }

  private static final String HEADER = "key\tsize\tetag\trows_read\trows_written\trows_quarantined\tprocessed_at";

  public final String dataset;
  /** State version the entries produced (0: none yet). */
  public final int stateVersion;
  /** Active Qlib version (0: none yet). */
  public final int qlibVersion;
  public final Map<String, Entry> entries;
  /**
   * Hash buckets the state was built with (0: no state yet). The state is stored per bucket, so
   * every later run must use the same count.
   */
  public final int symbolBuckets;
  /**
   * Feature families the Qlib files and silver were built with, normalized ({@link #normalize}),
   * or null when none was recorded yet. Every later run must compute the same ones: an append
   * with fewer would leave some feature files behind the calendar.
   */
  public final String features;

  private Manifest(String dataset, int stateVersion, int qlibVersion, Map<String, Entry> entries,
      int symbolBuckets, String features) {
    this.dataset = dataset;
    this.symbolBuckets = symbolBuckets;
    this.features = features;
    this.stateVersion = stateVersion;
    this.qlibVersion = qlibVersion;
    this.entries = entries;
  }

  public static String path(String output, String dataset) {
    return output + "/_manifest/" + dataset + ".tsv";
  }

  /** The dataset's manifest, or an empty one when none was committed yet. */
  public static Manifest read(String output, String dataset) throws IOException {
    String path = path(output, dataset);
    MatchResult m = FileSystems.match(path, EmptyMatchTreatment.ALLOW);
    Map<String, Entry> entries = new TreeMap<>();
    if (m.status() != MatchResult.Status.OK || m.metadata().isEmpty()) {
      return new Manifest(dataset, 0, 0, entries, 0, null);
    }
    try (InputStream in = Channels.newInputStream(FileSystems.open(m.metadata().get(0).resourceId()))) {
      return parse(path, dataset, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /**
   * The dataset's manifest in a local output, read without Beam's file systems (whose start costs
   * more than a lake query); an empty one when none was committed yet.
   */
  public static Manifest readLocal(Path output, String dataset) throws IOException {
    Path p = Paths.get(path(output.toString(), dataset));
    return parse(p.toString(), dataset, Files.exists(p) ? Files.readString(p) : "");
  }

  /**
   * Parses a manifest's text; a malformed line fails with an IOException naming the file
   * ({@code source}) and the line: a manifest read wrong would redo or skip sessions.
   */
  // Header lines: "<name> <value>" ("#features" may stand alone: no family).
  private static final String STATE = "#state ";
  private static final String QLIB = "#qlib ";
  private static final String BUCKETS = "#buckets ";
  private static final String FEATURES = "#features";

  /** The value of a header line after its name. */
  private static String after(String line, String name) {
    return line.substring(name.length()).trim();
  }

  static Manifest parse(String source, String dataset, String text) throws IOException {
    Map<String, Entry> entries = new TreeMap<>();
    int state = 0;
    int qlib = 0;
    int buckets = 0;
    String features = null;
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      try {
        if (line.startsWith(STATE)) {
          state = Integer.parseInt(after(line, STATE));
        } else if (line.startsWith(QLIB)) {
          qlib = Integer.parseInt(after(line, QLIB));
        } else if (line.startsWith(BUCKETS)) {
          buckets = Integer.parseInt(after(line, BUCKETS));
        } else if (line.startsWith(FEATURES)) {
          features = after(line, FEATURES);
        } else if (!line.isBlank() && !line.startsWith("#") && !line.equals(HEADER)) {
          Entry e = Entry.parse(line);
          entries.put(e.key, e);
        }
      } catch (IllegalArgumentException e) { // NumberFormatException included
        throw new IOException("manifest " + source + " line " + (i + 1) + " is malformed (" + e.getMessage() + "): "
            + line, e);
      }
    }
    return new Manifest(dataset, state, qlib, entries, buckets, features);
  }

  /** This manifest with the ledger lines of a run (key, size, etag, read, written, quarantined) merged in. */
  public Manifest with(List<String> ledger, int newState, int newQlib, int buckets, String newFeatures) {
    Map<String, Entry> merged = new TreeMap<>(entries);
    String now = Instant.now().toString();
    for (String l : ledger) {
      if (l.isBlank()) {
        continue;
      }
      Entry e = Entry.parse(l + "\t" + now);
      merged.put(e.key, e);
    }
    return new Manifest(dataset, newState, newQlib, merged, newState > 0 ? buckets : 0,
        newState > 0 ? newFeatures : null);
  }

  /** Writes the manifest atomically: the commit point of a run. */
  public void write(String output) throws IOException {
    StringBuilder sb = new StringBuilder("#quantmini-manifest v1\n").append(STATE).append(stateVersion)
        .append('\n').append(QLIB).append(qlibVersion).append('\n').append(BUCKETS).append(symbolBuckets).append('\n');
    if (features != null) {
      sb.append(FEATURES).append(' ').append(features).append('\n');
    }
    sb.append(HEADER).append('\n');
    for (Entry e : entries.values()) {
      sb.append(e.line()).append('\n');
    }
    AtomicFiles.writeString(AtomicFiles.resource(path(output, dataset)), sb.toString());
  }

  /**
   * The families that shape a dataset's files, sorted and comma-joined: a family that does not
   * apply to the dataset (alpha158 for options, {@link FeatureMath#alpha}) changes nothing.
   */
  public static String normalize(List<String> families, Dataset ds) {
    List<String> shape = new ArrayList<>(families);
    if (FeatureMath.adjusted(ds)) {
      shape.add(ADJUSTED); // factor, change and adjusted bar fields: lakes from before them differ
    } else if (FeatureMath.seed(families)) {
      shape.add(GREEKS); // implied volatility and Greeks among the options features
    }
    return shape.stream().map(String::trim).filter(f -> !f.isEmpty())
        .filter(f -> !f.equals("alpha158") || FeatureMath.alpha(ds, families))
        .distinct().sorted().collect(Collectors.joining(","));
  }

  /** Prefix of the feature set's fingerprint ({@link FeatureRegistry.FeatureSet#fingerprint}) in {@code #features}. */
  static final String SET = "set=";

  /** The fingerprint recorded in a {@code #features} value; null for an output built before it was recorded. */
  public static String featureSetIn(String features) {
    return features == null ? null : Arrays.stream(features.split(",")).filter(t -> t.startsWith(SET))
        .map(t -> t.substring(SET.length())).findFirst().orElse(null);
  }

  /** A {@code #features} value without its fingerprint. */
  public static String withoutFeatureSet(String features) {
    return Arrays.stream(features.split(",")).filter(t -> !t.startsWith(SET)).collect(Collectors.joining(","));
  }

  /** The fingerprint's token for a dataset's feature set. */
  public static String featureSetToken(Dataset ds, List<String> families) {
    return SET + FeatureRegistry.of(ds, families).fingerprint();
  }

  /** Marks, in {@code #features}, a stock dataset whose prices are adjusted. */
  static final String ADJUSTED = "adjusted";
  /** Marks, in {@code #features}, an options dataset with implied volatility and Greeks. */
  static final String GREEKS = "greeks";

  static boolean adjustedIn(String features) {
    return List.of(features.split(",")).contains(ADJUSTED);
  }

  static boolean greeksIn(String features) {
    return List.of(features.split(",")).contains(GREEKS);
  }

  /** Latest session recorded, or null. */
  public String lastSession() {
    String last = null;
    for (Entry e : entries.values()) {
      String s = e.session();
      if (last == null || s.compareTo(last) > 0) {
        last = s;
      }
    }
    return last;
  }

  /** Sessions with a processed object, sorted. */
  public SortedSet<String> sessions() {
    TreeSet<String> out = new TreeSet<>();
    entries.values().forEach(e -> out.add(e.session()));
    return out;
  }

}
