package com.quantmini.io;

import java.io.Serializable;

/**
 * Where one dataset's Qlib tree lives across runs. Readers open {@code <root>/<dataset>}, a
 * symbolic link to the active version folder {@code <root>/.<dataset>.v<N>}. A run that only
 * appends sessions after the calendar's end writes into the active version (the new values lie
 * beyond the calendar, invisible until the calendar is replaced); any other change (a first build,
 * a republished or back-filled session) writes a complete new version that the commit switches
 * to by replacing the link. {@code stateDir} is this run's state version ({@link FileStateStore}),
 * where the Qlib writer also stages all.txt, the calendar and its target for the commit
 * ({@link FileStateStore.Staged}).
 */
public final class QlibLayout implements Serializable {
  public final String dataset;
  /** Active version folder, or null when there is none yet. */
  public final String liveDir;
  /** Folder of the version this run would create. */
  public final String nextDir;
  /** This run's state folder. */
  public final String stateDir;

  public QlibLayout(String dataset, String liveDir, String nextDir, String stateDir) {
    this.dataset = dataset;
    this.liveDir = liveDir;
    this.nextDir = nextDir;
    this.stateDir = stateDir;
  }

  /** The staged target's line ({@link FileStateStore.Staged#QLIB_TARGET}): appended in place to the live folder, or written to a new version. */
  public static final String IN_PLACE = "inplace ";
  public static final String NEW_VERSION = "version ";
}
