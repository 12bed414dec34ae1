package com.quantmini.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import com.quantmini.options.QuantMiniOptions;
import com.quantmini.pipeline.QuantMiniPipeline;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job over testdata/flatfiles on Flink's local (embedded) cluster with parallelism 2
 * produces what the Direct runner produces: Qlib and quarantine files byte-identical, Parquet rows
 * equal.
 */
class FlinkLocalEqualityTest {

  @Test
  void flinkLocalWritesTheSameOutputsAsTheDirectRunner(@TempDir Path out) throws Exception {
    Path direct = Runs.directReference();

    Runs.Result flink = Runs.run("run", "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2",
        "--input=" + Runs.testdata().resolve("flatfiles"), "--output=" + out);

    assertThat(flink.toString(), flink.succeeded(), is(true));
    assertThat(CompareOutputs.differences(direct, out), empty());
    assertThat(CompareOutputs.parquetRows(out), greaterThan(0L));
  }

  /** Full names of the graph's steps for a runner. */
  private static List<String> steps(Path out, String... runner) throws Exception {
    List<String> args = new ArrayList<>(List.of(runner));
    args.add("--input=" + Runs.testdata().resolve("flatfiles"));
    args.add("--output=" + out);
    QuantMiniOptions o = PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).as(QuantMiniOptions.class);
    Pipeline p = Pipeline.create(o);
    QuantMiniPipeline.build(p, o, QuantMiniPipeline.plan(o), false);
    List<String> names = new ArrayList<>();
    p.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        names.add(node.getFullName());
      }
    });
    return names;
  }

  @Test
  void onFlinkGroupsGoThroughItsShuffleNotTheOutputFolder(@TempDir Path out) throws Exception {
    // The Direct runner spills its groups to <output>/_work (measured to help it); a cluster must
    // not need that folder shared between TaskManagers.
    assertThat(steps(out, "--runner=DirectRunner").stream().anyMatch(n -> n.contains("SpillValues")), is(true));
    assertThat(steps(out, "--runner=FlinkRunner", "--flinkMaster=[local]").stream()
        .filter(n -> n.contains("SpillValues")).collect(Collectors.toList()), empty());
  }
}
