package com.quantmini.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import com.quantmini.transforms.ParseBars;
import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.CsvChunk;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.DeadLetter;
import com.quantmini.transforms.model.FileKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadGzipCsvTest {
  private final transient TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
  @TempDir Path tmp;

  private static final String HEADER = "ticker,volume,open,close,high,low,window_start,transactions";
  private static final long T = 1_704_430_800_000_000_000L; // 2024-01-05 00:00 New York

  private static String row(String ticker, double close) {
    return ticker + ",1000," + close + "," + close + "," + close + "," + close + "," + T + ",7";
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private FileKey file(String session, byte[] content) throws IOException {
    Path f = tmp.resolve(session + ".csv.gz");
    Files.write(f, content);
    String key = "us_stocks_sip/day_aggs_v1/2024/01/" + session + ".csv.gz";
    return FileKey.of(Dataset.stocks_daily, key, f.toString(), session, content.length, "e");
  }

  private PCollectionTuple read(ReadGzipCsv reader, FileKey... files) {
    return p.apply("Files", Create.of(Arrays.asList(files)))
        .apply("ReadGzipCsv", reader);
  }

  private static PCollection<String> describeChunks(PCollectionTuple out) {
    return out.get(ReadGzipCsv.CHUNKS).apply("DescribeChunks", MapElements.into(TypeDescriptors.strings())
        .via((CsvChunk c) -> c.isLast() ? "END " + c.lines() + " cols=" + c.columnCount()
            : c.firstLine() + "+" + c.lines() + ":" + new String(c.data(), StandardCharsets.UTF_8)));
  }

  private static PCollection<String> describeFailures(PCollectionTuple out) {
    return out.get(ReadGzipCsv.FAILED).apply("DescribeFailures", MapElements.into(TypeDescriptors.strings())
        .via((DeadLetter d) -> d.getReason() + "@" + d.getLine() + " " + d.getSession()));
  }

  @Test
  void splitsAFileIntoSmallChunksWithContinuousLineNumbers() throws IOException {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      rows.add(row("T" + (char) ('A' + i), 10 + i));
    }
    String body = String.join("\n", rows) + "\n";
    FileKey f = file("2024-01-05", gzip(HEADER + "\n" + body));
    PCollectionTuple out = read(ReadGzipCsv.create().withChunkBytes(64), f);
    PAssert.that(describeChunks(out)).satisfies(chunks -> {
      List<String> data = new ArrayList<>();
      String end = null;
      for (String c : chunks) {
        if (c.startsWith("END")) {
          end = c;
        } else {
          data.add(c);
        }
      }
      assertThat(end, equalTo("END 12 cols=8"));
      assertThat(data.size(), greaterThan(3));
      data.sort(Comparator.comparingInt(c -> Integer.parseInt(c.substring(0, c.indexOf('+')))));
      StringBuilder joined = new StringBuilder();
      int next = 2;
      for (String c : data) {
        int first = Integer.parseInt(c.substring(0, c.indexOf('+')));
        int lines = Integer.parseInt(c.substring(c.indexOf('+') + 1, c.indexOf(':')));
        String text = c.substring(c.indexOf(':') + 1);
        assertThat(first, equalTo(next));
        assertThat(lines, equalTo((int) text.chars().filter(ch -> ch == '\n').count()));
        next += lines;
        joined.append(text);
      }
      assertThat(joined.toString(), equalTo(body));
      return null;
    });
    PAssert.that(out.get(ReadGzipCsv.FAILED)).empty();
    PCollectionTuple parsed = out.get(ReadGzipCsv.CHUNKS).apply("ParseBars", ParseBars.create());
    PAssert.that(parsed.get(ParseBars.PARSED).apply("Lines", MapElements.into(TypeDescriptors.strings())
            .via((BarBlock b) -> b.size() + " rows, " + b.ticker(0) + "#" + b.line(0) + " "
                + b.ticker(11) + "#" + b.line(11) + "=" + b.close(11))))
        .containsInAnyOrder("12 rows, TA#2 TL#13=21.0");
    p.run().waitUntilFinish();
  }

  @Test
  void rejectsATruncatedGzipWithOneRecordAndNoEndMarker() throws IOException {
    StringBuilder text = new StringBuilder(HEADER + "\n");
    for (int i = 0; i < 40; i++) {
      text.append(row("S" + i, 1 + i)).append('\n');
    }
    byte[] whole = gzip(text.toString());
    FileKey f = file("2024-01-10", Arrays.copyOf(whole, whole.length / 2));
    PCollectionTuple out = read(ReadGzipCsv.create().withChunkBytes(64), f);
    PAssert.that(describeFailures(out)).containsInAnyOrder("CORRUPT_GZIP@0 2024-01-10");
    PAssert.that(out.get(ReadGzipCsv.CHUNKS).apply("Ends", MapElements.into(TypeDescriptors.booleans())
        .via(CsvChunk::isLast))).satisfies(lasts -> {
          lasts.forEach(l -> assertThat(l, equalTo(false)));
          return null;
        });
    p.run().waitUntilFinish();
  }

  @Test
  void rejectsTheFixtureCutInsideItsGzipStream() throws IOException {
    Path fixture = Fixtures.badFile("us_stocks_sip/day_aggs_v1/2024/01/2024-01-10.csv.gz");
    FileKey f = file("2024-01-10", Files.readAllBytes(fixture));
    PCollectionTuple out = read(ReadGzipCsv.create(), f);
    PAssert.that(describeFailures(out)).containsInAnyOrder("CORRUPT_GZIP@0 2024-01-10");
    PAssert.that(out.get(ReadGzipCsv.CHUNKS).apply("Ends", MapElements.into(TypeDescriptors.booleans())
        .via(CsvChunk::isLast))).satisfies(lasts -> {
          lasts.forEach(l -> assertThat(l, equalTo(false)));
          return null;
        });
    p.run().waitUntilFinish();
  }

  @Test
  void rejectsAHeaderWithoutClose() throws IOException {
    FileKey f = file("2024-01-11", gzip("ticker,volume,open,high,low,window_start,transactions\n"
        + "AAPL,1,1,1,1," + T + ",1\n"));
    PCollectionTuple out = read(ReadGzipCsv.create(), f);
    PAssert.that(describeFailures(out)).containsInAnyOrder("MISSING_COLUMN@0 2024-01-11");
    PAssert.that(out.get(ReadGzipCsv.CHUNKS)).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void rejectsAFileWithoutAnyLineAsEmpty() throws IOException {
    FileKey f = file("2024-01-12", gzip(""));
    PCollectionTuple out = read(ReadGzipCsv.create(), f);
    PAssert.that(describeFailures(out)).containsInAnyOrder("EMPTY_FILE@0 2024-01-12");
    PAssert.that(out.get(ReadGzipCsv.CHUNKS)).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void readsAHeaderOnlyFileAsCompleteWithZeroLines() throws IOException {
    FileKey f = file("2024-01-12", gzip(HEADER + "\r\n"));
    PAssert.that(describeChunks(read(ReadGzipCsv.create(), f))).containsInAnyOrder("END 0 cols=8");
    p.run().waitUntilFinish();
  }

  @Test
  void mapsColumnsOfAPermutedHeaderWithBomAndCrlf() throws IOException {
    FileKey f = file("2024-01-05", gzip("\uFEFFWindow_Start,close,ticker,low,high,open,volume\r\n"
        + T + ",10.5,AAPL,10,11,10.25,58414460.7\r\n"));
    PCollectionTuple parsed = read(ReadGzipCsv.create(), f).get(ReadGzipCsv.CHUNKS)
        .apply("ParseBars", ParseBars.create());
    PAssert.that(parsed.get(ParseBars.PARSED).apply("Rows", MapElements.into(TypeDescriptors.strings())
            .via((BarBlock b) -> b.ticker(0) + " o=" + b.open(0) + " h=" + b.high(0) + " l=" + b.low(0)
                + " c=" + b.close(0) + " v=" + b.volume(0) + " t=" + b.windowStart(0)
                + " tx=" + b.hasTransactions(0) + " #" + b.line(0))))
        .containsInAnyOrder("AAPL o=10.25 h=11.0 l=10.0 c=10.5 v=5.84144607E7 t=" + T + " tx=false #2");
    PAssert.that(parsed.get(ParseBars.FAILED)).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void keepsTheLastLineOfAFileWithoutTrailingNewline() throws IOException {
    FileKey f = file("2024-01-05", gzip(HEADER + "\n" + row("A", 1) + "\n" + row("B", 2)));
    PAssert.that(describeChunks(read(ReadGzipCsv.create(), f))).containsInAnyOrder(
        "2+2:" + row("A", 1) + "\n" + row("B", 2), "END 2 cols=8");
    p.run().waitUntilFinish();
  }

  @Test
  void keepsHeaderAndLinesLongerThanAChunkWhole() throws IOException {
    FileKey f = file("2024-01-05", gzip(HEADER + "\n" + row("LONGTICKER", 1) + "\n" + row("B", 2) + "\n"));
    PAssert.that(describeChunks(read(ReadGzipCsv.create().withChunkBytes(8), f))).containsInAnyOrder(
        "2+1:" + row("LONGTICKER", 1) + "\n", "3+1:" + row("B", 2) + "\n", "END 2 cols=8");
    p.run().waitUntilFinish();
  }
}
