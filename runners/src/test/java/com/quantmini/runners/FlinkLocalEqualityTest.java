package com.quantmini.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.nio.file.Path;
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
}
