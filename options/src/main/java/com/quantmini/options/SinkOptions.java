package com.quantmini.options;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where and how the lake, the quarantine and the Qlib folders are written. */
public interface SinkOptions extends PipelineOptions {
  @Description("Output root, a local or mounted folder (a shared one on a cluster; s3:// is refused: Qlib "
      + "versions are published by switching a symbolic link): bronze/, silver/, quarantine/, qlib/ and "
      + "_manifest/ are created below it")
  @Default.String("out")
  String getOutput();

  void setOutput(String value);

  @Description("Hash buckets symbols are grouped into for the per-symbol steps (coarse keys keep "
      + "the Direct runner's per-key cost low). Fixed by an output's first run, which records it in "
      + "the manifest (default 32): later runs use the recorded count, and a different value is refused")
  Integer getSymbolBuckets();

  void setSymbolBuckets(Integer value);

  @Description("Parquet row-group size in MB; default from --machineMode (streaming 32, batch 64, "
      + "parallel 128)")
  @Default.InstanceFactory(MachineOptions.RowGroupFromMode.class)
  int getParquetRowGroupMb();

  void setParquetRowGroupMb(int value);

  @Description("Options only: underlyings (OCC roots, e.g. SPY,QQQ) whose contracts are exported "
      + "to Qlib; empty = all. Each contract is one Qlib directory, so a full chain means millions "
      + "of files")
  @Default.InstanceFactory(NoUnderlyings.class)
  List<String> getQlibUnderlyings();

  void setQlibUnderlyings(List<String> value);

  @Description("Daily datasets: after each commit, copy every closed month's session files into one Parquet "
      + "file sorted by ticker under _compact/ (what makes `query` fast; about the size of the month's "
      + "session files again). The session files stay the lake; `compact` does the same on demand")
  @Default.Boolean(true)
  boolean getCompactMonths();

  void setCompactMonths(boolean value);

  /** Empty list: export every underlying. */
  class NoUnderlyings implements DefaultValueFactory<List<String>> {
    @Override
    public List<String> create(PipelineOptions options) {
      return List.of();
    }
  }
}
