package com.quantmini.io.s3;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Writes small gzip CSV day files in the flat-file key layout, for S3 tests. */
public final class FlatFileFixtures {

  public static final String HEADER = "ticker,volume,open,close,high,low,window_start,transactions";
  public static final List<String> DAY_KEYS = List.of(
      "us_stocks_sip/day_aggs_v1/2024/01/2024-01-02.csv.gz",
      "us_stocks_sip/day_aggs_v1/2024/01/2024-01-03.csv.gz");

  private FlatFileFixtures() {}

  /** Writes {@link #DAY_KEYS} under {@code root}, {@code rowsPerFile} made-up rows each. */
  public static void writeDays(Path root, int rowsPerFile) throws IOException {
    Random random = new Random(7);
    for (String key : DAY_KEYS) {
      Path file = root.resolve(key);
      Files.createDirectories(file.getParent());
      long day = LocalDate.parse(file.getFileName().toString().substring(0, 10))
          .atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000_000L;
      try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(file));
          Writer out = new OutputStreamWriter(gz, StandardCharsets.UTF_8)) {
        out.write(HEADER + "\n");
        for (int i = 0; i < rowsPerFile; i++) {
          double open = 10 + random.nextDouble() * 500;
          double close = open * (0.95 + random.nextDouble() * 0.1);
          out.write(String.format(Locale.ROOT, "T%05d,%d,%.4f,%.4f,%.4f,%.4f,%d,%d%n", i,
              random.nextInt(5_000_000), open, close, Math.max(open, close) * 1.01,
              Math.min(open, close) * 0.99, day, random.nextInt(40_000)));
        }
      }
    }
  }
}
