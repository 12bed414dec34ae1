package com.quantmini.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** What a run tells while it runs. */
public interface ReportingOptions extends PipelineOptions {
  @Description("No progress lines on stderr (the summary on stdout is printed either way)")
  @Default.Boolean(false)
  Boolean getQuiet();

  void setQuiet(Boolean value);

  @Description("Seconds between progress lines on stderr (the first after as many seconds)")
  @Default.Integer(10)
  Integer getProgressSeconds();

  void setProgressSeconds(Integer value);
}
