package com.quantmini.transforms;

import com.quantmini.transforms.model.BucketKey;
import com.quantmini.transforms.model.SeriesHistory;
import com.quantmini.transforms.model.SeriesState;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.TreeMap;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Where a bucket's {@link SeriesState} lives inside a state version folder, and its {@link
 * SeriesHistory} segments beside the versions ({@code _state/<dataset>/history/v<N>-bucket-<b>.bin},
 * written by the run that makes state version N), and reading them.
 */
public final class StateFiles {
  private StateFiles() {}

  /** {@code <stateDir>/bucket-<n>.bin} for bucket key {@code <dataset>/<n>}. */
  public static String bucketPath(String stateDir, String bucketKey) {
    return stateDir + "/bucket-" + BucketKey.parse(bucketKey).number() + ".bin";
  }

  /** The remembered symbols of a bucket; none when there is no earlier state. */
  public static List<SeriesState.Entry> readBucket(String stateDir, String bucketKey) throws IOException {
    if (stateDir == null) {
      return List.of();
    }
    String path = bucketPath(stateDir, bucketKey);
    MatchResult m = FileSystems.match(path, EmptyMatchTreatment.ALLOW);
    if (m.status() != MatchResult.Status.OK || m.metadata().isEmpty()) {
      return List.of();
    }
    try (InputStream in = Channels.newInputStream(FileSystems.open(m.metadata().get(0).resourceId()))) {
      return SeriesState.decode(in.readAllBytes());
    } catch (IOException e) {
      throw new IOException("state file " + path + " is unreadable: " + e.getMessage(), e);
    }
  }

  /** {@code _state/<dataset>/history} for a state version folder {@code _state/<dataset>/v<N>}. */
  public static String historyDir(String stateDir) {
    return stateDir.substring(0, stateDir.lastIndexOf('/')) + "/history";
  }

  /** N of a state version folder {@code .../v<N>}. */
  public static int version(String stateDir) {
    return Integer.parseInt(stateDir.substring(stateDir.lastIndexOf("/v") + 2));
  }

  static String segmentPath(String historyDir, int version, String bucketKey) {
    return historyDir + "/v" + version + "-bucket-" + BucketKey.parse(bucketKey).number() + ".bin";
  }

  /** Writes this run's segment of a bucket (the run that makes state version {@code version}). */
  public static void writeSegment(String historyDir, int version, String bucketKey, byte[] segment)
      throws IOException {
    // Temp and rename: a retried bundle or a re-run after a kill replaces it whole.
    ResourceId target = FileSystems.matchNewResource(segmentPath(historyDir, version, bucketKey), false);
    ResourceId temp = FileSystems.matchNewResource(historyDir + "/_tmp-" + UUID.randomUUID() + ".bin", false);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(temp, "application/octet-stream"))) {
      out.write(segment);
    }
    FileSystems.rename(List.of(temp), List.of(target),
        MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  /** The whole history of a daily bucket from the segments of state versions 1..{@code upTo}. */
  public static List<SeriesState.Entry> readHistory(String historyDir, int upTo, String bucketKey, long[] calendar)
      throws IOException {
    String suffix = "-bucket-" + BucketKey.parse(bucketKey).number() + ".bin";
    MatchResult m = FileSystems.match(historyDir + "/v*" + suffix, EmptyMatchTreatment.ALLOW);
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
        if (v <= upTo) {
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
    return SeriesHistory.replay(segments, calendar);
  }
}
