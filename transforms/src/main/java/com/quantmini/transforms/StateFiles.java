package com.quantmini.transforms;

import com.quantmini.transforms.model.SeriesState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/** Where a bucket's {@link SeriesState} lives inside a state version folder, and reading it. */
public final class StateFiles {
  private StateFiles() {}

  /** {@code <stateDir>/bucket-<n>.bin} for bucket key {@code <dataset>/<n>}. */
  public static String bucketPath(String stateDir, String bucketKey) {
    return stateDir + "/bucket-" + bucketKey.substring(bucketKey.indexOf('/') + 1) + ".bin";
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
    }
  }
}
