package com.quantmini.pipeline;

import com.quantmini.options.QuantMiniOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Command-line entry point: a command word (run, the default), then Beam-style options. */
public final class QuantMini {
  private QuantMini() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command and returns the process exit code (0 = everything asked for was done). */
  public static int run(String... args) {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    String command = !rest.isEmpty() && !rest.get(0).startsWith("-") ? rest.remove(0) : "run";
    switch (command) {
      case "run":
        return runJob(withDirectDefaults(rest));
      case "profile":
        System.out.println(LaunchDefaults.profile(rest.toArray(new String[0])));
        return 0;
      default:
        System.err.println("unknown command '" + command + "'; expected: run, profile");
        return 2;
    }
  }

  /**
   * The Direct runner's immutability/encodability checks cost ~9x on this workload; they stay on
   * in unit tests (TestPipeline) and are switched off here unless the user sets them.
   */
  static String[] withDirectDefaults(List<String> args) {
    List<String> out = new ArrayList<>(args);
    boolean direct = args.stream().noneMatch(a -> a.startsWith("--runner=") && !a.endsWith("=DirectRunner"));
    if (direct) {
      for (String flag : List.of("--enforceImmutability", "--enforceEncodability")) {
        if (args.stream().noneMatch(a -> a.startsWith(flag))) {
          out.add(flag + "=false");
        }
      }
    }
    return out.toArray(new String[0]);
  }

  static int runJob(String[] args) {
    PipelineOptionsFactory.register(QuantMiniOptions.class);
    QuantMiniOptions options = PipelineOptionsFactory.fromArgs(args).withValidation().as(QuantMiniOptions.class);
    LaunchDefaults.apply(Arrays.asList(args), options);
    Pipeline p = Pipeline.create(options);
    QuantMiniPipeline.build(p, options);
    long t0 = System.nanoTime();
    PipelineResult result = p.run();
    if (LaunchDefaults.detached(options)) {
      System.out.println("submitted detached (--attachedMode=false); follow the job on the cluster");
      return 0;
    }
    PipelineResult.State state = result.waitUntilFinish();
    RunSummary summary = RunSummary.of(result, (System.nanoTime() - t0) / 1e9);
    System.out.println(summary.describe());
    if (state != PipelineResult.State.DONE) {
      System.err.println("pipeline ended in state " + state);
      return 1;
    }
    if (summary.filesRejected > 0) {
      System.err.println(summary.filesRejected + " file(s) were rejected whole; see the quarantine");
      return 1;
    }
    return 0;
  }
}
