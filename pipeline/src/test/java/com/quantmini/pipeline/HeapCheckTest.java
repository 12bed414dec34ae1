package com.quantmini.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;

import com.quantmini.io.RunPlan;
import com.quantmini.options.QuantMiniOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher refuses up front a heap that a stock-minute session with features is known not to fit. */
class HeapCheckTest {
  @TempDir
  Path tmp;

  private QuantMiniOptions options(Path in, String... extra) {
    String[] args = new String[extra.length + 2];
    args[0] = "--input=" + in;
    args[1] = "--output=" + tmp.resolve("out");
    System.arraycopy(extra, 0, args, 2, extra.length);
    return PipelineOptionsFactory.fromArgs(args).as(QuantMiniOptions.class);
  }

  @Test
  void aMinuteSessionTooLargeForTheHeapIsRefusedWithAdvice() throws Exception {
    Path f = IncrementalTest.dayKey(tmp.resolve("in"), IncrementalTest.MINUTE, "2024-01-04");
    Files.createDirectories(f.getParent());
    Files.write(f, new byte[16 << 20]); // only its size counts: 16 MB of gzip need ~0.5 GB of heap
    QuantMiniOptions o = options(tmp.resolve("in"), "--datasets=stocks_minute");
    RunPlan plan = QuantMiniPipeline.plan(o);
    String refused = QuantMini.heapTooSmall(o, plan, 256L << 20);
    assertThat(refused, containsString("the stock minute session 2024-01-04 (16 MB of gzip) needs about 0.5 GB"));
    assertThat(refused, containsString("-Xmx2g"));
    assertThat(QuantMini.heapTooSmall(o, plan, 1L << 30), nullValue());
    // Bars only need no feature heap; stocks_daily is not concerned.
    QuantMiniOptions bars = options(tmp.resolve("in"), "--datasets=stocks_minute", "--features=");
    assertThat(QuantMini.heapTooSmall(bars, QuantMiniPipeline.plan(bars), 256L << 20), nullValue());
  }
}
