package com.quantmini.pipeline;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * {@code SameOutputs <reference output> <output> [dataset]}: exit 0 when both hold the same
 * Qlib bytes (through the version link), bronze/silver rows, quarantine, manifest rows and folder
 * layout (the checks of {@link IncrementalTest}); else prints the first difference and exits 1.
 * Used by runners/crash-test.sh.
 */
public final class SameOutputs {
  private SameOutputs() {}

  public static void main(String[] args) throws Exception {
    Path ref = Paths.get(args[0]);
    Path out = Paths.get(args[1]);
    String dataset = args.length > 2 ? args[2] : "stocks_daily";
    try {
      IncrementalTest.assertSameOutputs(ref, out, dataset);
    } catch (AssertionError e) {
      System.out.println("MISMATCH " + e.getMessage().replace('\n', ' '));
      System.exit(1);
    }
    System.out.println("SAME");
  }
}
