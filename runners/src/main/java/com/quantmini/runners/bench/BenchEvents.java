package com.quantmini.runners.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * Splits and dividends for the generated daily year, in the provider's response format, so the
 * benchmark pays for adjustment as a real lake does: every 50th ticker splits 2:1 mid-year and
 * every third pays a quarterly dividend (about what US listings do in a year).
 */
final class BenchEvents {
  private BenchEvents() {}

  /** Writes {@code <root>/corporate_actions/} unless it exists; returns the number of events. */
  static int write(Path root, Path firstFile, List<LocalDate> sessions) throws IOException {
    Path dir = root.resolve("corporate_actions");
    if (Files.exists(dir.resolve("dividends.json"))) {
      return -1;
    }
    TreeSet<String> tickers = new TreeSet<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(firstFile)), StandardCharsets.UTF_8))) {
      in.readLine();
      for (String l = in.readLine(); l != null; l = in.readLine()) {
        tickers.add(l.substring(0, l.indexOf(',')));
      }
    }
    List<String> splits = new ArrayList<>();
    List<String> dividends = new ArrayList<>();
    int i = 0;
    for (String t : tickers) {
      if (i % 50 == 0) {
        splits.add(String.format("{\"id\":\"S%d\",\"ticker\":\"%s\",\"execution_date\":\"%s\",\"split_from\":1,"
            + "\"split_to\":2}", i, t, sessions.get(sessions.size() / 2)));
      }
      if (i % 3 == 0) {
        for (int q = 0; q < 4; q++) {
          int k = Math.min(sessions.size() - 1, 40 + 63 * q);
          dividends.add(String.format("{\"id\":\"D%d-%d\",\"ticker\":\"%s\",\"cash_amount\":0.1,\"currency\":\"USD\","
              + "\"dividend_type\":\"CD\",\"frequency\":4,\"ex_dividend_date\":\"%s\"}", i, q, t, sessions.get(k)));
        }
      }
      i++;
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("splits.json"), "{\"results\":[" + String.join(",", splits) + "]}\n");
    Files.writeString(dir.resolve("dividends.json"), "{\"results\":[" + String.join(",", dividends) + "]}\n");
    return splits.size() + dividends.size();
  }
}
