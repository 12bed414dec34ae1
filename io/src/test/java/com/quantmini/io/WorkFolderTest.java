package com.quantmini.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.quantmini.transforms.SymbolSeries;
import com.quantmini.transforms.model.FeatureBlock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The work folder: fresh names per key, and a stored feature block loads back byte for byte. */
class WorkFolderTest {
  @TempDir
  Path tmp;

  static FeatureBlock block() {
    SymbolSeries s = new SymbolSeries("AAPL", "AAPL", 3, new double[] {1, Double.NaN}, new double[] {2, 3},
        new double[] {0.5, 1}, new double[] {1.5, 2}, new double[] {100, 0}, new double[] {7, 0}, new long[] {10, 20});
    FeatureBlock.Symbol sym = new FeatureBlock.Symbol(s, new float[][] {{0.1f, Float.NaN}},
        new double[][] {{1, 1}}, 3, 4, 3, s, new double[] {0.5}, true);
    return new FeatureBlock("stocks_daily", "stocks_daily/7", List.of("KMID"), List.of("factor"), List.of(sym),
        List.of("2024-01-03"));
  }

  @Test
  void freshFilesAreNewNamesInTheirKeysFolder() throws IOException {
    WorkFolder area = WorkFolder.in(tmp.resolve("_work").toString(), "buckets");
    String a = area.freshFile("stocks_daily/3", ".bin");
    String b = area.freshFile("stocks_daily/3", ".bin");
    assertThat(a, not(b));
    assertThat(Paths.get(a).getParent(), is(tmp.resolve("_work/buckets/stocks_daily_3")));
    assertThat(Files.isDirectory(Paths.get(a).getParent()), is(true));
    assertThat(a.endsWith(".bin"), is(true));
  }

  @Test
  void aStoredBlockLoadsBackWholeAndAGoneOneSaysWhere() throws Exception {
    FeatureBlock block = block();
    FeatureBlock handle = WorkFolder.in(tmp.resolve("_work").toString(), "features").store(block);
    assertThat(handle.isStored(), is(true));
    assertThat(handle.path(), containsString("/_work/features/stocks_daily_7/"));
    FeatureBlock back = WorkFolder.load(handle);
    assertThat(back.isStored(), is(false));
    assertArrayEquals(CoderUtils.encodeToByteArray(FeatureBlock.FeatureBlockCoder.of(), block),
        CoderUtils.encodeToByteArray(FeatureBlock.FeatureBlockCoder.of(), back));
    assertThat(WorkFolder.load(block) == block, is(true)); // in memory already
    Files.delete(Paths.get(handle.path()));
    IOException gone = assertThrows(IOException.class, () -> WorkFolder.load(handle));
    assertThat(gone.getMessage(), containsString(handle.path()));
    assertThat(gone.getMessage(), containsString("_work"));
  }
}
