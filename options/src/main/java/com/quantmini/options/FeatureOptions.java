package com.quantmini.options;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Which feature families WindowedFeatures computes. */
public interface FeatureOptions extends PipelineOptions {
  @Description("Feature families, comma-separated: alpha158 (Qlib's Alpha158, stocks datasets) and "
      + "seed (the seed's feature set of each dataset); pass --features= (empty) for none")
  @Default.InstanceFactory(AllFamilies.class)
  List<String> getFeatures();

  void setFeatures(List<String> value);

  @Description("Features that also become Qlib bins: default (the seed features and options analytics; "
      + "Alpha158 stays in silver, Qlib's own Alpha158 handler computes it from the bar fields), bars (none), "
      + "all, a comma-separated list of feature names, or none (no Qlib output: the lake alone). Bar fields, "
      + "factor and change always do. Fixed by an output's first run; unset = the output's choice")
  String getQlibFields();

  void setQlibFields(String value);

  @Description("Options analytics: the risk-free rate r of the Black-Scholes-Merton model (continuous, "
      + "per year), used where --riskFreeRates has no rate yet")
  @Default.Double(0.04)
  Double getRiskFreeRate();

  void setRiskFreeRate(Double value);

  @Description("Options analytics: a CSV file of date,rate lines (YYYY-MM-DD, continuous rate per year); "
      + "each session takes the last rate on or before it")
  @Default.String("")
  String getRiskFreeRates();

  void setRiskFreeRates(String value);

  @Description("Options analytics: the underlyings' continuous dividend yield q per year")
  @Default.Double(0.0)
  Double getDividendYield();

  void setDividendYield(Double value);

  /** Both families. */
  class AllFamilies implements DefaultValueFactory<List<String>> {
    @Override
    public List<String> create(PipelineOptions options) {
      return List.of("alpha158", "seed");
    }
  }
}
