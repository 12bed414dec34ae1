package com.quantmini.transforms.model;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;

/**
 * What the per-symbol computation reads from the incremental state and leaves for the next run.
 * The transforms see only this; io's {@code FileStateStore} keeps it in the output's
 * {@code _state/} folder (and a test can keep it in memory). Reads see the last committed run;
 * saves go to this run's state, which only the commit makes the next run's.
 */
public interface StateStore extends Serializable {
  /** The tails with their carry the last committed run left for a bucket; none on a first run. */
  List<SeriesState.Entry> tails(BucketKey bucket) throws IOException;

  /** Whether this run keeps the history of a daily dataset (what a back-fill older than the tails replays). */
  boolean keepsHistory(Dataset dataset);

  /**
   * A daily bucket's whole history, replayed from the committed runs' segments on their calendar
   * {@code priorCalendar}.
   *
   * @throws IllegalStateException when no history is kept for the dataset
   */
  List<SeriesState.Entry> history(BucketKey bucket, long[] priorCalendar) throws IOException;

  /** This run's history segment of a daily bucket ({@link SeriesHistory#encode}). */
  void saveSegment(BucketKey bucket, byte[] segment) throws IOException;

  /** The tails with their carry this run leaves for the next one. */
  void saveTails(BucketKey bucket, List<SeriesState.Entry> tails) throws IOException;

  /** A dataset's calendar after this run (slot times), which the next run extends. */
  void saveCalendar(Dataset dataset, long[] calendar) throws IOException;

  /** A folder on the store's file system, for syncing what a bundle saved; null when there is none. */
  String syncPath();
}
