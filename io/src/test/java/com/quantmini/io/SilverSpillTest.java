package com.quantmini.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.quantmini.transforms.SilverRows;
import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.SessionFeatures;
import com.quantmini.transforms.model.SessionRows;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.io.FileSystems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bucket's silver part kept in a file: exact values back, and the same Parquet bytes as in memory. */
class SilverSpillTest {
  @TempDir Path dir;

  /** {@code symbols} tickers of one bucket (every {@code buckets}-th of T000..), 30 minutes each. */
  private static SessionFeatures bucket(int bucket, int buckets, int symbols, Random rnd) {
    BarBlock.Builder b = BarBlock.builder("stocks_minute", "", "2024-01-02", 1);
    List<float[]> f = new ArrayList<>();
    List<double[]> d = new ArrayList<>();
    int n = symbols * 30;
    for (int x = 0; x < 3; x++) {
      f.add(new float[n]);
    }
    d.add(new double[n]);
    int i = 0;
    for (int s = 0; s < symbols; s++) {
      String t = String.format("T%03d", s * buckets + bucket);
      for (int m = 0; m < 30; m++) {
        double c = 10 + rnd.nextDouble();
        b.add(t, 1_704_205_800_000_000_000L + m * 60_000_000_000L, c, c + 0.5, c - 0.5, c, rnd.nextInt(1000),
            rnd.nextInt(5) == 0 ? BarBlock.NO_VALUE : rnd.nextInt(50), i);
        f.get(0)[i] = m < 5 ? Float.NaN : rnd.nextFloat();
        f.get(1)[i] = rnd.nextInt(100) == 0 ? Float.POSITIVE_INFINITY : (float) rnd.nextGaussian();
        f.get(2)[i] = -0.0f;
        d.get(0)[i] = rnd.nextDouble() * 1e9;
        i++;
      }
    }
    return new SessionFeatures(b.build(), List.of("a", "b", "c"), List.of("adj"), f.toArray(new float[0][]),
        d.toArray(new double[0][]));
  }

  @Test
  void aPartComesBackWithEveryValueAndTheMergedFileHasTheSameBytesAsFromMemory() throws Exception {
    Random rnd = new Random(7);
    List<SessionFeatures> inMemory = new ArrayList<>();
    List<SessionRows.Part> spilled = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      SessionFeatures part = bucket(k, 3, 400 + k, rnd);
      inMemory.add(part);
      Path file = dir.resolve("part" + k);
      SilverSpill.write(part, file);
      SessionRows.Part back = SilverSpill.open(file);
      spilled.add(back);
      assertThat(back.floatNames(), is(part.floatNames()));
      assertThat(back.doubleNames(), is(part.doubleNames()));
      assertThat(back.rows().size(), is(part.size()));
      for (int r = 0; r < part.size(); r++) {
        assertThat(back.rows().ticker(r), is(part.rows().ticker(r)));
        assertThat(back.rows().transactions(r), is(part.rows().transactions(r)));
        for (int x = 0; x < 3; x++) {
          assertThat(Float.floatToRawIntBits(back.floatAt(x, r)), is(Float.floatToRawIntBits(part.floatAt(x, r))));
        }
        assertThat(back.doubleAt(0, r), is(part.doubleAt(0, r)));
      }
    }
    // Small row groups, so the file has several and slices cross the parts many times.
    Path fromMemory = dir.resolve("memory.parquet");
    Path fromFiles = dir.resolve("files.parquet");
    BarParquet.write(SilverRows.merged(inMemory), FileSystems.matchNewResource(fromMemory.toString(), false), 1 << 16);
    BarParquet.write(SilverRows.merged(spilled), FileSystems.matchNewResource(fromFiles.toString(), false), 1 << 16);
    assertArrayEquals(Files.readAllBytes(fromMemory), Files.readAllBytes(fromFiles));
    assertThat(Files.size(fromFiles) > 100_000, is(true));
  }

  @Test
  void aFileCutShortIsRefusedByName() throws Exception {
    Path file = dir.resolve("cut");
    SilverSpill.write(bucket(0, 1, 5, new Random(1)), file);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(f.length() - 4);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SilverSpill.open(file));
    assertThat(e.getMessage(), containsString(file.toString()));
    assertThat(e.getMessage(), containsString("cut short"));
  }
}
