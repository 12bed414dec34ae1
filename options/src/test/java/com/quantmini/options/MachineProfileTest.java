package com.quantmini.options;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import com.quantmini.options.MachineProfile.Mode;
import com.quantmini.options.MachineProfile.Settings;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class MachineProfileTest {
  private static final long GB = 1L << 30;

  @Test
  void modeFollowsMemoryWithTheSeedsThresholds() {
    assertThat(MachineProfile.modeFor(0), is(Mode.streaming));
    assertThat(MachineProfile.modeFor(24 * GB), is(Mode.streaming));
    assertThat(MachineProfile.modeFor(32 * GB - 1), is(Mode.streaming));
    assertThat(MachineProfile.modeFor(32 * GB), is(Mode.batch));
    assertThat(MachineProfile.modeFor(64 * GB), is(Mode.batch));
    assertThat(MachineProfile.modeFor(64 * GB + 1), is(Mode.parallel));
    assertThat(MachineProfile.modeFor(512 * GB), is(Mode.parallel));
  }

  @Test
  void streamingCapsThreadsAndHalvesMemoryOnALaptop() {
    Settings s = MachineProfile.settingsFor(Mode.streaming, 10, 24 * GB);
    assertThat(s.targetParallelism, is(4));
    assertThat(s.maxHeapGb, is(12));
    assertThat(s.parquetRowGroupMb, is(32));
    assertThat(MachineProfile.settingsFor(Mode.streaming, 2, 24 * GB).targetParallelism, is(2));
  }

  @Test
  void batchAndParallelUseEveryCoreAndScaleRowGroups() {
    Settings batch = MachineProfile.settingsFor(Mode.batch, 16, 48 * GB);
    assertThat(batch.targetParallelism, is(16));
    assertThat(batch.maxHeapGb, is(28));
    assertThat(batch.parquetRowGroupMb, is(64));
    Settings parallel = MachineProfile.settingsFor(Mode.parallel, 64, 256 * GB);
    assertThat(parallel.targetParallelism, is(64));
    assertThat(parallel.maxHeapGb, is(179));
    assertThat(parallel.parquetRowGroupMb, is(128));
  }

  @Test
  void unknownMemoryGetsASmallHeapAndAtLeastOneThread() {
    Settings s = MachineProfile.settingsFor(Mode.streaming, 0, 0);
    assertThat(s.targetParallelism, is(1));
    assertThat(s.maxHeapGb, is(2));
  }

  @Test
  void optionDefaultsComeFromTheFakeHostAndFlagsOverrideThem() {
    QuantMiniOptions o = PipelineOptionsFactory.fromArgs().as(QuantMiniOptions.class);
    o.setMachine(new MachineProfile(8, 128 * GB, "test os", 4 * GB));
    assertThat(o.getMachineMode(), is(Mode.parallel));
    assertThat(o.getSymbolBuckets(), is(nullValue())); // the output decides (RunPlan)
    assertThat(o.getParquetRowGroupMb(), is(128));
    assertThat(o.getMaxHeapGb(), is(89));

    QuantMiniOptions forced = PipelineOptionsFactory.fromArgs("--machineMode=streaming",
        "--parquetRowGroupMb=16", "--maxHeapGb=3").as(QuantMiniOptions.class);
    forced.setMachine(new MachineProfile(8, 128 * GB, "test os", 4 * GB));
    assertThat(forced.getMachineMode(), is(Mode.streaming));
    assertThat(forced.getParquetRowGroupMb(), is(16));
    assertThat(forced.getMaxHeapGb(), is(3));
  }

  @Test
  void detectsThisHost() {
    MachineProfile host = MachineProfile.detect();
    assertThat(host.logicalCores, greaterThan(0));
    assertThat(host.totalMemoryBytes, greaterThan(0L));
  }
}
