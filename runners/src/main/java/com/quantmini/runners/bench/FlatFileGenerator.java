package com.quantmini.runners.bench;

import com.quantmini.transforms.calendar.NyseCalendar;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;

/**
 * Writes realistic Polygon/Massive-style flat files ({@code <root>/<prefix>/YYYY/MM/YYYY-MM-DD.csv.gz}) for one data
 * set, a session range and a ticker (stocks) or underlying (options) count.
 *
 * <p>Deterministic: the same {@link Spec} gives the same bytes, whatever the thread count, because every file draws
 * from its own {@link SplittableRandom} seeded by (seed, data set, session) and the cross-session price paths are
 * computed up front from the master seed. Rows are sorted by ticker (Java string order) then window_start.
 */
public final class FlatFileGenerator {
  /** Bump when the output of the same {@link Spec} changes, so cached trees are not reused. */
  static final int GENERATOR_VERSION = 1;
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final String MARKER = "_GENERATED.properties";
  /** Options daily contracts per underlying on average (≈ 250 k rows/day over 200 underlyings once strikes below zero and untraded ones drop out). */
  private static final int CONTRACTS_PER_UNDERLYING = 1_500;
  private static final int STOCK_MINUTES = 960;      // 04:00–19:59 ET
  private static final int REGULAR_OPEN = 330;       // 09:30 as minutes after 04:00
  private static final int REGULAR_CLOSE = 720;      // 16:00
  private static final int OPTION_MINUTES = 405;     // 09:30–16:14 ET

  /** What to generate. {@code tickers} counts underlyings for options data sets. */
  public record Spec(FlatDataset dataset, LocalDate from, LocalDate to, int tickers, long seed) {
    public Spec {
      if (tickers < 1) {
        throw new IllegalArgumentException("tickers must be >= 1, was " + tickers);
      }
      if (from.isAfter(to)) {
        throw new IllegalArgumentException("from " + from + " is after to " + to);
      }
    }

    public List<LocalDate> sessions() {
      return NyseCalendar.sessions(from, to);
    }

    /** Directory name of the cached tree for these parameters. */
    public String cacheKey() {
      return dataset.optionName() + "_" + from + "_" + to + "_n" + tickers + "_s" + seed + "_g" + GENERATOR_VERSION;
    }
  }

  /** What was written (or found in the cache). {@code seconds} is the generation time of the original run. */
  public record Generated(Path root, Spec spec, List<LocalDate> sessions, long rows, long textBytes, long gzBytes,
      double seconds, boolean cached) {
    public Path file(LocalDate session) {
      return root.resolve(spec.dataset().key(session));
    }

    public List<Path> files() {
      List<Path> out = new ArrayList<>(sessions.size());
      for (LocalDate s : sessions) {
        out.add(file(s));
      }
      return out;
    }
  }

  private final Spec spec;
  private final List<LocalDate> sessions;
  private final Universe universe;

  private FlatFileGenerator(Spec spec) {
    this.spec = spec;
    this.sessions = spec.sessions();
    if (sessions.isEmpty()) {
      throw new IllegalArgumentException("no NYSE sessions between " + spec.from() + " and " + spec.to());
    }
    this.universe = spec.dataset().isOptions()
        ? Universe.underlyings(spec.tickers(), sessions.size(), new SplittableRandom(spec.seed()))
        : Universe.stocks(spec.tickers(), sessions.size(), new SplittableRandom(spec.seed()));
  }

  public static FlatFileGenerator of(Spec spec) {
    return new FlatFileGenerator(spec);
  }

  /**
   * Returns the tree under {@code workDir/flat/<cacheKey>}, generating it first unless a complete one is there.
   * A tree counts as complete once its marker file exists; the marker is written last.
   */
  public static Generated cached(Spec spec, Path workDir, int threads) throws IOException {
    Path root = workDir.resolve("flat").resolve(spec.cacheKey());
    Path marker = root.resolve(MARKER);
    if (Files.exists(marker)) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(marker)) {
        p.load(in);
      }
      return new Generated(root, spec, spec.sessions(), Long.parseLong(p.getProperty("rows")),
          Long.parseLong(p.getProperty("textBytes")), Long.parseLong(p.getProperty("gzBytes")),
          Double.parseDouble(p.getProperty("seconds")), true);
    }
    Generated g = of(spec).writeTo(root, threads);
    Properties p = new Properties();
    p.setProperty("rows", Long.toString(g.rows()));
    p.setProperty("textBytes", Long.toString(g.textBytes()));
    p.setProperty("gzBytes", Long.toString(g.gzBytes()));
    p.setProperty("seconds", Double.toString(g.seconds()));
    p.setProperty("spec", spec.toString());
    try (OutputStream out = Files.newOutputStream(marker)) {
      p.store(out, "flat files written by FlatFileGenerator; delete this file to regenerate");
    }
    return g;
  }

  public List<LocalDate> sessions() {
    return sessions;
  }

  /** Writes every session's file below {@code root}, {@code threads} files at a time. */
  public Generated writeTo(Path root, int threads) throws IOException {
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, sessions.size())));
    try {
      List<Future<long[]>> parts = new ArrayList<>();
      for (int i = 0; i < sessions.size(); i++) {
        final int index = i;
        parts.add(pool.submit(() -> writeFile(root, index)));
      }
      long rows = 0;
      long text = 0;
      long gz = 0;
      for (Future<long[]> f : parts) {
        long[] r = f.get();
        rows += r[0];
        text += r[1];
        gz += r[2];
      }
      return new Generated(root, spec, sessions, rows, text, gz, (System.nanoTime() - start) / 1e9, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("generation interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      throw new IllegalStateException("generating " + spec, e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** {rows, text bytes, gzip bytes}; writes to a temp name and renames, so a killed run leaves no half file. */
  private long[] writeFile(Path root, int sessionIndex) {
    LocalDate session = sessions.get(sessionIndex);
    Path target = root.resolve(spec.dataset().key(session));
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try {
      Files.createDirectories(target.getParent());
      long[] counts;
      try (OutputStream out = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16), 1 << 16)) {
        counts = writeSession(sessionIndex, out);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new long[] {counts[0], counts[1], Files.size(target)};
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + target, e);
    }
  }

  /** Writes the uncompressed CSV of one session; returns {rows, bytes}. */
  long[] writeSession(int sessionIndex, OutputStream out) throws IOException {
    LocalDate session = sessions.get(sessionIndex);
    SplittableRandom rng = new SplittableRandom(mix(spec.seed(), spec.dataset().ordinal(), session.toEpochDay()));
    Sink sink = new Sink(out);
    sink.buf.ascii(FlatDataset.HEADER).ch('\n');
    long midnightNs = session.atStartOfDay(NEW_YORK).toEpochSecond() * 1_000_000_000L;
    switch (spec.dataset()) {
      case STOCKS_DAILY -> stocksDaily(sessionIndex, midnightNs, rng, sink);
      case STOCKS_MINUTE -> stocksMinute(sessionIndex, session, rng, sink);
      case OPTIONS_DAILY -> options(sessionIndex, session, midnightNs, rng, sink, false);
      case OPTIONS_MINUTE -> options(sessionIndex, session, midnightNs, rng, sink, true);
      default -> throw new IllegalStateException(spec.dataset().name());
    }
    sink.flush();
    return new long[] {sink.rows, sink.bytes};
  }

  // ---- stocks

  private void stocksDaily(int d, long windowStartNs, SplittableRandom rng, Sink sink) throws IOException {
    Universe u = universe;
    for (int t = 0; t < u.size(); t++) {
      double a = u.activity[t];
      if (a < 0.05 && rng.nextDouble() < 0.05) {
        continue;   // the odd illiquid name that did not trade at all that day
      }
      double open = u.open[d][t];
      double close = u.close[d][t];
      if (a < 0.15 && rng.nextDouble() < 0.02) {
        sink.flatBar(u.tickers[t], open, windowStartNs, decimalsFor(open, rng));
        continue;
      }
      double wiggle = u.sigma[t] * 0.4;
      double high = Math.max(open, close) * Math.exp(Math.abs(rng.nextGaussian()) * wiggle);
      double low = Math.min(open, close) * Math.exp(-Math.abs(rng.nextGaussian()) * wiggle);
      double volume = u.baseVolume[t] * Math.exp(0.5 * rng.nextGaussian());
      sink.bar(u.tickers[t], volume, open, close, high, low, windowStartNs, u.tradeSize[t], decimalsFor(open, rng), rng);
    }
  }

  private void stocksMinute(int d, LocalDate session, SplittableRandom rng, Sink sink) throws IOException {
    Universe u = universe;
    long firstMinuteNs = session.atTime(LocalTime.of(4, 0)).atZone(NEW_YORK).toEpochSecond() * 1_000_000_000L;
    for (int t = 0; t < u.size(); t++) {
      double a = u.activity[t];
      double pRegular = a;
      double pExtended = 0.95 * a * a;
      double sigmaMinute = u.sigma[t] / Math.sqrt(390);
      double perMinuteVolume = u.baseVolume[t] / 390;
      double price = u.open[d][t];
      for (int m = 0; m < STOCK_MINUTES; m++) {
        boolean regular = m >= REGULAR_OPEN && m < REGULAR_CLOSE;
        double before = price;
        price = Math.max(0.0001, price * Math.exp(sigmaMinute * (regular ? 1.0 : 0.5) * rng.nextGaussian()));
        if (rng.nextDouble() >= (regular ? pRegular : pExtended)) {
          continue;
        }
        long ws = firstMinuteNs + m * 60_000_000_000L;
        int decimals = decimalsFor(before, rng);
        if (rng.nextDouble() < 0.0002) {
          sink.flatBar(u.tickers[t], before, ws, decimals);
          continue;
        }
        double wiggle = sigmaMinute * 0.5;
        double high = Math.max(before, price) * Math.exp(Math.abs(rng.nextGaussian()) * wiggle);
        double low = Math.min(before, price) * Math.exp(-Math.abs(rng.nextGaussian()) * wiggle);
        double volume = perMinuteVolume * (regular ? 1.0 : 0.08) * Math.exp(0.8 * rng.nextGaussian());
        sink.bar(u.tickers[t], volume, before, price, high, low, ws, u.tradeSize[t], decimals, rng);
      }
    }
  }

  /** Sub-dollar prices print up to 6 decimals; others up to 4, whole cents most of the time. */
  private static int decimalsFor(double price, SplittableRandom rng) {
    if (price < 1) {
      return 6;
    }
    return rng.nextDouble() < 0.8 ? 2 : 4;
  }

  // ---- options

  private record Contract(String ticker, int underlying, double strike, boolean call, LocalDate expiry) {}

  private void options(int d, LocalDate session, long midnightNs, SplittableRandom rng, Sink sink, boolean minute)
      throws IOException {
    Universe u = universe;
    List<Contract> contracts = new ArrayList<>();
    for (int i = 0; i < u.size(); i++) {
      listContracts(i, session, u.open[d][i], rng, contracts);
    }
    contracts.sort(Comparator.comparing(Contract::ticker));
    long firstMinuteNs = session.atTime(LocalTime.of(9, 30)).atZone(NEW_YORK).toEpochSecond() * 1_000_000_000L;
    for (Contract c : contracts) {
      double spot = u.open[d][c.underlying()];
      double years = Math.max(1, ChronoUnit.DAYS.between(session, c.expiry())) / 365.0;
      double fair = optionPrice(spot, c.strike(), u.sigma[c.underlying()], years, c.call());
      if (!minute) {
        optionBar(sink, c.ticker(), fair, midnightNs, 0.15, Math.exp(3 + 1.5 * rng.nextGaussian()), rng);
        continue;
      }
      double activity = Math.min(0.9, 0.012 * Math.exp(rng.nextGaussian()));
      for (int m = 0; m < OPTION_MINUTES; m++) {
        fair = Math.max(0.01, fair * Math.exp(0.01 * rng.nextGaussian()));
        if (rng.nextDouble() < activity) {
          optionBar(sink, c.ticker(), fair, firstMinuteNs + m * 60_000_000_000L, 0.02,
              Math.exp(1 + 1.2 * rng.nextGaussian()), rng);
        }
      }
    }
  }

  private void optionBar(Sink sink, String ticker, double fair, long ws, double noise, double volume,
      SplittableRandom rng) throws IOException {
    double open = fair * Math.exp(noise * rng.nextGaussian());
    double high = Math.max(open, fair) * (1 + Math.abs(rng.nextGaussian()) * noise * 0.5);
    double low = Math.min(open, fair) * (1 - Math.min(0.9, Math.abs(rng.nextGaussian()) * noise * 0.5));
    long vol = Math.max(1, Math.round(volume));
    long tx = Math.max(1, Math.round(vol / (1 + 9 * rng.nextDouble())));
    sink.optionBar(ticker, vol, open, fair, high, low, ws, tx);
  }

  private void listContracts(int i, LocalDate session, double spot, SplittableRandom rng, List<Contract> out) {
    Universe u = universe;
    double share = u.weight[i] * CONTRACTS_PER_UNDERLYING * u.size();
    int expiries = (int) Math.max(3, Math.min(20, Math.round(3 + 17 * Math.sqrt(u.weight[i] / u.maxWeight))));
    int strikes = (int) Math.max(2, Math.ceil(share / (2 * expiries * 0.7)));
    double step = spot < 25 ? 0.5 : spot < 100 ? 1 : spot < 250 ? 2.5 : 5;
    double center = Math.round(spot / step) * step;
    LocalDate friday = session.with(TemporalAdjusters.nextOrSame(DayOfWeek.FRIDAY));
    for (int e = 0; e < expiries; e++) {
      LocalDate expiry = friday.plusWeeks(e);
      if (!NyseCalendar.isSession(expiry)) {
        expiry = expiry.minusDays(1);   // holiday Friday (Good Friday): the Thursday before
      }
      for (int k = 0; k < strikes; k++) {
        double strike = center + (k - strikes / 2) * step;
        if (strike <= 0) {
          continue;
        }
        for (int cp = 0; cp < 2; cp++) {
          if (rng.nextDouble() < 0.7) {
            out.add(new Contract(occTicker(u.tickers[i], expiry, cp == 0, strike), i, strike, cp == 0, expiry));
          }
        }
      }
    }
  }

  static String occTicker(String root, LocalDate expiry, boolean call, double strike) {
    StringBuilder sb = new StringBuilder(24).append("O:").append(root);
    int yy = expiry.getYear() % 100;
    appendTwo(sb, yy);
    appendTwo(sb, expiry.getMonthValue());
    appendTwo(sb, expiry.getDayOfMonth());
    sb.append(call ? 'C' : 'P');
    String milli = Long.toString(Math.round(strike * 1000));
    for (int i = milli.length(); i < 8; i++) {
      sb.append('0');
    }
    return sb.append(milli).toString();
  }

  private static void appendTwo(StringBuilder sb, int v) {
    sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }

  /** Intrinsic value plus a bell-shaped time value; close enough to real quotes for sizes and decimals. */
  private static double optionPrice(double spot, double strike, double vol, double years, boolean call) {
    double intrinsic = Math.max(0, call ? spot - strike : strike - spot);
    double sd = vol * Math.sqrt(years);
    double z = Math.log(strike / spot) / sd;
    return Math.max(0.01, intrinsic + 0.4 * spot * sd * Math.exp(-0.5 * z * z));
  }

  static long mix(long seed, long a, long b) {
    long z = seed * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b * 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Buffers rows and streams them on in ~512 KB chunks. */
  private static final class Sink {
    final CsvBytes buf = new CsvBytes(1 << 20);
    final OutputStream out;
    long rows;
    long bytes;

    Sink(OutputStream out) {
      this.out = out;
    }

    /** A bar with volume; prices rounded first so that high/low still bound open/close as printed. */
    void bar(String ticker, double volume, double open, double close, double high, double low, long ws,
        double tradeSize, int decimals, SplittableRandom rng) throws IOException {
      double o = clampPrice(CsvBytes.round(open, decimals));
      double c = clampPrice(CsvBytes.round(close, decimals));
      double h = Math.max(CsvBytes.round(high, decimals), Math.max(o, c));
      double l = Math.min(clampPrice(CsvBytes.round(low, decimals)), Math.min(o, c));
      double v;
      if (rng.nextDouble() < 0.03) {
        v = CsvBytes.round(volume, 1 + rng.nextInt(4));   // fractional shares
        if (v == Math.rint(v)) {
          v += 0.5;
        }
      } else {
        v = Math.max(1, Math.rint(volume));
      }
      long tx = Math.max(1, Math.round(v / (tradeSize * Math.exp(0.3 * rng.nextGaussian()))));
      row(ticker).dec(v, 4).ch(',').dec(o, decimals).ch(',').dec(c, decimals).ch(',').dec(h, decimals).ch(',')
          .dec(l, decimals).ch(',').num(ws).ch(',').num(tx).ch('\n');
      maybeFlush();
    }

    /** A zero-volume bar: O=H=L=C, no trades. */
    void flatBar(String ticker, double price, long ws, int decimals) throws IOException {
      double p = clampPrice(CsvBytes.round(price, decimals));
      row(ticker).ch('0').ch(',').dec(p, decimals).ch(',').dec(p, decimals).ch(',').dec(p, decimals).ch(',')
          .dec(p, decimals).ch(',').num(ws).ch(',').ch('0').ch('\n');
      maybeFlush();
    }

    void optionBar(String ticker, long volume, double open, double close, double high, double low, long ws, long tx)
        throws IOException {
      int decimals = 2;
      double o = Math.max(0.01, CsvBytes.round(open, decimals));
      double c = Math.max(0.01, CsvBytes.round(close, decimals));
      double h = Math.max(CsvBytes.round(high, decimals), Math.max(o, c));
      double l = Math.min(Math.max(0.01, CsvBytes.round(low, decimals)), Math.min(o, c));
      row(ticker).num(volume).ch(',').dec(o, decimals).ch(',').dec(c, decimals).ch(',').dec(h, decimals).ch(',')
          .dec(l, decimals).ch(',').num(ws).ch(',').num(tx).ch('\n');
      maybeFlush();
    }

    private static double clampPrice(double p) {
      return Math.max(0.0001, p);
    }

    private CsvBytes row(String ticker) {
      rows++;
      return buf.ascii(ticker).ch(',');
    }

    private void maybeFlush() throws IOException {
      if (buf.size() >= 1 << 19) {
        flush();
      }
    }

    void flush() throws IOException {
      bytes += buf.size();
      buf.drainTo(out);
    }
  }

  /**
   * Per-symbol parameters and the cross-session price path (open and close of every session), drawn from the master
   * seed in a fixed order so that every file can then be generated independently.
   */
  private static final class Universe {
    String[] tickers;
    double[] sigma;
    double[] activity;
    double[] baseVolume;
    double[] tradeSize;
    double[] weight;
    double maxWeight;
    double[][] open;
    double[][] close;

    int size() {
      return tickers.length;
    }

    static Universe stocks(int n, int sessions, SplittableRandom rng) {
      Universe u = new Universe();
      u.tickers = stockTickers(n, rng);
      double[] start = new double[n];
      u.sigma = new double[n];
      u.activity = new double[n];
      u.baseVolume = new double[n];
      u.tradeSize = new double[n];
      for (int t = 0; t < n; t++) {
        boolean penny = rng.nextDouble() < 0.03;
        u.activity[t] = Math.pow(rng.nextDouble(), 0.8);
        if (penny) {
          start[t] = logUniform(rng, 0.01, 0.99);
          u.sigma[t] = 0.03 + 0.05 * rng.nextDouble();
          u.baseVolume[t] = logUniform(rng, 2e8, 6e9);    // sub-dollar names: often above 2^31 shares a day
          u.tradeSize[t] = logUniform(rng, 2_000, 30_000);
        } else {
          start[t] = logUniform(rng, 1, 500);
          u.sigma[t] = 0.008 + 0.032 * rng.nextDouble();
          u.baseVolume[t] = 1e3 * Math.exp(u.activity[t] * Math.log(3e4)) * Math.exp(0.5 * rng.nextGaussian());
          u.tradeSize[t] = logUniform(rng, 40, 250);
        }
      }
      u.walk(start, sessions, rng);
      return u;
    }

    static Universe underlyings(int n, int sessions, SplittableRandom rng) {
      Universe u = new Universe();
      String[] roots = optionRoots(n, rng);
      u.tickers = roots;
      double[] start = new double[n];
      u.sigma = new double[n];
      u.weight = new double[n];
      double sum = 0;
      for (int i = 0; i < n; i++) {
        start[i] = logUniform(rng, 5, 600);
        u.sigma[i] = 0.2 + 0.6 * rng.nextDouble();
        u.weight[i] = 1 / Math.pow(1 + rng.nextInt(n), 0.9);
        sum += u.weight[i];
      }
      for (int i = 0; i < n; i++) {
        u.weight[i] /= sum;
        u.maxWeight = Math.max(u.maxWeight, u.weight[i]);
      }
      double[] dailySigma = new double[n];
      for (int i = 0; i < n; i++) {
        dailySigma[i] = u.sigma[i] / Math.sqrt(252);
      }
      double[] annual = u.sigma;
      u.sigma = dailySigma;
      u.walk(start, sessions, rng);
      u.sigma = annual;
      return u;
    }

    /** Log-normal session path: close = open · e^(σ·N), next open = close · e^(0.3σ·N). */
    private void walk(double[] start, int sessions, SplittableRandom rng) {
      int n = start.length;
      open = new double[sessions][n];
      close = new double[sessions][n];
      double[] p = start.clone();
      for (int d = 0; d < sessions; d++) {
        for (int t = 0; t < n; t++) {
          open[d][t] = p[t];
          close[d][t] = Math.max(0.0001, p[t] * Math.exp(sigma[t] * rng.nextGaussian()));
          p[t] = Math.max(0.0001, close[d][t] * Math.exp(0.3 * sigma[t] * rng.nextGaussian()));
        }
      }
    }

    /** Unique, sorted, AAPL-style: 1–5 capitals, some class shares (.A/.B), a few when-issued names ending in w. */
    private static String[] stockTickers(int n, SplittableRandom rng) {
      Set<String> seen = new HashSet<>();
      List<String> out = new ArrayList<>(n);
      while (out.size() < n) {
        double r = rng.nextDouble();
        int len = r < 0.01 ? 1 : r < 0.09 ? 2 : r < 0.45 ? 3 : r < 0.94 ? 4 : 5;
        String base = letters(len, rng);
        double kind = rng.nextDouble();
        if (kind < 0.01 && out.size() + 2 <= n) {
          if (seen.add(base + ".A") && seen.add(base + ".B")) {
            out.add(base + ".A");
            out.add(base + ".B");
          }
          continue;
        }
        String t = kind < 0.013 ? base + "w" : base;
        if (seen.add(t)) {
          out.add(t);
        }
      }
      String[] arr = out.toArray(new String[0]);
      Arrays.sort(arr);
      return arr;
    }

    /** OCC roots: 1–5 capitals, a few adjusted roots with a trailing digit. */
    private static String[] optionRoots(int n, SplittableRandom rng) {
      Set<String> seen = new HashSet<>();
      List<String> out = new ArrayList<>(n);
      while (out.size() < n) {
        String root = letters(1 + rng.nextInt(4), rng);
        if (rng.nextDouble() < 0.02) {
          root = root + (1 + rng.nextInt(3));
        }
        if (seen.add(root)) {
          out.add(root);
        }
      }
      return out.toArray(new String[0]);
    }

    private static String letters(int len, SplittableRandom rng) {
      char[] c = new char[len];
      for (int i = 0; i < len; i++) {
        c[i] = (char) ('A' + rng.nextInt(26));
      }
      return new String(c);
    }

    private static double logUniform(SplittableRandom rng, double lo, double hi) {
      return Math.exp(Math.log(lo) + rng.nextDouble() * (Math.log(hi) - Math.log(lo)));
    }
  }
}
