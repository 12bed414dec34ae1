package com.quantmini.transforms.testdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Locates the repository's testdata/ folder and lists flat-file keys under it. */
public final class Testdata {

  /** A provider object key: dataset prefix, then YYYY/MM/YYYY-MM-DD.csv.gz. */
  public static final Pattern KEY =
      Pattern.compile(
          "(us_stocks_sip|us_options_opra)/(day_aggs_v1|minute_aggs_v1)/"
              + "(\\d{4})/(\\d{2})/(\\d{4})-(\\d{2})-(\\d{2})\\.csv\\.gz");

  private Testdata() {}

  /** The testdata folder: system property {@code testdata.dir} (set by the root pom), else ../testdata. */
  public static Path dir() {
    String configured = System.getProperty("testdata.dir");
    Path dir = configured == null || configured.isBlank() ? Paths.get("..", "testdata") : Paths.get(configured);
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("testdata folder not found: " + dir.toAbsolutePath());
    }
    return dir;
  }

  /** Every regular file under {@code root}, as '/'-separated paths relative to it, sorted. */
  public static List<String> relativeFiles(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The session date named by a key, or an IllegalArgumentException if it does not match {@link #KEY}. */
  public static LocalDate sessionOf(String relativeKey) {
    Matcher m = KEY.matcher(relativeKey);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a flat-file key: " + relativeKey);
    }
    return LocalDate.of(Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)), Integer.parseInt(m.group(7)));
  }
}
