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

  /** Both families. */
  class AllFamilies implements DefaultValueFactory<List<String>> {
    @Override
    public List<String> create(PipelineOptions options) {
      return List.of("alpha158", "seed");
    }
  }
}
