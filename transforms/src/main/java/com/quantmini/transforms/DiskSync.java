package com.quantmini.transforms;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a worker's written files durable before the commit publishes them. On the Direct runner
 * every writer runs in the process that commits, and the commit syncs the file system once
 * ({@code RunPlan.commit}). On a cluster each writer runs on some TaskManager whose dirty pages the
 * committing process cannot flush, so every writer step syncs the output's file system on its own
 * host when a bundle finishes ({@code sync -f}: one call per bundle, not an fsync per file, which
 * cost a daily update minutes over Qlib's ~900 000 files).
 */
public final class DiskSync {
  private static final Logger LOG = LoggerFactory.getLogger(DiskSync.class);

  private DiskSync() {}

  /** Flushes the file system holding {@code path} on this host ({@code sync -f}). */
  public static void sync(String path) throws IOException {
    try {
      Process p = new ProcessBuilder("sync", "-f", path).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException("sync -f " + path + " failed: " + out.trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while syncing " + path);
    }
  }

  /** Whether the job runs in the process that commits it (the Direct runner). */
  public static boolean inCommittingProcess(PipelineOptions o) {
    return o.getRunner() != null && o.getRunner().getSimpleName().contains("DirectRunner");
  }

  /** Call from a writer's {@code @FinishBundle}: syncs {@code path}'s file system unless the commit will. */
  public static void afterBundle(PipelineOptions o, String path) {
    if (path == null || path.contains("://") || inCommittingProcess(o)) {
      return;
    }
    try {
      sync(path);
    } catch (IOException e) {
      // A writer whose files may not be on disk must not let the commit publish them.
      throw new UncheckedIOException(e);
    }
    LOG.debug("synced {}", path);
  }
}
