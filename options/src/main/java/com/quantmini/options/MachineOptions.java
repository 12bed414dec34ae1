package com.quantmini.options;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Sizing by the host: OSHI is read once per options object (the first time a default needs it),
 * the mode follows from memory, and each setting of the mode is the default of its own flag.
 * {@code --targetParallelism} (the Direct runner's) is set from {@link #getMachineMode()} by the
 * launcher when the user did not pass it; {@code --parquetRowGroupMb} takes its default from
 * here. ({@code --symbolBuckets} does not: an output's state is stored per bucket, so its count is
 * fixed by the output, not by the machine a run happens on.)
 */
public interface MachineOptions extends PipelineOptions {
  @JsonIgnore
  @Hidden
  @Description("The host as OSHI saw it when the options were read")
  @Default.InstanceFactory(DetectHost.class)
  MachineProfile getMachine();

  void setMachine(MachineProfile value);

  @Description("Sizing mode: streaming (< 32 GB of memory), batch (32-64 GB) or parallel (> 64 GB); "
      + "default from the host's memory. Each setting it implies can be overridden by its own flag")
  @Default.InstanceFactory(ModeFromMemory.class)
  MachineProfile.Mode getMachineMode();

  void setMachineMode(MachineProfile.Mode value);

  @Description("Heap the launcher should give the JVM, in GB (advisory: -Xmx is a JVM flag, so "
      + "start java with -Xmx<maxHeapGb>g); default from the mode and the host's memory")
  @Default.InstanceFactory(HeapFromMode.class)
  int getMaxHeapGb();

  void setMaxHeapGb(int value);

  /** The settings of the chosen mode on this host. */
  static MachineProfile.Settings settings(PipelineOptions options) {
    MachineOptions m = options.as(MachineOptions.class);
    MachineProfile host = m.getMachine();
    return MachineProfile.settingsFor(m.getMachineMode(), host.logicalCores, host.totalMemoryBytes);
  }

  /** Reads the host once; Beam caches the result in the options object. */
  class DetectHost implements DefaultValueFactory<MachineProfile> {
    @Override
    public MachineProfile create(PipelineOptions options) {
      return MachineProfile.detect();
    }
  }

  /** The mode for the host's physical memory. */
  class ModeFromMemory implements DefaultValueFactory<MachineProfile.Mode> {
    @Override
    public MachineProfile.Mode create(PipelineOptions options) {
      return options.as(MachineOptions.class).getMachine().mode();
    }
  }

  class HeapFromMode implements DefaultValueFactory<Integer> {
    @Override
    public Integer create(PipelineOptions options) {
      return settings(options).maxHeapGb;
    }
  }

  class RowGroupFromMode implements DefaultValueFactory<Integer> {
    @Override
    public Integer create(PipelineOptions options) {
      return settings(options).parquetRowGroupMb;
    }
  }
}
