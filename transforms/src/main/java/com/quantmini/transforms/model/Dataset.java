package com.quantmini.transforms.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The four flat-file datasets; the lower-case constant is the name users pass to {@code --datasets}. */
public enum Dataset {
  stocks_daily("us_stocks_sip/day_aggs_v1", true, false),
  stocks_minute("us_stocks_sip/minute_aggs_v1", false, false),
  options_daily("us_options_opra/day_aggs_v1", true, true),
  options_minute("us_options_opra/minute_aggs_v1", false, true);

  private final String prefix;
  private final boolean daily;
  private final boolean options;

  Dataset(String prefix, boolean daily, boolean options) {
    this.prefix = prefix;
    this.daily = daily;
    this.options = options;
  }

  /** Key prefix in the provider's bucket, without slashes at either end. */
  public String prefix() {
    return prefix;
  }

  public boolean isDaily() {
    return daily;
  }

  public boolean isOptions() {
    return options;
  }

  /** Qlib frequency string: the calendar file stem and the middle part of every field file name. */
  public String qlibFreq() {
    return daily ? "day" : "1min";
  }

  /** Parses a user-supplied dataset name, naming the valid ones when it is unknown. */
  public static Dataset parse(String name) {
    for (Dataset d : values()) {
      if (d.name().equals(name.trim())) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "unknown dataset '" + name + "', expected one of "
            + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
  }
}
