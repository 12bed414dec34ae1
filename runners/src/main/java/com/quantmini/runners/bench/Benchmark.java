package com.quantmini.runners.bench;

import com.quantmini.pipeline.RunSummary;
import com.quantmini.transforms.calendar.NyseCalendar;

import com.quantmini.pipeline.QuantMini;
import com.quantmini.transforms.features.BlackScholes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The benchmark command: generates (or reuses) realistic flat files, runs our pipeline in-process and DuckDB on the
 * same files, and prints one line per stage: {@code stage | rows | wall s | rows/s | peak heap MB | peak RSS MB |
 * ratio vs DuckDB}. Generation is never inside a timed stage.
 *
 * <pre>
 *   --size=small|medium|full        data sizes (default full); selects all scenarios unless --scenario is given
 *   --scenario=minute5|daily1y|incremental|greeks|all   (greeks: implied volatility and Greeks of
 *                                   a million contracts, the options analytics' own cost)
 *   --work=DIR                      generated files and outputs (default bench-work/)
 *   --seed=N                        generator seed (default 42)
 *   --engines=ours,duckdb           which side(s) to run (default both)
 *   --tickers=N                     override the size's ticker count
 * </pre>
 */
public final class Benchmark {
  static final LocalDate YEAR_START = LocalDate.of(2024, 1, 1);
  static final String[] EMBEDDED_RUNNER = {
      "--runner=DirectRunner", "--targetParallelism=2", "--enforceImmutability=false", "--enforceEncodability=false"};
  /** The same job on Flink's embedded mini cluster, one slot per core of this machine. */
  static final String[] FLINK_LOCAL = {"--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"};

  /** Data sizes per level. */
  enum Size {
    SMALL(500, 500, LocalDate.of(2024, 3, 31)),
    MEDIUM(2_000, 2_000, LocalDate.of(2024, 12, 31)),
    FULL(5_000, 5_000, LocalDate.of(2024, 12, 31));

    final int minuteTickers;
    final int dailyTickers;
    final LocalDate dailyTo;

    Size(int minuteTickers, int dailyTickers, LocalDate dailyTo) {
      this.minuteTickers = minuteTickers;
      this.dailyTickers = dailyTickers;
      this.dailyTo = dailyTo;
    }
  }

  /** Parsed command line. */
  record Settings(Size size, List<String> scenarios, Path work, long seed, boolean ours, boolean duckdb,
      int tickersOverride) {
    int minuteTickers() {
      return tickersOverride > 0 ? tickersOverride : size.minuteTickers;
    }

    int dailyTickers() {
      return tickersOverride > 0 ? tickersOverride : size.dailyTickers;
    }
  }

  /** One line of the table; {@code reference} names the DuckDB stage this one is compared with. */
  record Stage(String name, long rows, double seconds, MemorySampler.Peak peak, String reference, String error) {
    boolean failed() {
      return error != null;
    }
  }

  /** What an in-process pipeline run gave back; per-stage figures will come from its Beam metrics. */
  record PipelineRun(String label, List<String> args, int exitCode, double seconds, MemorySampler.Peak peak,
      String error) {}

  private final Settings settings;
  private final MemorySampler sampler;
  private final PrintStream out;
  private final List<Stage> stages = new ArrayList<>();
  private final int generatorThreads = Runtime.getRuntime().availableProcessors();

  private Benchmark(Settings settings, MemorySampler sampler, PrintStream out) {
    this.settings = settings;
    this.sampler = sampler;
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the benchmark; 0 when every stage ran, 1 when a stage failed, 2 on bad arguments. */
  public static int run(String... args) {
    Settings settings;
    try {
      settings = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.println("usage: bench [--size=small|medium|full] [--scenario=minute5|daily1y|incremental|greeks|all] "
          + "[--work=DIR] [--seed=N] [--engines=ours,duckdb] [--tickers=N]");
      return 2;
    }
    try (MemorySampler sampler = new MemorySampler()) {
      Benchmark b = new Benchmark(settings, sampler, System.out);
      try {
        for (String scenario : settings.scenarios()) {
          switch (scenario) {
            case "minute5" -> b.minute5();
            case "daily1y" -> b.daily1y();
            case "incremental" -> b.incremental();
            case "greeks" -> b.greeks();
            default -> throw new IllegalStateException(scenario);
          }
        }
      } catch (IOException e) {
        System.err.println("bench: " + e);
        return 1;
      } finally {
        b.emptyTrash();
      }
      b.printTable();
      return b.stages.stream().anyMatch(Stage::failed) ? 1 : 0;
    }
  }

  static Settings parse(String... args) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String a : args) {
      if (a.equals("bench")) {
        continue;   // tolerate the command word when called through QuantMini
      }
      if (!a.startsWith("--") || !a.contains("=")) {
        throw new IllegalArgumentException("expected --name=value, got " + a);
      }
      kv.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    Size size = Size.valueOf(kv.getOrDefault("size", "full").toUpperCase(Locale.ROOT));
    String scenario = kv.getOrDefault("scenario", "all");
    List<String> scenarios = switch (scenario) {
      case "all" -> List.of("minute5", "daily1y", "incremental");
      case "minute5", "daily1y", "incremental", "greeks" -> List.of(scenario);
      default -> throw new IllegalArgumentException("unknown scenario " + scenario);
    };
    List<String> engines = Arrays.asList(kv.getOrDefault("engines", "ours,duckdb").split(","));
    for (String e : engines) {
      if (!e.equals("ours") && !e.equals("duckdb")) {
        throw new IllegalArgumentException("unknown engine " + e);
      }
    }
    for (String k : kv.keySet()) {
      if (!List.of("size", "scenario", "work", "seed", "engines", "tickers").contains(k)) {
        throw new IllegalArgumentException("unknown option --" + k);
      }
    }
    return new Settings(size, scenarios, Path.of(kv.getOrDefault("work", "bench-work")),
        Long.parseLong(kv.getOrDefault("seed", "42")), engines.contains("ours"), engines.contains("duckdb"),
        Integer.parseInt(kv.getOrDefault("tickers", "0")));
  }

  // ---- scenarios

  /** Five stocks-minute sessions: our ingest (CSV.GZ → validated bronze Parquet) vs DuckDB (a). */
  private void minute5() throws IOException {
    List<LocalDate> days = NyseCalendar.sessions(YEAR_START, YEAR_START.plusDays(14)).subList(0, 5);
    FlatFileGenerator.Generated flat = generate(new FlatFileGenerator.Spec(FlatDataset.STOCKS_MINUTE, days.get(0),
        days.get(days.size() - 1), settings.minuteTickers(), settings.seed()));
    Path outRoot = cleanDir(settings.work().resolve("out").resolve("minute5"));
    String peer = duckdbCopy("minute5", flat, flat.files(), outRoot);
    if (settings.ours()) {
      // The backbone (bronze + Qlib bars) in one run, as DuckDB's copy does it.
      PipelineRun run = runOurs("minute5 ours ingest", flat.rows(), peer,
          "run", "--input=" + flat.root(), "--output=" + outRoot.resolve("ours"),
          "--datasets=" + FlatDataset.STOCKS_MINUTE.optionName(), "--features=", "--sessionsPerRun=0");
      stages.addAll(perStageFigures(run));
      // Everything (features, silver), in the default parts (one such minute day each).
      PipelineRun all = runOurs("minute5 ours all features", flat.rows(), null,
          "run", "--input=" + flat.root(), "--output=" + outRoot.resolve("ours-all"),
          "--datasets=" + FlatDataset.STOCKS_MINUTE.optionName());
      stages.addAll(perStageFigures(all));
    }
  }

  /**
   * The options analytics' cost: a million contracts over moneyness 0.5–2, one day to two years and
   * volatilities 0.05–3, priced by the model, then solved back for their implied volatility and
   * Greeks on one thread, as {@code WindowedFeatures} does per contract and slot.
   */
  private void greeks() {
    int n = 1_000_000;
    SplittableRandom rng = new SplittableRandom(settings.seed());
    double[][] c = new double[n][];
    for (int i = 0; i < n; i++) {
      double s = 100;
      double k = s * (0.5 + 1.5 * rng.nextDouble());
      double t = (1 + rng.nextInt(730)) / 365.0;
      double sigma = 0.05 + 2.95 * rng.nextDouble();
      boolean call = rng.nextBoolean();
      double price = BlackScholes.price(call, s, k, t, 0.04, 0.01, sigma);
      c[i] = new double[] {call ? 1 : 0, price, s, k, t};
    }
    long t0 = System.nanoTime();
    int solved = 0;
    double sink = 0;
    for (double[] x : c) {
      double iv = BlackScholes.impliedVol(x[0] == 1, x[1], x[2], x[3], x[4], 0.04, 0.01);
      if (!Double.isNaN(iv)) {
        solved++;
        sink += BlackScholes.greeks(x[0] == 1, x[2], x[3], x[4], 0.04, 0.01, iv)[0];
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    stages.add(new Stage("greeks: implied vol + Greeks, 1 thread", n, seconds, new MemorySampler.Peak(-1, -1), null,
        null));
    out.printf(Locale.ROOT, "# greeks: %,d contracts (%,d with an implied volatility) in %.2f s: %.2f s per million"
        + " contracts on one core (checksum %.3f)%n", n, solved, seconds, seconds * 1e6 / n, sink);
  }

  /** One year of stocks_daily: our whole graph vs DuckDB (a) + (b). */
  private void daily1y() throws IOException {
    FlatFileGenerator.Generated flat = dailyYear();
    Path outRoot = cleanDir(settings.work().resolve("out").resolve("daily1y"));
    String reference = null;
    if (settings.duckdb()) {
      String copy = duckdbCopy("daily1y", flat, flat.files(), outRoot);
      Stage features = duckdb("daily1y duckdb (b) features", flat.rows(), null,
          peer -> peer.rollingFeatures(flat.files(), outRoot.resolve("duckdb-features")));
      Stage copyStage = find(copy);
      if (copyStage != null && !copyStage.failed() && !features.failed()) {
        reference = "daily1y duckdb (a)+(b)";
        stages.add(new Stage(reference, flat.rows(), copyStage.seconds() + features.seconds(),
            maxPeak(copyStage.peak(), features.peak()), null, null));
      }
    }
    if (settings.ours()) {
      PipelineRun run = runOurs("daily1y ours all", flat.rows(), reference,
          "run", "--input=" + flat.root(), "--output=" + outRoot.resolve("ours"),
          "--datasets=" + FlatDataset.STOCKS_DAILY.optionName());
      stages.addAll(perStageFigures(run));
      // The cluster path on one host: Flink's local mini cluster, beside the Direct figure above.
      PipelineRun flink = runOurs("daily1y ours all, Flink local", flat.rows(), reference, FLINK_LOCAL,
          "run", "--input=" + flat.root(), "--output=" + outRoot.resolve("ours-flink"),
          "--datasets=" + FlatDataset.STOCKS_DAILY.optionName());
      stages.addAll(perStageFigures(flink));
      // The cost of adjustment: the same run on unadjusted prices.
      PipelineRun raw = runOurs("daily1y ours unadjusted", flat.rows(), reference,
          "run", "--input=" + flat.root(), "--output=" + outRoot.resolve("ours-unadjusted"),
          "--datasets=" + FlatDataset.STOCKS_DAILY.optionName(), "--corporateActions=none");
      stages.addAll(perStageFigures(raw));
    }
  }

  /**
   * Incremental: our pipeline over sessions 1..N−1, then over the last session alone on the same lake. The DuckDB
   * reference for the added session is (a) on that one file.
   */
  private void incremental() throws IOException {
    FlatFileGenerator.Generated flat = dailyYear();
    List<LocalDate> s = flat.sessions();
    LocalDate last = s.get(s.size() - 1);
    Path outRoot = cleanDir(settings.work().resolve("out").resolve("incremental"));
    long lastRows = countLines(flat.file(last));
    String peer = null;
    if (settings.duckdb()) {
      peer = "incremental duckdb (a) 1 session";
      final Path dir = Files.createDirectories(outRoot.resolve("duckdb-copy"));
      duckdb(peer, lastRows, null, p -> p.copyPerFile(List.of(flat.file(last)), dir));
    }
    if (settings.ours()) {
      // The default Qlib fields first, then Alpha158 in Qlib too (--qlibFields=all), each on its own lake.
      for (String fields : List.of("default", "all")) {
        Path lake = outRoot.resolve("ours-" + fields);
        String dataset = "--datasets=" + FlatDataset.STOCKS_DAILY.optionName();
        PipelineRun base = runOurs("incremental ours qlibFields=" + fields + " sessions 1..N-1",
            flat.rows() - lastRows, null, "run", "--input=" + flat.root(), "--output=" + lake, dataset,
            "--from=" + s.get(0), "--to=" + s.get(s.size() - 2), "--qlibFields=" + fields);
        stages.addAll(perStageFigures(base));
        PipelineRun add = runOurs("incremental ours qlibFields=" + fields + " add session N", lastRows, peer, "run",
            "--input=" + flat.root(), "--output=" + lake, dataset, "--from=" + last, "--to=" + last);
        stages.addAll(perStageFigures(add));
        if (base.error() != null || add.error() != null) {
          continue;
        }
        out.printf(Locale.ROOT, "# incremental, --qlibFields=%s: adding one session took %.1f%% of the N-1 session "
            + "build%n", fields, 100 * add.seconds() / base.seconds());
        // The file system's share: the same appends with nothing else around them (changes the lake, last).
        AppendFloor.Result floor = AppendFloor.measure(lake.resolve("qlib").resolve(FlatDataset.STOCKS_DAILY
            .optionName()).resolve("features"), generatorThreads);
        stages.add(new Stage("incremental floor (" + fields + "): append to every Qlib file", floor.files(),
            floor.appendSeconds(), new MemorySampler.Peak(-1, -1), null, null));
        stages.add(new Stage("incremental floor (" + fields + "): sync -f after it", floor.files(),
            floor.syncSeconds(), new MemorySampler.Peak(-1, -1), null, null));
        out.printf(Locale.ROOT, "# incremental floor (%s): one float appended to each of %,d Qlib files took %.1f s "
            + "and flushing them %.1f s, together %.1f%% of the build, with no Beam and no features%n", fields,
            floor.files(), floor.appendSeconds(), floor.syncSeconds(),
            100 * (floor.appendSeconds() + floor.syncSeconds()) / base.seconds());
      }
    }
  }

  private FlatFileGenerator.Generated dailyYear() throws IOException {
    FlatFileGenerator.Generated flat = generate(new FlatFileGenerator.Spec(FlatDataset.STOCKS_DAILY, YEAR_START,
        settings.size().dailyTo, settings.dailyTickers(), settings.seed()));
    int events = BenchEvents.write(flat.root(), flat.file(flat.sessions().get(0)), flat.sessions());
    if (events >= 0) {
      out.printf(Locale.ROOT, "# wrote %d splits and dividends to %s/corporate_actions%n", events, flat.root());
    }
    return flat;
  }

  // ---- engines

  /** Runs DuckDB (a) both ways on the files; returns the name of the faster stage, the reference for ours. */
  private String duckdbCopy(String scenario, FlatFileGenerator.Generated flat, List<Path> files, Path outRoot)
      throws IOException {
    if (!settings.duckdb()) {
      return null;
    }
    Path perFile = Files.createDirectories(outRoot.resolve("duckdb-copy-per-file"));
    Stage a = duckdb(scenario + " duckdb (a) per file", flat.rows(), null, p -> p.copyPerFile(files, perFile));
    Stage b = duckdb(scenario + " duckdb (a) partitioned", flat.rows(), null,
        p -> p.copyPartitioned(files, outRoot.resolve("duckdb-copy-partitioned")));
    Stage best = Stream.of(a, b).filter(x -> !x.failed()).min(Comparator.comparingDouble(Stage::seconds))
        .orElse(null);
    return best == null ? null : best.name();
  }

  private interface PeerJob {
    DuckDbPeer.Timing run(DuckDbPeer peer) throws SQLException;
  }

  /** One DuckDB phase in this JVM; the timing is DuckDB's own (SQL only), memory covers the phase. */
  private Stage duckdb(String name, long expectedRows, String reference, PeerJob job) {
    System.gc();
    Stage stage;
    try (DuckDbPeer peer = new DuckDbPeer(2)) {
      sampler.begin();
      DuckDbPeer.Timing t = job.run(peer);
      MemorySampler.Peak peak = sampler.end();
      String error = t.rows() == expectedRows ? null : "rows " + t.rows() + " != generated " + expectedRows;
      stage = new Stage(name, t.rows(), t.seconds(), peak, reference, error);
    } catch (SQLException e) {
      stage = new Stage(name, expectedRows, 0, sampler.end(), reference, e.getMessage());
    }
    stages.add(stage);
    return stage;
  }

  /**
   * Runs {@link QuantMini#run} in this JVM and records the whole-run wall time; rows/s derives from the generated
   * row count. A pipeline failure becomes a failed stage, not an aborted benchmark.
   */
  private PipelineRun runOurs(String name, long rows, String reference, String... command) {
    return runOurs(name, rows, reference, EMBEDDED_RUNNER, command);
  }

  private PipelineRun runOurs(String name, long rows, String reference, String[] runner, String... command) {
    List<String> args = new ArrayList<>(Arrays.asList(command));
    args.addAll(Arrays.asList(runner));
    System.gc();
    sampler.begin();
    long start = System.nanoTime();
    int exit = -1;
    String error = null;
    try {
      exit = QuantMini.run(args.toArray(new String[0]));
      if (exit != 0) {
        error = "exit code " + exit;
      }
    } catch (RuntimeException e) {   // the pipeline's failure is this stage's result
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    MemorySampler.Peak peak = sampler.end();
    stages.add(new Stage(name, rows, seconds, peak, reference, error));
    return new PipelineRun(name, args, exit, seconds, peak, error);
  }

  /**
   * The steps of one pipeline run, from its Beam metrics ({@link com.quantmini.pipeline.RunSummary#stepSeconds}):
   * the time spent inside each step, summed over the workers. Steps overlap, so these add up to more than the wall
   * time; they show where the work goes. Printed below the whole-run line, without memory (that is per run).
   */
  static List<Stage> perStageFigures(PipelineRun run) {
    RunSummary summary = QuantMini.lastSummary();
    if (run.error() != null || summary == null) {
      return List.of();
    }
    List<Stage> steps = new ArrayList<>();
    MemorySampler.Peak none = new MemorySampler.Peak(-1, -1);
    summary.stepSeconds.forEach((step, seconds) -> steps.add(
        new Stage("  step " + step + " (worker s)", summary.rowsParsed, seconds, none, null, null)));
    return steps;
  }

  // ---- helpers

  private FlatFileGenerator.Generated generate(FlatFileGenerator.Spec spec) throws IOException {
    FlatFileGenerator.Generated g = FlatFileGenerator.cached(spec, settings.work(), generatorThreads);
    out.printf(Locale.ROOT, "# %s %s..%s: %d files, %d rows, %.1f MB text, %.1f MB gz, generated in %.1f s%s%n",
        spec.dataset().optionName(), spec.from(), spec.to(), g.sessions().size(), g.rows(), g.textBytes() / 1e6,
        g.gzBytes() / 1e6, g.seconds(), g.cached() ? " (cached, reused)" : "");
    return g;
  }

  private Stage find(String name) {
    return stages.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
  }

  private static MemorySampler.Peak maxPeak(MemorySampler.Peak a, MemorySampler.Peak b) {
    return new MemorySampler.Peak(Math.max(a.heapBytes(), b.heapBytes()), Math.max(a.rssBytes(), b.rssBytes()));
  }

  private static long countLines(Path gz) throws IOException {
    try (var in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(gz), 1 << 16), StandardCharsets.US_ASCII))) {
      return in.lines().count() - 1;   // minus the header
    }
  }

  /**
   * An empty {@code dir}: a previous run's outputs are moved to {@code <work>/trash} (one rename)
   * and deleted when the benchmark ends. On this disk (ext4 with {@code discard}) creating files
   * right after deleting a lake was up to 5× slower, which put the previous run's deletion into
   * the next stage's Qlib step.
   */
  private Path cleanDir(Path dir) throws IOException {
    if (Files.exists(dir)) {
      Path trash = Files.createDirectories(settings.work().resolve("trash"));
      Files.move(dir, trash.resolve(dir.getFileName() + "-" + System.nanoTime()), StandardCopyOption.ATOMIC_MOVE);
    }
    return Files.createDirectories(dir);
  }

  /** Deletes what {@link #cleanDir} set aside (also a killed run's), after every stage is measured. */
  void emptyTrash() {
    Path trash = settings.work().resolve("trash");
    if (!Files.exists(trash)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(trash)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      System.err.println("bench: could not empty " + trash + ": " + e);
    }
  }

  void printTable() {
    out.println(formatTable(stages));
  }

  static String formatTable(List<Stage> stages) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"stage", "rows", "wall s", "rows/s", "peak heap MB", "peak RSS MB", "ratio vs DuckDB"});
    for (Stage s : stages) {
      Stage ref = s.reference() == null ? null
          : stages.stream().filter(x -> x.name().equals(s.reference())).findFirst().orElse(null);
      String ratio = "-";
      if (s.failed()) {
        ratio = "FAILED: " + s.error();
      } else if (ref != null && !ref.failed() && ref.seconds() > 0) {
        ratio = String.format(Locale.ROOT, "%.2fx (vs %s)", s.seconds() / ref.seconds(), ref.name());
      }
      boolean timed = !s.failed();
      rows.add(new String[] {s.name(), Long.toString(s.rows()),
          timed ? String.format(Locale.ROOT, "%.2f", s.seconds()) : "-",
          timed && s.seconds() > 0 ? String.format(Locale.ROOT, "%,.0f", s.rows() / s.seconds()) : "-",
          mb(s.peak().heapBytes()), mb(s.peak().rssBytes()), ratio});
    }
    int[] width = new int[7];
    for (String[] r : rows) {
      for (int i = 0; i < r.length - 1; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        String cell = i == r.length - 1 ? r[i]
            : i == 0 ? pad(r[i], width[i], false) : pad(r[i], width[i], true);
        sb.append(cell).append(i == r.length - 1 ? "\n" : " | ");
      }
    }
    return sb.toString().stripTrailing();
  }

  private static String mb(long bytes) {
    return bytes < 0 ? "-" : Long.toString(bytes >> 20);
  }

  private static String pad(String s, int width, boolean right) {
    String fill = " ".repeat(Math.max(0, width - s.length()));
    return right ? fill + s : s + fill;
  }
}
