package com.quantmini.transforms.testdata;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import com.quantmini.transforms.calendar.NyseCalendar;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Checks that every fixture sits at a real provider key on an NYSE session. */
class FixtureLayoutTest {

  private static final String HEADER = "ticker,volume,open,close,high,low,window_start,transactions";

  @Test
  void everyFlatFileIsAtASessionKey() {
    assertThat(layoutProblems(Testdata.dir().resolve("flatfiles")), is(empty()));
  }

  @Test
  void everyBadFileIsAtASessionKey() {
    assertThat(layoutProblems(Testdata.dir().resolve("bad-files")), is(empty()));
  }

  @Test
  void flatFilesCoverAllFourDatasets() {
    Set<String> datasets = new TreeSet<>();
    for (String key : Testdata.relativeFiles(Testdata.dir().resolve("flatfiles"))) {
      Matcher m = Testdata.KEY.matcher(key);
      if (m.matches()) {
        datasets.add(m.group(1) + "/" + m.group(2));
      }
    }
    assertThat(
        datasets,
        equalTo(
            Set.of(
                "us_options_opra/day_aggs_v1",
                "us_options_opra/minute_aggs_v1",
                "us_stocks_sip/day_aggs_v1",
                "us_stocks_sip/minute_aggs_v1")));
  }

  @Test
  void everyFlatFileIsCompleteGzipWithTheProviderHeader() throws IOException {
    Path root = Testdata.dir().resolve("flatfiles");
    List<String> problems = new ArrayList<>();
    for (String key : Testdata.relativeFiles(root)) {
      if (key.startsWith("corporate_actions/")) {
        continue;
      }
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(
                  new GZIPInputStream(Files.newInputStream(root.resolve(key))), StandardCharsets.UTF_8))) {
        String header = in.readLine();
        long rows = in.lines().count(); // reads to the end, so a truncated member throws here
        if (!HEADER.equals(header) || rows < 3 || rows > 20) {
          problems.add(key + ": header=" + header + " rows=" + rows);
        }
      }
    }
    assertThat(problems, is(empty()));
  }

  @Test
  void stocknetCopyHasOneFilePerSession() {
    Path root = Testdata.dir().resolve("stocknet");
    List<String> keys = new ArrayList<>(Testdata.relativeFiles(root));
    keys.removeIf(k -> !k.endsWith(".csv.gz"));
    assertThat(keys, hasSize(1258));
    assertThat(layoutProblems(root), is(empty()));
  }

  /** Keys that do not match the provider layout, whose folders disagree with the date, or that are no session. */
  private static List<String> layoutProblems(Path root) {
    List<String> problems = new ArrayList<>();
    List<String> keys = Testdata.relativeFiles(root);
    keys.removeIf(k -> !k.endsWith(".csv.gz") && !k.contains("/")); // README.md, LICENSE at the top
    keys.removeIf(k -> k.startsWith("corporate_actions/")); // splits.json, dividends.json beside the datasets
    if (keys.isEmpty()) {
      problems.add(root + ": no files");
    }
    for (String key : keys) {
      Matcher m = Testdata.KEY.matcher(key);
      if (!m.matches()) {
        problems.add(key + ": not <dataset>/<YYYY>/<MM>/<YYYY-MM-DD>.csv.gz");
        continue;
      }
      if (!m.group(3).equals(m.group(5)) || !m.group(4).equals(m.group(6))) {
        problems.add(key + ": year/month folders disagree with the file name");
      }
      LocalDate session = Testdata.sessionOf(key);
      if (!NyseCalendar.isSession(session)) {
        problems.add(key + ": " + session + " is not an NYSE session");
      }
    }
    return problems;
  }
}
