package com.quantmini.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;

/**
 * Reads {@code --riskFreeRates}: a CSV of {@code date,rate} lines (an optional header, YYYY-MM-DD,
 * a continuous rate per year such as 0.0525). A line that is not that is an error naming it: a
 * silently skipped rate would price every option of its sessions with the wrong one.
 */
public final class RiskFreeRates {
  private RiskFreeRates() {}

  /** Epoch day → rate. */
  public static Map<Long, Double> load(String path) throws IOException {
    String text;
    try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchSingleFileSpec(path).resourceId()))) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<Long, Double> out = new TreeMap<>();
    String[] lines = text.split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].trim();
      if (line.isEmpty() || (i == 0 && line.toLowerCase(Locale.ROOT).startsWith("date"))) {
        continue;
      }
      String[] f = line.split(",");
      try {
        double rate = Double.parseDouble(f.length == 2 ? f[1].trim() : "x");
        if (!Double.isFinite(rate) || Math.abs(rate) > 1) {
          throw new NumberFormatException();
        }
        out.put(LocalDate.parse(f[0].trim()).toEpochDay(), rate);
      } catch (NumberFormatException | DateTimeParseException e) {
        throw new IOException(path + " line " + (i + 1) + ": expected date,rate (e.g. 2024-01-02,0.0525), got '"
            + line + "'");
      }
    }
    if (out.isEmpty()) {
      throw new IOException(path + " holds no date,rate line");
    }
    return out;
  }
}
