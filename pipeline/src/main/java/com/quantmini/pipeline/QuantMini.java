package com.quantmini.pipeline;

/** Command-line entry point: a command word (run, daily, backfill, profile), then Beam-style options. */
public final class QuantMini {
  private QuantMini() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command and returns the process exit code (0 = everything asked for was done). */
  public static int run(String... args) {
    throw new IllegalStateException("pipeline not wired yet");
  }
}
