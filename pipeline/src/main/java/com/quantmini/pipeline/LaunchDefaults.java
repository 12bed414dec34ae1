package com.quantmini.pipeline;

import com.quantmini.io.RunPlan;
import com.quantmini.io.s3.PathStyleS3ClientBuilderFactory;
import com.quantmini.options.MachineOptions;
import com.quantmini.options.MachineProfile;
import com.quantmini.options.QuantMiniOptions;
import java.lang.reflect.Method;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.slf4j.Logger;
import software.amazon.awssdk.regions.Region;
import org.slf4j.LoggerFactory;

/**
 * Defaults the command line applies after parsing and before the graph is built, for options
 * whose owners (Beam's aws2 and Direct runner modules) fix their own defaults: Beam rejects a
 * second {@code @Default} on an inherited getter, so these are set here, and only when the user
 * did not pass the flag.
 */
final class LaunchDefaults {
  private static final Logger LOG = LoggerFactory.getLogger(LaunchDefaults.class);
  private static final String FLINK_OPTIONS = "org.apache.beam.runners.flink.FlinkPipelineOptions";

  private LaunchDefaults() {}

  /**
   * Path-style S3 (needed for every non-AWS endpoint; a no-op without {@code --endpoint}) and the
   * Direct runner's thread count from the machine mode.
   */
  static void apply(List<String> args, QuantMiniOptions o) {
    if (!given(args, "s3ClientFactoryClass")) {
      o.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
    }
    if (!o.getInput().startsWith("s3://") && !given(args, "awsRegion") && System.getenv("AWS_REGION") == null) {
      // Nothing is read from S3, but Beam builds an S3 client anyway, and its region default
      // probes the EC2 metadata address with retries: seconds on every launch off AWS.
      o.setAwsRegion(Region.US_EAST_1);
    }
    MachineProfile.Settings s = MachineOptions.settings(o);
    if (o.getRunner() == DirectRunner.class && !given(args, "targetParallelism")) {
      o.as(DirectOptions.class).setTargetParallelism(s.targetParallelism);
    }
    if (o.getRunner() == DirectRunner.class && !given(args, "blockOnRun")) {
      // run() returns at once and waitUntilFinish() waits, so the progress line can watch the job.
      o.as(DirectOptions.class).setBlockOnRun(false);
    }
    MachineProfile host = o.getMachine();
    // one line, no option values beyond sizing: credentials never pass through here
    LOG.info("Host {} cores, {}; mode {}; parquetRowGroupMb={}{}; advised heap {} GB,"
        + " JVM max heap {}", host.logicalCores, MachineProfile.gb(host.totalMemoryBytes),
        o.getMachineMode(), o.getParquetRowGroupMb(),
        o.getRunner() == DirectRunner.class
            ? " targetParallelism=" + o.as(DirectOptions.class).getTargetParallelism() : "",
        o.getMaxHeapGb(), MachineProfile.gb(host.jvmMaxHeapBytes));
  }

  /**
   * True when the job is submitted detached (Flink's {@code --attachedMode=false}, which REST/web
   * submission requires): then nobody can wait for it here. Read reflectively, so this module
   * does not depend on the Flink runner.
   */
  static boolean detached(PipelineOptions o) {
    try {
      Class<? extends PipelineOptions> flink =
          Class.forName(FLINK_OPTIONS).asSubclass(PipelineOptions.class);
      Method attached = flink.getMethod("getAttachedMode");
      return Boolean.FALSE.equals(attached.invoke(o.as(flink)));
    } catch (ClassNotFoundException e) {
      return false; // no Flink runner on the class path: always attached
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read --attachedMode", e);
    }
  }

  /** The {@code profile} command: what the host offers and what the options choose, one per line. */
  static String profile(String[] args) {
    PipelineOptionsFactory.register(QuantMiniOptions.class);
    QuantMiniOptions o = PipelineOptionsFactory.fromArgs(args).as(QuantMiniOptions.class);
    MachineProfile host = o.getMachine();
    MachineProfile.Settings s = MachineOptions.settings(o);
    int threads = given(List.of(args), "targetParallelism")
        ? o.as(DirectOptions.class).getTargetParallelism() : s.targetParallelism;
    String nl = System.lineSeparator();
    return "cores: " + host.logicalCores + " logical" + nl
        + "memory: " + MachineProfile.gb(host.totalMemoryBytes) + " total" + nl
        + "os: " + host.os + nl
        + "jvm max heap: " + MachineProfile.gb(host.jvmMaxHeapBytes) + nl
        + "mode: " + o.getMachineMode() + " (streaming < 32 GB, batch 32-64 GB, parallel > 64 GB;"
        + " --machineMode)" + nl
        + "targetParallelism: " + threads + " (Direct runner threads; --targetParallelism)" + nl
        + "maxHeapGb: " + o.getMaxHeapGb() + " (start java with -Xmx" + o.getMaxHeapGb() + "g; --maxHeapGb)" + nl
        + "parquetRowGroupMb: " + o.getParquetRowGroupMb() + " (--parquetRowGroupMb)" + nl
        + "symbolBuckets: " + (o.getSymbolBuckets() == null ? "recorded by the output, " + RunPlan.DEFAULT_BUCKETS + " for a new one"
            : o.getSymbolBuckets()) + " (--symbolBuckets)";
  }

  /** Whether {@code --name} or {@code --name=value} is among the raw arguments. */
  static boolean given(List<String> args, String name) {
    String flag = "--" + name;
    return args.stream().anyMatch(a -> a.equals(flag) || a.startsWith(flag + "="));
  }
}
