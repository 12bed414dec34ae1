package com.quantmini.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest file: what is written reads back the same, and a malformed line is reported with its line. */
class ManifestTest {
  @TempDir
  Path tmp;

  private static final String JAN3 = "us_stocks_sip/day_aggs_v1/2024/01/2024-01-03.csv.gz";
  private static final String JAN2 = "us_stocks_sip/day_aggs_v1/2024/01/2024-01-02.csv.gz";

  @Test
  void anOutputWithoutManifestHasAnEmptyOne() throws IOException {
    Manifest m = Manifest.read(tmp.toString(), "stocks_daily");
    assertThat(List.of(m.stateVersion, m.qlibVersion, m.symbolBuckets, m.entries.size()), is(List.of(0, 0, 0, 0)));
    assertThat(m.features, nullValue());
    assertThat(m.lastSession(), nullValue());
    assertThat(Manifest.readLocal(tmp, "stocks_daily").entries.size(), is(0));
  }

  @Test
  void aWrittenManifestReadsBackTheSame() throws IOException {
    Manifest m = Manifest.read(tmp.toString(), "stocks_daily")
        .with(List.of(JAN3 + "\t1234\tcrc32c-ab\t11\t10\t1", "", JAN2 + "\t99\t\"etag 2\"\t5\t5\t0"), 3, 2, 8,
            "alpha158,seed");
    m.write(tmp.toString());
    Path file = tmp.resolve("_manifest/stocks_daily.tsv");
    List<String> lines = Files.readAllLines(file);
    assertThat(lines.subList(0, 6), is(List.of("#quantmini-manifest v1", "#state 3", "#qlib 2", "#buckets 8",
        "#features alpha158,seed", "key\tsize\tetag\trows_read\trows_written\trows_quarantined\tprocessed_at")));
    // Sorted by key, each with the time of the run.
    assertThat(lines.size(), is(8));
    assertThat(lines.get(6).startsWith(JAN2 + "\t99\t\"etag 2\"\t5\t5\t0\t"), is(true));
    assertThat(lines.get(7).startsWith(JAN3 + "\t1234\tcrc32c-ab\t11\t10\t1\t"), is(true));
    for (Manifest back : List.of(Manifest.read(tmp.toString(), "stocks_daily"), Manifest.readLocal(tmp, "stocks_daily"))) {
      assertThat(List.of(back.stateVersion, back.qlibVersion, back.symbolBuckets), is(List.of(3, 2, 8)));
      assertThat(back.features, is("alpha158,seed"));
      assertThat(back.entries.keySet(), is(Set.of(JAN2, JAN3)));
      Manifest.Entry e = back.entries.get(JAN3);
      assertThat(List.of(e.size, e.rowsRead, e.rowsWritten, e.rowsQuarantined), is(List.of(1234L, 11L, 10L, 1L)));
      assertThat(e.etag, is("crc32c-ab"));
      assertThat(e.processedAt, is(m.entries.get(JAN3).processedAt));
      assertThat(back.entries.get(JAN2).etag, is("\"etag 2\""));
      assertThat(back.lastSession(), is("2024-01-03"));
      assertThat(List.copyOf(back.sessions()), is(List.of("2024-01-02", "2024-01-03")));
    }
  }

  @Test
  void aRunWithoutStateRecordsNoBucketsNorFeatures() throws IOException {
    Manifest m = Manifest.read(tmp.toString(), "stocks_daily").with(List.of(JAN3 + "\t1\te\t1\t1\t0"), 0, 1, 8, "seed");
    m.write(tmp.toString());
    Manifest back = Manifest.readLocal(tmp, "stocks_daily");
    assertThat(List.of(back.stateVersion, back.qlibVersion, back.symbolBuckets), is(List.of(0, 1, 0)));
    assertThat(back.features, nullValue());
  }

  IOException readFails(String text) throws IOException {
    Path file = tmp.resolve("_manifest/stocks_daily.tsv");
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    IOException local = assertThrows(IOException.class, () -> Manifest.readLocal(tmp, "stocks_daily"));
    IOException beam = assertThrows(IOException.class, () -> Manifest.read(tmp.toString(), "stocks_daily"));
    assertThat(beam.getMessage(), is(local.getMessage()));
    assertThat(local.getMessage(), containsString("manifest " + file + " line "));
    return local;
  }

  @Test
  void aLineWithANonNumberIsReportedWithItsLineNumber() throws IOException {
    String header = "#quantmini-manifest v1\n#state 1\n#qlib 1\n#buckets 4\n"
        + "key\tsize\tetag\trows_read\trows_written\trows_quarantined\tprocessed_at\n";
    String good = JAN2 + "\t99\te\t5\t5\t0\t2024-01-02T00:00:00Z\n";
    IOException e = readFails(header + good + JAN3 + "\t12x4\te\t5\t5\t0\t2024-01-03T00:00:00Z\n");
    assertThat(e.getMessage(), containsString("line 7 is malformed"));
    assertThat(e.getMessage(), containsString("12x4"));
  }

  @Test
  void aLineWithTooFewFieldsIsReportedWithItsLineNumber() throws IOException {
    IOException e = readFails("#state 1\n" + JAN3 + " 1234 e 11 10 1\n");
    assertThat(e.getMessage(), containsString("line 2 is malformed (expected 7 tab-separated fields, found 1)"));
  }

  @Test
  void aBadVersionLineIsReportedWithItsLineNumber() throws IOException {
    assertThat(readFails("#quantmini-manifest v1\n#state two\n").getMessage(), containsString("line 2 is malformed"));
    assertThat(readFails("#buckets\t4\n#buckets 4x\n").getMessage(), containsString("line 2 is malformed"));
  }
}
