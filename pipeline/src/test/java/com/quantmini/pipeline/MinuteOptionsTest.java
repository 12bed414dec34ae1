package com.quantmini.pipeline;

import static com.quantmini.pipeline.IncrementalTest.assertSameOutputs;
import static com.quantmini.pipeline.IncrementalTest.run;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Minute contracts price against the underlying's close of the same minute: when that stock
 * minute session is republished, the options of the session are redone, and the result equals a
 * full run over the corrected file.
 */
class MinuteOptionsTest {
  private static final String OPTIONS_MINUTE = "us_options_opra/minute_aggs_v1";

  @TempDir
  Path tmp;

  private static Path src(String prefix, String day) {
    return IncrementalTest.dayKey(EndToEndTest.testdata().resolve("flatfiles"), prefix, day);
  }

  private static void copy(Path from, Path to, double priceFactor) throws IOException {
    Files.createDirectories(to.getParent());
    List<String> lines;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(from))) {
      lines = List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
    }
    List<String> out = new ArrayList<>(List.of(lines.get(0)));
    out.addAll(priceFactor == 1 ? lines.subList(1, lines.size())
        : IncrementalTest.scaled(lines.subList(1, lines.size()), priceFactor));
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(to))) {
      o.write((String.join("\n", out) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Stock minutes of 2024-01-04 (prices times {@code factor}) and the options minutes of 01-03 and 01-04. */
  private Path input(String name, double factor) throws IOException {
    Path in = tmp.resolve(name);
    copy(src(IncrementalTest.MINUTE, "2024-01-04"), IncrementalTest.dayKey(in, IncrementalTest.MINUTE, "2024-01-04"),
        factor);
    for (String d : List.of("2024-01-03", "2024-01-04")) {
      copy(src(OPTIONS_MINUTE, d), IncrementalTest.dayKey(in, OPTIONS_MINUTE, d), 1);
    }
    return in;
  }

  @Test
  void aRepublishedStockMinuteSessionRedoesTheImpliedVolatilityOfItsOptions() throws Exception {
    String both = "--datasets=stocks_minute,options_minute";
    Path full = tmp.resolve("full");
    run("run", input("full-in", 1.002), full, both);
    Path in = input("in", 1);
    Path out = tmp.resolve("out");
    run("run", in, out, both);
    copy(src(IncrementalTest.MINUTE, "2024-01-04"), IncrementalTest.dayKey(in, IncrementalTest.MINUTE, "2024-01-04"),
        1.002);
    assertThat(run("run", in, out, both), containsString("sessions republished: stocks_minute 2024-01-04"));
    assertSameOutputs(full, out, "options_minute");
    assertSameOutputs(full, out, "stocks_minute");
  }
}
