package com.quantmini.runners.bench;

import java.time.LocalDate;

/** The four flat-file data sets, with the object-key prefix and the name the pipeline's {@code --datasets} uses. */
public enum FlatDataset {
  STOCKS_DAILY("stocks_daily", "us_stocks_sip/day_aggs_v1"),
  STOCKS_MINUTE("stocks_minute", "us_stocks_sip/minute_aggs_v1"),
  OPTIONS_DAILY("options_daily", "us_options_opra/day_aggs_v1"),
  OPTIONS_MINUTE("options_minute", "us_options_opra/minute_aggs_v1");

  public static final String HEADER = "ticker,volume,open,close,high,low,window_start,transactions";

  private final String optionName;
  private final String prefix;

  FlatDataset(String optionName, String prefix) {
    this.optionName = optionName;
    this.prefix = prefix;
  }

  /** The value for {@code --datasets=}. */
  public String optionName() {
    return optionName;
  }

  /** Key prefix below the flat-file root, e.g. {@code us_stocks_sip/day_aggs_v1}. */
  public String prefix() {
    return prefix;
  }

  /** Relative key of one session's object: {@code <prefix>/YYYY/MM/YYYY-MM-DD.csv.gz}. */
  public String key(LocalDate session) {
    String iso = session.toString();
    return prefix + "/" + iso.substring(0, 4) + "/" + iso.substring(5, 7) + "/" + iso + ".csv.gz";
  }

  public boolean isMinute() {
    return this == STOCKS_MINUTE || this == OPTIONS_MINUTE;
  }

  public boolean isOptions() {
    return this == OPTIONS_DAILY || this == OPTIONS_MINUTE;
  }

  public static FlatDataset fromOptionName(String name) {
    for (FlatDataset d : values()) {
      if (d.optionName.equals(name)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown dataset " + name);
  }
}
