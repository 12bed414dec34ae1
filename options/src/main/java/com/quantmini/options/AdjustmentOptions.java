package com.quantmini.options;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where splits and dividends come from and what is applied. The REST API key is never an option:
 * it comes from the environment ({@code POLYGON_API_KEY} or {@code MASSIVE_API_KEY}), because
 * option values travel with a Flink job.
 */
public interface AdjustmentOptions extends PipelineOptions {
  @Description("Source of splits and dividends: auto (rest when POLYGON_API_KEY or MASSIVE_API_KEY is set, "
      + "else <input>/corporate_actions/ when it exists, else none), rest, none, or a folder or URL "
      + "(local path, s3://...) holding splits.json and dividends.json in the provider's response format")
  @Default.String("auto")
  String getCorporateActions();

  void setCorporateActions(String value);

  @Description("What adjusts stock prices: splits,dividends or splits")
  @Default.InstanceFactory(SplitsAndDividends.class)
  List<String> getAdjust();

  void setAdjust(List<String> value);

  @Description("Base URL of the provider's REST API (https://api.polygon.io or https://api.massive.com)")
  @Default.String("https://api.polygon.io")
  String getRestEndpoint();

  void setRestEndpoint(String value);

  @Description("Calendar days before the last processed session whose events a run fetches again from "
      + "the REST API, to notice splits and dividends the provider reports late or corrects")
  @Default.Integer(30)
  Integer getEventLookbackDays();

  void setEventLookbackDays(Integer value);

  /** Both kinds. */
  class SplitsAndDividends implements DefaultValueFactory<List<String>> {
    @Override
    public List<String> create(PipelineOptions options) {
      return List.of("splits", "dividends");
    }
  }
}
