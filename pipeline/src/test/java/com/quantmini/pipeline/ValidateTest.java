package com.quantmini.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.quantmini.io.lake.Check;
import com.quantmini.io.lake.LakeValidator;
import com.quantmini.io.lake.Problem;
import com.quantmini.io.lake.ValidationReport;
import com.quantmini.transforms.model.Dataset;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate} over the README's default run (testdata/flatfiles, built once): the clean
 * output passes, and each planted fault is reported by its check, with file, symbol and session.
 * Each test plants its fault in its own copy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValidateTest {
  private static final String DAILY = "qlib/stocks_daily/";
  private static final String BRONZE_JAN = "bronze/stocks_daily/year=2024/month=01/";
  private Path clean;
  @TempDir
  Path dir;

  @BeforeAll
  void runDefaultOnce(@TempDir Path shared) {
    clean = shared.resolve("out");
    int exit = QuantMini.run("run", "--input=" + EndToEndTest.testdata().resolve("flatfiles"), "--output=" + clean);
    assertThat(exit, is(0));
  }

  /** A fresh copy of the clean output (the Qlib links copied as links). */
  private Path copy() throws IOException {
    report = null;
    Path to = dir.resolve("out");
    Files.walkFileTree(clean, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
        Files.createDirectories(to.resolve(clean.relativize(d)));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
        Files.copy(f, to.resolve(clean.relativize(f)), LinkOption.NOFOLLOW_LINKS);
        return FileVisitResult.CONTINUE;
      }
    });
    return to;
  }

  /** The last report, so a test's several asserts validate its copy once. */
  private ValidationReport report;

  private ValidationReport validate(Path out) throws IOException {
    if (report == null) {
      report = LakeValidator.validate(out, List.of(Dataset.values()), false, LakeValidator.Settings.DEFAULT);
    }
    return report;
  }

  /** The errors found, as "check dataset symbol session". */
  private List<String> errors(Path out) throws IOException {
    List<String> found = new ArrayList<>();
    for (Problem p : validate(out).problems()) {
      if (p.isError()) {
        found.add(p.check().label() + " " + p.dataset() + " " + p.symbol() + " " + p.session());
      }
    }
    return found;
  }

  private Problem first(Path out, Check check) throws IOException {
    return validate(out).problems().stream().filter(p -> p.check() == check).findFirst().orElseThrow(
        () -> new AssertionError(check.label() + " not reported"));
  }

  private static void putFloat(Path bin, int index, float value) throws IOException {
    try (FileChannel ch = FileChannel.open(bin, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, value), 4L * index);
    }
  }

  private static float getFloat(Path bin, int index) throws IOException {
    return ByteBuffer.wrap(Files.readAllBytes(bin)).order(ByteOrder.LITTLE_ENDIAN).getFloat(4 * index);
  }

  private static void replaceLine(Path file, String startsWith, String replacement) throws IOException {
    List<String> out = new ArrayList<>();
    for (String l : Files.readAllLines(file)) {
      if (!l.startsWith(startsWith)) {
        out.add(l);
      } else if (replacement != null) {
        out.add(replacement);
      }
    }
    Files.write(file, out);
  }

  @Test
  void cleanOutputIsConsistent() throws IOException {
    Path out = copy();
    ValidationReport r = validate(out);
    assertThat(errors(out), is(empty()));
    assertThat(r.exitCode(), is(0));
    assertThat(QuantMini.run("validate", "--output=" + out), is(0));
    JsonNode json = new ObjectMapper().readTree(r.json());
    assertThat(json.get("consistent").asBoolean(), is(true));
    assertThat(json.get("errors").asInt(), is(0));
    JsonNode daily = json.get("datasets").get(0);
    assertThat(daily.get("dataset").asText(), is("stocks_daily"));
    assertThat(daily.get("sessions").asInt(), is(7));
    assertThat(daily.get("bronzeRows").asInt(), is(67));
    assertThat(daily.get("symbols").asInt(), is(21));
    assertThat(daily.get("symbolsValueChecked").asInt(), is(21));
  }

  @Test
  void aTruncatedBinIsReported() throws IOException {
    Path out = copy();
    Path bin = out.resolve(DAILY + "features/aapl/close.day.bin");
    try (FileChannel ch = FileChannel.open(bin, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 4);
    }
    Problem p = first(out, Check.BIN_LENGTH);
    assertThat(p.symbol(), is("AAPL"));
    assertThat(p.file(), endsWith("features/aapl/close.day.bin"));
    assertThat(p.session(), is("2024-01-08")); // it now ends a session early
    assertThat(QuantMini.run("validate", "--output=" + out), is(1));
  }

  @Test
  void aChangedValueIsReportedAtItsSession() throws IOException {
    Path out = copy();
    Path bin = out.resolve(DAILY + "features/msft/open.day.bin");
    putFloat(bin, 2, getFloat(bin, 2) + 1); // slot 1 of its span: 2024-01-03
    Problem p = first(out, Check.BIN_VALUE);
    assertThat(p.symbol(), is("MSFT"));
    assertThat(p.session(), is("2024-01-03"));
    assertThat(p.file(), endsWith("features/msft/open.day.bin"));
    assertThat(p.detail(), startsWith("1 slot(s) differ"));
  }

  @Test
  void aChangedMinuteValueNamesItsNewYorkMinute() throws IOException {
    Path out = copy();
    Path bin = out.resolve("qlib/stocks_minute/features/spy/volume.1min.bin");
    putFloat(bin, 1, getFloat(bin, 1) * 2);
    Problem p = first(out, Check.BIN_VALUE);
    assertThat(p.dataset(), is("stocks_minute"));
    assertThat(p.symbol(), is("SPY"));
    assertThat(p.session(), is("2024-01-04 04:00:00"));
  }

  @Test
  void aBinShiftedOneSlotIsReported() throws IOException {
    Path out = copy();
    Path bin = out.resolve(DAILY + "features/spy/close.day.bin");
    putFloat(bin, 0, getFloat(bin, 0) + 1);
    Problem p = first(out, Check.BIN_HEADER);
    assertThat(p.symbol(), is("SPY"));
    assertThat(p.session(), is("2024-01-03")); // where its values now begin
    assertThat(errors(out), hasItem("bin-beyond-calendar stocks_daily SPY -"));
  }

  @Test
  void aStrayCalendarLineIsReported() throws IOException {
    Path out = copy();
    replaceLine(out.resolve(DAILY + "calendars/day.txt"), "2024-01-05", "2024-01-05\n2024-01-06");
    Problem p = first(out, Check.CALENDAR_EXTRA);
    assertThat(p.session(), is("2024-01-06"));
    assertThat(p.file(), endsWith("calendars/day.txt"));
  }

  @Test
  void anUnsortedCalendarIsReported() throws IOException {
    Path out = copy();
    replaceLine(out.resolve(DAILY + "calendars/day.txt"), "2024-01-03", null);
    replaceLine(out.resolve(DAILY + "calendars/day.txt"), "2024-01-04", "2024-01-04\n2024-01-03");
    assertThat(first(out, Check.CALENDAR_ORDER).session(), is("2024-01-03"));
  }

  @Test
  void aDeletedBronzeFileIsReported() throws IOException {
    Path out = copy();
    Files.delete(out.resolve(BRONZE_JAN + "2024-01-03.parquet"));
    Problem p = first(out, Check.MISSING_FILE);
    assertThat(p.session(), is("2024-01-03"));
    assertThat(p.file(), is(BRONZE_JAN + "2024-01-03.parquet"));
    // Qlib still has the session: its calendar line and spans no longer match the lake either.
    assertThat(errors(out), hasItem("calendar-extra stocks_daily - 2024-01-03"));
  }

  @Test
  void aManifestRowCountOffByOneIsReported() throws IOException {
    Path out = copy();
    Path manifest = out.resolve("_manifest/stocks_daily.tsv");
    String key = "us_stocks_sip/day_aggs_v1/2024/01/2024-01-04.csv.gz";
    String line = Files.readAllLines(manifest).stream().filter(l -> l.startsWith(key)).findFirst().orElseThrow();
    String[] f = line.split("\t");
    f[4] = Long.toString(Long.parseLong(f[4]) + 1);
    replaceLine(manifest, key, String.join("\t", f));
    Problem p = first(out, Check.ROW_COUNT);
    assertThat(p.session(), is("2024-01-04"));
    assertThat(p.detail(), is("bronze holds 9 rows, the manifest records 10 written"));
  }

  @Test
  void anOrphanTempFileIsReported() throws IOException {
    Path out = copy();
    Files.writeString(out.resolve(BRONZE_JAN + "_tmp-0f3a-2024-01-04.parquet"), "half");
    Problem p = first(out, Check.TEMP_FILE);
    assertThat(p.file(), is(BRONZE_JAN + "_tmp-0f3a-2024-01-04.parquet"));
    assertThat(p.dataset(), is("stocks_daily"));
  }

  @Test
  void leftoversOfAnUnfinishedRunAreReported() throws IOException {
    Path out = copy();
    Files.createDirectories(out.resolve("_work/spill"));
    Files.createDirectories(out.resolve("_state/stocks_daily/v2"));
    assertThat(errors(out), hasItem("orphan-file - - -"));
    assertThat(errors(out), hasItem("orphan-file stocks_daily - -"));
  }

  @Test
  void aMissingAllTxtEntryIsReported() throws IOException {
    Path out = copy();
    replaceLine(out.resolve(DAILY + "instruments/all.txt"), "MSFT\t", null);
    Problem p = first(out, Check.INSTRUMENT_MISSING);
    assertThat(p.symbol(), is("MSFT"));
    assertThat(p.session(), is("2024-01-02"));
    assertThat(errors(out), hasItem("directory-without-instrument stocks_daily - -"));
  }

  @Test
  void aMissingQuarantineRecordIsReported() throws IOException {
    Path out = copy();
    Path q = out.resolve("quarantine/stocks_daily/year=2024/month=01/2024-01-05.jsonl");
    List<String> lines = Files.readAllLines(q);
    Files.write(q, lines.subList(0, lines.size() - 1));
    Problem p = first(out, Check.QUARANTINE_ROWS);
    assertThat(p.session(), is("2024-01-05"));
    assertThat(p.detail(), is("holds 6 records, the manifest records 7 quarantined"));
  }

  @Test
  void aSixtyPercentMoveWarnsWithoutFailing() throws IOException {
    // SPY's bar of 2024-01-09 at 1.6 times its prices: a consistent output with a big move.
    Path input = dir.resolve("in");
    Path src = EndToEndTest.testdata().resolve("flatfiles");
    Files.walkFileTree(src, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
        Files.createDirectories(input.resolve(src.relativize(d).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
        Files.copy(f, input.resolve(src.relativize(f).toString()));
        return FileVisitResult.CONTINUE;
      }
    });
    Path gz = input.resolve("us_stocks_sip/day_aggs_v1/2024/01/2024-01-09.csv.gz");
    String csv;
    try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    StringBuilder changed = new StringBuilder();
    for (String line : csv.split("\n")) {
      String[] f = line.split(",", -1);
      if (f[0].equals("SPY")) {
        for (int c = 2; c <= 5; c++) { // open, close, high, low
          f[c] = String.format("%.2f", Double.parseDouble(f[c]) * 1.6);
        }
      }
      changed.append(String.join(",", f)).append('\n');
    }
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(changed.toString().getBytes(StandardCharsets.UTF_8));
    }
    Path out = dir.resolve("moved");
    report = null;
    assertThat(QuantMini.run("run", "--input=" + input, "--output=" + out, "--datasets=stocks_daily", "--features="),
        is(0));
    ValidationReport r = validate(out);
    assertThat(r.exitCode(), is(0));
    Problem p = r.problems().stream().filter(x -> x.check() == Check.PRICE_MOVE).findFirst().orElseThrow();
    assertThat(p.symbol(), is("SPY"));
    assertThat(p.session(), is("2024-01-09"));
    assertThat(p.detail(), is("adjusted close 479.0 -> 765.5 (+59.8 %) since 2024-01-08"));
    assertThat(p.isError(), is(false));
    assertThat(r.text(), containsString("WARN  price-move stocks_daily qlib/.stocks_daily.v1/features/spy/close.day.bin"
        + " symbol=SPY session=2024-01-09"));
  }
}
