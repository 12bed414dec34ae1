package com.quantmini.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.BackOffUtils;
import org.apache.beam.sdk.util.FluentBackoff;
import org.apache.beam.sdk.util.Sleeper;
import org.joda.time.Duration;

/**
 * The waits between attempts of a read or a listing that failed in transport, from Beam's
 * {@link FluentBackoff}: a dropped connection or a store under load gets time to recover instead of
 * being hit again at once, and the jitter (±50%) keeps workers that failed together from retrying
 * together. Callers count their attempts; this only waits.
 */
final class Retries {
  private Retries() {}

  /** {@code attempts} in all; the first wait is about {@code first}, each next one 1.5 times longer. */
  static FluentBackoff backoff(int attempts, Duration first) {
    return FluentBackoff.DEFAULT.withMaxRetries(attempts - 1).withInitialBackoff(first);
  }

  /** Sleeps the next wait of {@code backoff} (none once its retries are spent). */
  static void pause(BackOff backoff, String what) throws IOException {
    try {
      BackOffUtils.next(Sleeper.DEFAULT, backoff);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry " + what);
    }
  }
}
