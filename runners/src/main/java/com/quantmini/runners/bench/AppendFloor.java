package com.quantmini.runners.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * What adding one session to a Qlib tree costs the file system alone, with no Beam and no features: one float32
 * appended to every {@code .bin} file (open, fstat, write, close, as the pipeline's in-place append), then one
 * {@code sync -f}. This is the floor under the incremental figure: Qlib keeps one file per field and symbol, so a
 * daily update touches every one of them. It changes the tree it measures (every file gets one more value), so it
 * runs on a benchmark lake that is thrown away afterwards.
 */
final class AppendFloor {
  /** Files appended to, and the seconds the appends and the flush took. */
  record Result(long files, double appendSeconds, double syncSeconds) {}

  private AppendFloor() {}

  static Result measure(Path features, int threads) throws IOException {
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> s = Files.list(features)) {
      s.sorted().forEach(dirs::add);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    long files = 0;
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (Path d : dirs) {
        done.add(pool.submit(() -> appendAll(d)));
      }
      for (Future<Integer> f : done) {
        files += f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause());
    } finally {
      pool.shutdown();
    }
    double append = (System.nanoTime() - start) / 1e9;
    long syncStart = System.nanoTime();
    try {
      Process p = new ProcessBuilder("sync", "-f", features.toString()).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (p.waitFor() != 0) {
        throw new IOException("sync -f " + features + " failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return new Result(files, append, (System.nanoTime() - syncStart) / 1e9);
  }

  private static int appendAll(Path dir) {
    byte[] nan = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN).array();
    int n = 0;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : (Iterable<Path>) s::iterator) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
          ch.write(ByteBuffer.wrap(nan), ch.size());
        }
        n++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
  }
}
