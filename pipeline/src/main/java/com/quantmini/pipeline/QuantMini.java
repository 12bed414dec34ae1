package com.quantmini.pipeline;

import com.quantmini.io.ListKeys;
import com.quantmini.options.QuantMiniOptions;
import com.quantmini.transforms.calendar.NyseCalendar;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import com.quantmini.io.OutputLock;
import com.quantmini.io.lake.LakeQuery;
import com.quantmini.io.lake.LakeReport;
import com.quantmini.io.lake.MonthCompaction;
import com.quantmini.transforms.DropProcessed;
import com.quantmini.io.RunPlan;
import com.quantmini.transforms.model.Dataset;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneId;

/** Command-line entry point: a command word (run, the default), then Beam-style options. */
public final class QuantMini {
  private QuantMini() {}

  /** The summary of the last run this JVM finished (for the benchmark, which runs it in-process). */
  private static volatile RunSummary lastSummary;

  public static RunSummary lastSummary() {
    return lastSummary;
  }

  /** Where the provider's API key is read from (tests give their own). */
  private static volatile Map<String, String> environment = System.getenv();

  /** Runs a command with {@code env} instead of the process environment (for tests). */
  public static int runWithEnvironment(Map<String, String> env, String... args) {
    Map<String, String> before = environment;
    environment = env;
    try {
      return run(args);
    } finally {
      environment = before;
    }
  }

  /** Set when the job was submitted detached: main then returns instead of exiting. */
  private static volatile boolean detached;

  public static void main(String[] args) {
    int code = run(args);
    // A detached submission over REST runs this main inside the Flink JobManager: exiting would
    // take the JobManager down with it.
    if (code != 0 || !detached) {
      System.exit(code);
    }
  }

  /** Runs one command and returns the process exit code (0 = everything asked for was done). */
  public static int run(String... args) {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    String command = !rest.isEmpty() && !rest.get(0).startsWith("-") ? rest.remove(0) : "run";
    switch (command) {
      case "run":
      case "daily":
      case "backfill":
        return runJob(command, withDirectDefaults(rest));
      case "profile":
        System.out.println(LaunchDefaults.profile(rest.toArray(new String[0])));
        return 0;
      case "validate":
        return ValidateCommand.run(rest);
      case "query":
        return LakeQuery.run(rest, System.out, System.err);
      case "report":
        return LakeReport.run(rest, System.out, System.err);
      case "compact":
        return MonthCompaction.run(rest, System.out, System.err);
      default:
        System.err.println("unknown command '" + command + "'; expected: run, daily, backfill, profile, validate, "
            + "query, report, compact");
        return 2;
    }
  }

  /**
   * The Direct runner's immutability/encodability checks cost ~9x on this workload; they stay on
   * in unit tests (TestPipeline) and are switched off here unless the user sets them.
   */
  static String[] withDirectDefaults(List<String> args) {
    List<String> out = new ArrayList<>(args);
    boolean direct = args.stream().noneMatch(a -> a.startsWith("--runner=") && !a.endsWith("=DirectRunner"));
    if (direct) {
      for (String flag : List.of("--enforceImmutability", "--enforceEncodability")) {
        if (args.stream().noneMatch(a -> a.startsWith(flag))) {
          out.add(flag + "=false");
        }
      }
    }
    return out.toArray(new String[0]);
  }

  /**
   * run: every session in range not yet processed; daily: from the day after the last processed
   * session up to --to (default today); backfill: --from..--to, both required.
   */
  static int runJob(String command, String[] args) {
    lastSummary = null;
    PipelineOptionsFactory.register(QuantMiniOptions.class);
    QuantMiniOptions options = PipelineOptionsFactory.fromArgs(args).withValidation().as(QuantMiniOptions.class);
    LaunchDefaults.apply(Arrays.asList(args), options);
    // The launcher lists and reads the manifest itself: its file systems need the run's options (S3).
    FileSystems.setDefaultPipelineOptions(options);
    // One writer per output, from before the plan (which clears what a crashed run left) to after
    // the commit.
    String output = QuantMiniPipeline.absolute(options.getOutput());
    if (output.contains("://")) {
      return runLocked(command, options, null); // refused by the plan: outputs are local or mounted folders
    }
    OutputLock lock;
    try {
      lock = OutputLock.acquire(output, command);
    } catch (OutputLock.Held e) {
      System.err.println(e.getMessage());
      return LOCKED;
    } catch (IOException e) {
      System.err.println("cannot lock the output: " + e.getMessage());
      return 1;
    }
    try {
      if (lock.tookOver != null) {
        System.out.println("took over the output lock of a run that is no longer running (" + lock.tookOver + ")");
      }
      return runLocked(command, options, lock);
    } finally {
      try {
        lock.close();
      } catch (IOException e) {
        System.err.println("cannot release the output lock: " + e.getMessage());
      }
    }
  }

  /** Exit code when another run holds the output. */
  static final int LOCKED = 3;

  private static int runLocked(String command, QuantMiniOptions options, OutputLock lock) {
    RunPlan plan;
    try {
      plan = QuantMiniPipeline.plan(options);
    } catch (IOException e) {
      System.err.println("cannot read the output's manifest: " + e.getMessage());
      return 1;
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    if (command.equals("backfill") && (options.getFrom().isBlank() || options.getTo().isBlank())) {
      System.err.println("backfill needs --from and --to");
      return 2;
    }
    Adjusting adjusting;
    try {
      adjusting = Adjusting.prepare(options, plan, environment);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    } catch (IOException | Adjusting.LateMinuteEvents e) {
      System.err.println("corporate actions: " + e.getMessage() + "; nothing was changed");
      return 1;
    }
    String lateFrom = adjusting.earliestLateSession();
    if (lateFrom != null && !options.getFrom().isBlank() && lateFrom.compareTo(options.getFrom()) < 0
        && !command.equals("daily")) {
      System.out.println("late corporate actions: the run starts at " + lateFrom + " instead of " + options.getFrom());
      options.setFrom(lateFrom);
    }
    List<String> missing = new ArrayList<>();
    if (command.equals("daily")) {
      // From a few sessions before the last processed one: files published late or republished
      // since are listed again (the manifest's checksums tell which), and done like any other.
      LocalDate from = null;
      for (Dataset d : QuantMiniPipeline.datasets(options)) {
        String last = plan.manifest(d).lastSession();
        LocalDate start = last == null ? null : lookbackStart(LocalDate.parse(last), options.getLookbackSessions());
        from = from == null || (start != null && start.isBefore(from)) ? start : from;
      }
      if (lateFrom != null && from != null && LocalDate.parse(lateFrom).isBefore(from)) {
        from = LocalDate.parse(lateFrom); // splits or dividends reported late redo what they touch
      }
      if (from != null && options.getFrom().isBlank()) {
        options.setFrom(from.toString());
      }
      if (options.getTo().isBlank()) {
        options.setTo(LocalDate.now(ZoneId.of("America/New_York")).toString());
      }
      if (!options.getFrom().isBlank() && LocalDate.parse(options.getFrom()).isAfter(LocalDate.parse(options.getTo()))) {
        // Up to date (e.g. a second run the same evening): not an error, just nothing to do.
        System.out.println("nothing new: every session up to " + options.getTo() + " is already processed");
        return 0;
      }
      if (!options.getFrom().isBlank()) {
        try {
          missing = missingSessions(options, LocalDate.parse(options.getFrom()), LocalDate.parse(options.getTo()));
        } catch (IOException e) {
          System.err.println("cannot list the input: " + e.getMessage());
          return 1;
        }
      }
    }
    List<String[]> parts;
    try {
      parts = parts(options, plan, adjusting.reprocessKeys());
    } catch (IOException e) {
      System.err.println("cannot list the input: " + e.getMessage());
      return 1;
    }
    String tooSmall;
    try {
      tooSmall = heapTooSmall(options, plan, Runtime.getRuntime().maxMemory());
    } catch (IOException e) {
      System.err.println("cannot list the input: " + e.getMessage());
      return 1;
    }
    if (tooSmall != null) {
      System.err.println(tooSmall);
      return 2;
    }
    return alertingMissing(runParts(options, plan, adjusting, lock, parts), missing);
  }

  /**
   * Heap one stock-minute session needs with features, per byte of its gzip file. Since a session's
   * features stay off the heap (a bucket at a time), what grows with the session is its bars: a
   * 28.3 MB session of 5 000 tickers (benchmark minute5) ran in a part of its own at -Xmx900m and
   * ran out of memory at -Xmx720m; all five parts pass at -Xmx2g. The refusal below uses three
   * quarters of it (~650 MB for that session), so it refuses only heaps known to be too small.
   */
  static final long MINUTE_HEAP_PER_GZ_BYTE = 32;

  /**
   * Refuses up front, with advice, a heap a part of this run is known not to fit: the largest
   * stock-minute session to process, with features, needs about {@link #MINUTE_HEAP_PER_GZ_BYTE}
   * bytes of heap per byte of its file. Null when the heap will do.
   */
  static String heapTooSmall(QuantMiniOptions o, RunPlan plan, long maxHeap) throws IOException {
    if (!QuantMiniPipeline.datasets(o).contains(Dataset.stocks_minute) || QuantMiniPipeline.families(o).isEmpty()) {
      return null;
    }
    LocalDate from = o.getFrom().isBlank() ? null : LocalDate.parse(o.getFrom());
    LocalDate to = o.getTo().isBlank() ? null : LocalDate.parse(o.getTo());
    Set<String> processed = plan.processed().keySet();
    long largest = 0;
    String session = null;
    for (Map.Entry<String, Map<String, Long>> e : ListKeys.keysBySession(
        QuantMiniPipeline.absolute(o.getInput()), List.of(Dataset.stocks_minute), from, to).entrySet()) {
      for (Map.Entry<String, Long> f : e.getValue().entrySet()) {
        if (!processed.contains(f.getKey()) && f.getValue() > largest) {
          largest = f.getValue();
          session = e.getKey();
        }
      }
    }
    long need = largest * MINUTE_HEAP_PER_GZ_BYTE;
    if (need * 3 / 4 <= maxHeap) {
      return null;
    }
    return String.format("the stock minute session %s (%d MB of gzip) needs about %.1f GB of heap with features, "
        + "and this JVM has %.1f GB: start java with -Xmx%dg (or run --features= for bars only); nothing was "
        + "changed", session, largest >> 20, need / 1e9, maxHeap / 1e9, (long) Math.ceil(need / 1e9) + 1);
  }

  /**
   * Exit code when daily found sessions the NYSE calendar expects but the source lacks (everything
   * present was still done and committed), so cron can alert.
   */
  static final int SESSIONS_MISSING = 4;

  private static int alertingMissing(int code, List<String> missing) {
    if (missing.isEmpty()) {
      return code;
    }
    System.out.println("sessions the NYSE calendar expects but the source lacks: " + String.join(", ", missing));
    return code == 0 ? SESSIONS_MISSING : code;
  }

  /** The session {@code n} sessions back from {@code last}, counting it (the day after it for 0). */
  static LocalDate lookbackStart(LocalDate last, int n) {
    if (n <= 0) {
      return last.plusDays(1);
    }
    List<LocalDate> recent = NyseCalendar.sessions(last.minusDays(3L * n + 10), last);
    return recent.get(Math.max(0, recent.size() - n));
  }

  /**
   * Per dataset, NYSE sessions in [from, to] without a file in the input; the current New York day
   * is not expected yet (the provider publishes a session's files after it).
   */
  static List<String> missingSessions(QuantMiniOptions o, LocalDate from, LocalDate to) throws IOException {
    LocalDate yesterday = LocalDate.now(ZoneId.of("America/New_York")).minusDays(1);
    LocalDate until = to.isAfter(yesterday) ? yesterday : to;
    List<String> out = new ArrayList<>();
    if (until.isBefore(from)) {
      return out;
    }
    for (Dataset d : QuantMiniPipeline.datasets(o)) {
      Set<String> listed = ListKeys.keysBySession(
          QuantMiniPipeline.absolute(o.getInput()), List.of(d), from, until).keySet();
      for (LocalDate s : NyseCalendar.sessions(from, until)) {
        if (!listed.contains(s.toString())) {
          out.add(d + " " + s);
        }
      }
    }
    return out;
  }

  private static int runParts(QuantMiniOptions options, RunPlan plan, Adjusting adjusting, OutputLock lock,
      List<String[]> parts) {
    if (parts.isEmpty()) {
      if (LaunchDefaults.detached(options) && lock != null) {
        try {
          plan.clearsLockOf(lock.detach()); // the job outlives this process: its commit clears the lock
        } catch (IOException e) {
          System.err.println("cannot hand the output lock to the job: " + e.getMessage());
          return 1;
        }
      }
      return runOnce(options, plan, adjusting, "");
    }
    int code = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < parts.size(); i++) {
      options.setFrom(parts.get(i)[0]);
      options.setTo(parts.get(i)[1]);
      System.out.printf("part %d of %d: %s..%s%n", i + 1, parts.size(), parts.get(i)[0], parts.get(i)[1]);
      try {
        plan = QuantMiniPipeline.plan(options);
      } catch (IOException e) {
        System.err.println("cannot read the output's manifest: " + e.getMessage());
        return 1;
      }
      double spent = (System.nanoTime() - t0) / 1e9;
      String part = "part " + (i + 1) + " of " + parts.size() + (i == 0 ? ""
          : ", the run ends in ~" + Progress.duration(spent / i * (parts.size() - i)) + " (by the parts done)");
      int c = runOnce(options, plan, adjusting, part);
      if (c == FAILED) {
        return 1; // the parts before it are committed; a re-run goes on from here
      }
      code = Math.max(code, c);
    }
    return code;
  }

  private static final int FAILED = -1;


  /**
   * The sessions a run did again, and why: files republished with other content, and files that
   * arrived after later sessions were processed (late).
   */
  static List<String> sessionsDone(PipelineResult result, RunPlan plan) {
    TreeMap<String, TreeSet<String>> byWhy = new TreeMap<>();
    for (MetricResult<Long> m : result.metrics().queryMetrics(
        MetricsFilter.builder().addNameFilter(MetricNameFilter.inNamespace(DropProcessed.class)).build()).getCounters()) {
      String name = m.getName().getName();
      if (!name.startsWith(DropProcessed.SESSION) || m.getAttempted() == 0) {
        continue;
      }
      String[] f = name.substring(DropProcessed.SESSION.length()).split(":");
      String why = f[0];
      if (why.equals(DropProcessed.NEW)) {
        String last = plan.manifest(Dataset.valueOf(f[1])).lastSession();
        if (last == null || f[2].compareTo(last) > 0) {
          continue; // an ordinary new session
        }
        why = "late (its file arrived after " + last + " was processed)";
      }
      byWhy.computeIfAbsent(why, k -> new TreeSet<>()).add(f[1] + " " + f[2]);
    }
    List<String> out = new ArrayList<>();
    byWhy.forEach((why, sessions) -> out.add("sessions " + why + ": " + String.join(", ", sessions)));
    return out;
  }

  /** Default budget of one part: gzip bytes of new files (about 3 M minute bars; 5 M did not fit 8 GB with features). */
  static final long BYTES_PER_RUN = 48L << 20;

  /**
   * Windows [from, to] that cut the range into runs of at most --sessionsPerRun new sessions
   * (sessions with a file the manifest lacks, or to reprocess), or by default of new files worth
   * at most {@link #BYTES_PER_RUN} (at least one session each); empty when one run will do. The
   * windows cover the whole range, so a republished file anywhere in it is still seen.
   */
  static List<String[]> parts(QuantMiniOptions o, RunPlan plan, List<String> late) throws IOException {
    Set<String> lateSessions = new HashSet<>();
    late.forEach(k -> lateSessions.add(k.substring(k.indexOf('/') + 1)));
    Integer perRun = o.getSessionsPerRun();
    if ((perRun != null && perRun <= 0) || LaunchDefaults.detached(o)) {
      return List.of();
    }
    Set<String> processed = plan.processed().keySet();
    LocalDate from = o.getFrom().isBlank() ? null : LocalDate.parse(o.getFrom());
    LocalDate to = o.getTo().isBlank() ? null : LocalDate.parse(o.getTo());
    SortedMap<String, Map<String, Long>> listed = ListKeys.keysBySession(
        QuantMiniPipeline.absolute(o.getInput()), QuantMiniPipeline.datasets(o), from, to);
    List<String> starts = new ArrayList<>(); // first new session of each part
    long bytes = 0;
    int sessions = 0;
    for (Map.Entry<String, Map<String, Long>> e : listed.entrySet()) {
      if (!o.getReprocess().contains(e.getKey()) && !lateSessions.contains(e.getKey())
          && processed.containsAll(e.getValue().keySet())) {
        continue;
      }
      long size = e.getValue().values().stream().mapToLong(Long::longValue).sum();
      boolean full = perRun != null ? sessions >= perRun : bytes + size > BYTES_PER_RUN;
      if (starts.isEmpty() || (full && sessions > 0)) {
        starts.add(e.getKey());
        bytes = 0;
        sessions = 0;
      }
      bytes += size;
      sessions++;
    }
    if (starts.size() <= 1) {
      return List.of();
    }
    List<String[]> out = new ArrayList<>();
    for (int i = 0; i < starts.size(); i++) {
      String start = i == 0 ? (from == null ? listed.firstKey() : from.toString()) : starts.get(i);
      String end = i == starts.size() - 1 ? (to == null ? listed.lastKey() : to.toString())
          : LocalDate.parse(starts.get(i + 1)).minusDays(1).toString();
      out.add(new String[] {start, end});
    }
    return out;
  }

  /** One pipeline run over the options' range; FAILED when the job did not succeed. */
  private static int runOnce(QuantMiniOptions options, RunPlan plan, Adjusting adjusting, String part) {
    Pipeline p = Pipeline.create(options);
    QuantMiniPipeline.build(p, options, plan, adjusting, true);
    HeapWatch.reset();
    long t0 = System.nanoTime();
    PipelineResult result = p.run();
    if (LaunchDefaults.detached(options)) {
      detached = true;
      // REST/web submission: nobody waits here; the job's last step commits it (CommitRun).
      System.out.println("submitted detached (--attachedMode=false); the job commits its outputs when it"
          + " succeeds; follow it on the cluster");
      return 0;
    }
    PipelineResult.State state;
    try (Progress progress = options.getQuiet() ? Progress.none()
        : Progress.start(result, part, options.getProgressSeconds(), System.err)) {
      state = result.waitUntilFinish();
    }
    RunSummary summary = RunSummary.of(result, (System.nanoTime() - t0) / 1e9);
    lastSummary = summary;
    System.out.println(summary.describe());
    System.out.printf("heap: at most %d MB live after a collection, of %d MB (-Xmx)%n",
        HeapWatch.maxLiveBytes() >> 20, Runtime.getRuntime().maxMemory() >> 20);
    for (String line : sessionsDone(result, plan)) {
      System.out.println(line);
    }
    for (String line : adjusting.describe(result, plan)) {
      System.out.println(line);
    }
    if (state != PipelineResult.State.DONE) {
      System.err.println("pipeline ended in state " + state + "; the manifest is unchanged");
      return FAILED;
    }
    if (summary.filesRejected > 0) {
      System.err.println(summary.filesRejected + " file(s) were rejected whole; see the quarantine");
      return 1;
    }
    return 0;
  }
}
