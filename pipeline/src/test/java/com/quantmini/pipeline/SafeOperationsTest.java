package com.quantmini.pipeline;

import static com.quantmini.pipeline.IncrementalTest.assertSameOutputs;
import static com.quantmini.pipeline.IncrementalTest.cli;
import static com.quantmini.pipeline.IncrementalTest.run;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Running QuantMini for months: {@code daily} also does files the provider published late or
 * republished within its look-back, names them, and says (exit 4) which expected sessions the
 * source still lacks; a second run on an output that one is writing exits at once (exit 3),
 * changing nothing, while a lock left by a dead process is taken over.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SafeOperationsTest {
  private final IncrementalTest data = new IncrementalTest();
  private Path tmp;
  private List<String> s;

  @BeforeAll
  void readStocknet() throws IOException {
    tmp = Files.createTempDirectory("safe-operations");
    data.tmp = tmp;
    data.readStocknet();
    s = data.sessions;
  }

  @AfterAll
  void clean() throws IOException {
    try (Stream<Path> files = Files.walk(tmp)) {
      files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static String last(List<String> l) {
    return l.get(l.size() - 1);
  }

  @Test
  void dailyDoesLateAndRepublishedFilesInItsLookBackAndNamesMissingSessions() throws Exception {
    int n = s.size();
    String republishedDay = s.get(n - 4);
    String lateDay = s.get(n - 3);
    // The reference: every file in its final version.
    Path full = tmp.resolve("d-full");
    run("run", data.input("d-all", s, (day, rows) -> day.equals(republishedDay)
        ? IncrementalTest.scaled(rows, 1.01) : rows), full);

    // Built up to the last session, but lateDay's file had not been published yet.
    List<String> first = new ArrayList<>(s);
    first.remove(lateDay);
    Path in = data.input("d-in", first.subList(0, first.size() - 1), (day, rows) -> rows);
    Path out = tmp.resolve("d-out");
    run("run", in, out);
    data.input("d-in", List.of(last(s)), (day, rows) -> rows);
    Object[] r = cli("daily", in, out, "--to=" + last(s));
    assertThat("a session the calendar expects is missing", r[0], is(4));
    assertThat((String) r[1], containsString("sessions the NYSE calendar expects but the source lacks: "
        + "stocks_daily " + lateDay));

    // The next morning: the late file has arrived and republishedDay was republished with new prices.
    data.input("d-in", List.of(lateDay), (day, rows) -> rows);
    data.input("d-in", List.of(republishedDay), (day, rows) -> IncrementalTest.scaled(rows, 1.01));
    r = cli("daily", in, out, "--to=" + last(s));
    assertThat((String) r[1], r[0], is(0));
    assertThat((String) r[1], containsString("sessions republished: stocks_daily " + republishedDay));
    assertThat((String) r[1], containsString("sessions late (its file arrived after " + last(s)
        + " was processed): stocks_daily " + lateDay));
    assertThat((String) r[1], not(containsString("sessions the NYSE calendar expects")));
    assertSameOutputs(full, out, "stocks_daily");
  }

  @Test
  void aSecondRunOnABusyOutputExitsAtOnceAndTheFirstIsUntouched() throws Exception {
    Path in = data.input("l-in", data.longSessions, (day, rows) -> rows);
    Path reference = tmp.resolve("l-ref");
    run("run", in, reference);
    Path out = tmp.resolve("l-out");
    // The first run in its own process, as cron would start it.
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
        "-cp", System.getProperty("java.class.path"), QuantMini.class.getName(),
        "run", "--input=" + in, "--output=" + out, "--datasets=stocks_daily", "--symbolBuckets=4",
        "--targetParallelism=2"));
    Process first = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("l-first.log").toFile()).start();
    Path lock = out.resolve("_lock");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!(Files.exists(lock) && Files.readString(lock).contains("pid=" + first.pid()))) {
      assertThat("the first run took the lock in time", System.nanoTime() < deadline && first.isAlive(), is(true));
      Thread.sleep(20);
    }
    Object[] second = withErr("daily", "--input=" + in, "--output=" + out, "--datasets=stocks_daily",
        "--targetParallelism=2");
    boolean stillRunning = first.isAlive();
    assertThat(second[0], is(3));
    assertThat((String) second[1], containsString("pid " + first.pid()));
    assertThat((String) second[1], containsString("host " + InetAddress.getLocalHost().getHostName()));
    assertThat((String) second[1], containsString("command run"));
    assertThat("the first run was still running when the second was refused", stillRunning, is(true));
    assertThat(first.waitFor(300, TimeUnit.SECONDS) && first.exitValue() == 0, is(true));
    assertSameOutputs(reference, out, "stocks_daily");
    assertThat("a finished run leaves the lock free", Files.readString(lock), is(""));
  }

  @Test
  void aLockLeftByADeadProcessIsTakenOverOneFromAnotherHostNever() throws Exception {
    Path in = data.input("t-in", s.subList(0, 5), (day, rows) -> rows);
    Path out = Files.createDirectories(tmp.resolve("t-out"));
    Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-version").redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
    gone.waitFor();
    String host = InetAddress.getLocalHost().getHostName();
    Files.writeString(out.resolve("_lock"), "host=" + host + "\npid=" + gone.pid() + "\nstarted="
        + Instant.now().minusSeconds(60) + "\ncommand=daily\nrun=x\ndetached=false\n");
    String took = run("run", in, out);
    assertThat(took, containsString("took over the output lock of a run that is no longer running (host " + host
        + ", pid " + gone.pid()));

    Files.writeString(out.resolve("_lock"), "host=elsewhere.example\npid=1\nstarted=" + Instant.now()
        + "\ncommand=backfill\nrun=y\ndetached=false\n");
    byte[] manifest = Files.readAllBytes(out.resolve("_manifest/stocks_daily.tsv"));
    Object[] r = withErr("run", "--input=" + in, "--output=" + out, "--datasets=stocks_daily",
        "--targetParallelism=2", "--reprocess=" + s.get(0));
    assertThat(r[0], is(3));
    assertThat((String) r[1], containsString("another host (host elsewhere.example"));
    assertThat(Files.readAllBytes(out.resolve("_manifest/stocks_daily.tsv")), is(manifest));
  }

  /** Runs QuantMini; returns {exit code, stdout and stderr}. */
  private static Object[] withErr(String... args) {
    return IncrementalTest.invokeCapturingAll(System.getenv(), args);
  }
}
