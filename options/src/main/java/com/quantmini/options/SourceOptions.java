package com.quantmini.options;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where the flat files come from and which of them to process. */
public interface SourceOptions extends PipelineOptions {
  @Description("Input root holding the provider's key layout (us_stocks_sip/day_aggs_v1/YYYY/MM/"
      + "YYYY-MM-DD.csv.gz, ...): a local folder, or s3://bucket[/prefix] such as s3://flatfiles")
  @Default.String("testdata/flatfiles")
  String getInput();

  void setInput(String value);

  @Description("Datasets to process, comma-separated: stocks_daily, stocks_minute, options_daily, "
      + "options_minute")
  @Default.InstanceFactory(AllDatasets.class)
  List<String> getDatasets();

  void setDatasets(List<String> value);

  @Description("First session to process, inclusive, YYYY-MM-DD; empty = the earliest in the source")
  @Default.String("")
  String getFrom();

  void setFrom(String value);

  @Description("Last session to process, inclusive, YYYY-MM-DD; empty = the latest in the source")
  @Default.String("")
  String getTo();

  void setTo(String value);

  @Description("daily: recent sessions, up to the last processed one, whose files are listed again so "
      + "files the provider publishes late or republishes are done too (0: only sessions after it)")
  @Default.Integer(5)
  Integer getLookbackSessions();

  void setLookbackSessions(Integer value);

  @Description("Most new sessions one run takes on: a longer range is done as consecutive runs, "
      + "each committed, with the same result as one run (a run's memory grows with its sessions: "
      + "every symbol's new bars meet in memory). Default: parts of about 48 MB of new gzip files "
      + "(a day or two of stock minute bars; daily data runs whole); 0 = no limit")
  Integer getSessionsPerRun();

  void setSessionsPerRun(Integer value);

  @Description("Sessions to process again even though the manifest has them, comma-separated "
      + "YYYY-MM-DD (their outputs are replaced)")
  @Default.InstanceFactory(NoSessions.class)
  List<String> getReprocess();

  void setReprocess(List<String> value);

  /** No session forced. */
  class NoSessions implements DefaultValueFactory<List<String>> {
    @Override
    public List<String> create(PipelineOptions options) {
      return List.of();
    }
  }

  /** All four datasets. */
  class AllDatasets implements DefaultValueFactory<List<String>> {
    @Override
    public List<String> create(PipelineOptions options) {
      return List.of("stocks_daily", "stocks_minute", "options_daily", "options_minute");
    }
  }
}
