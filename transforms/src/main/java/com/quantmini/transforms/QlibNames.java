package com.quantmini.transforms;

import com.quantmini.transforms.model.Dataset;
import java.util.Locale;
import java.util.Set;

/**
 * How a ticker becomes a Qlib instrument and a features directory. Qlib lower-cases directory
 * names, so tickers that differ only in case (ADSw, ADSW) would share one; the mapping is made
 * injective by writing every lower-case letter as '_' plus the letter upper-cased and every '_' as
 * "__" (ADSw → ADS_W, dir ads_w). Options drop the "O:" prefix (':' is not portable in paths).
 * Tickers that pandas reads as missing values in all.txt (NA, NULL, …) get a trailing '_'.
 * Windows device names get Qlib's own "_qlib_" directory prefix.
 */
public final class QlibNames {
  private QlibNames() {}

  private static final Set<String> RESERVED = Set.of("CON", "PRN", "AUX", "NUL", "COM0", "COM1",
      "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT0", "LPT1", "LPT2", "LPT3",
      "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

  /** Upper-cased spellings pandas' read_csv turns into NaN by default. */
  private static final Set<String> PANDAS_NA = Set.of("NA", "NULL", "NAN", "N/A", "#N/A", "<NA>",
      "NONE", "-NAN", "1.#IND", "1.#QNAN", "-1.#IND", "-1.#QNAN", "#N/A N/A", "N/A N/A");

  /** The instrument name written to all.txt (always upper case). */
  public static String instrument(String ticker, Dataset dataset) {
    String t = dataset.isOptions() && ticker.startsWith("O:") ? ticker.substring(2) : ticker;
    StringBuilder sb = new StringBuilder(t.length() + 4);
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '_') {
        sb.append("__");
      } else if (c >= 'a' && c <= 'z') {
        sb.append('_').append((char) (c - 32));
      } else {
        sb.append(c);
      }
    }
    String name = sb.toString();
    return PANDAS_NA.contains(name) ? name + "_" : name;
  }

  /** The features sub-directory Qlib reads for {@code instrument} (its code_to_fname, lower-cased). */
  public static String directory(String instrument) {
    String upper = instrument.toUpperCase(Locale.ROOT);
    String dir = RESERVED.contains(upper) ? "_qlib_" + instrument : instrument;
    return dir.toLowerCase(Locale.ROOT);
  }
}
