package com.quantmini.transforms;

import org.apache.beam.sdk.metrics.Distribution;

/** Times one element's work of a step into a Beam distribution, in µs (the run summary's "steps" line). */
public final class StepClock {
  private StepClock() {}

  /** A step's work for one element. */
  public interface Work<E extends Exception> {
    void run() throws E;
  }

  public static <E extends Exception> void micros(Distribution into, Work<E> work) throws E {
    long t0 = System.nanoTime();
    try {
      work.run();
    } finally {
      into.update((System.nanoTime() - t0) / 1_000);
    }
  }
}
