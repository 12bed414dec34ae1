package com.quantmini.runners;

import com.quantmini.pipeline.QuantMini;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Runs QuantMini's command line in this JVM and keeps its exit code, console text and any throwable. */
final class Runs {
  private static Path directReference;

  private Runs() {}

  static final class Result {
    final int exit;
    final String console;
    final Throwable error;
    final double seconds;

    Result(int exit, String console, Throwable error, double seconds) {
      this.exit = exit;
      this.console = console;
      this.error = error;
      this.seconds = seconds;
    }

    boolean succeeded() {
      return exit == 0 && error == null;
    }

    @Override
    public String toString() {
      return "exit " + exit + (error == null ? "" : ", threw " + error) + ", " + seconds + " s; console:\n" + console;
    }
  }

  static Path testdata() {
    return Paths.get(System.getProperty("testdata.dir", "../testdata")).toAbsolutePath().normalize();
  }

  /** Runs {@code QuantMini.run(args)} with System.out and System.err captured (and still echoed). */
  static synchronized Result run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream tee = new PrintStream(new TeeStream(buf, out), true, StandardCharsets.UTF_8);
    System.setOut(tee);
    System.setErr(tee);
    long t0 = System.nanoTime();
    int exit = -1;
    Throwable error = null;
    try {
      exit = QuantMini.run(args);
    } catch (RuntimeException | Error e) {
      error = e;
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new Result(exit, buf.toString(StandardCharsets.UTF_8), error, (System.nanoTime() - t0) / 1e9);
  }

  /**
   * The Direct runner's output over testdata/flatfiles with the launcher's defaults, computed once
   * per test JVM and shared by the equality tests.
   */
  static synchronized Path directReference() throws IOException {
    if (directReference == null) {
      Path out = Files.createTempDirectory("quantmini-direct-");
      Result r = run("run", "--input=" + testdata().resolve("flatfiles"), "--output=" + out);
      if (!r.succeeded()) {
        throw new IllegalStateException("the Direct reference run failed: " + r);
      }
      directReference = out;
    }
    return directReference;
  }

  private static final class TeeStream extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    TeeStream(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }
  }
}
