package com.quantmini.io.lake;

import com.quantmini.io.Manifest;
import com.quantmini.io.QlibBin;
import com.quantmini.io.actions.ActionsLake;
import com.quantmini.transforms.FeatureMath;
import com.quantmini.transforms.OptionsTicker;
import com.quantmini.transforms.QlibNames;
import com.quantmini.transforms.SymbolSeries;
import com.quantmini.transforms.adjust.Adjustment;
import com.quantmini.transforms.adjust.CorporateAction;
import com.quantmini.transforms.model.Dataset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks one dataset's live Qlib version against its bronze bars: the link, the calendar (sorted,
 * unique, equal to the lake's sessions or New York minutes), all.txt (every symbol of the lake,
 * with its first and last bar), every features directory and bin (header = first slot, length =
 * span, within the calendar) and the bar fields' values: bronze prices times the factor, volume
 * divided by it, factor and change (stocks), raw values (options), NaN where there is no bar. The
 * factor is recomputed from the events the output recorded as applied
 * ({@code bronze/corporate_actions/<dataset>.parquet}). Health warnings come from the same series.
 */
final class QlibValidator {
  private static final List<String> BAR_FIELDS = List.of("open", "high", "low", "close", "volume", "transactions");
  private static final List<String> ADJUSTED_FIELDS = List.of("factor", "change");
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final Path root;
  private final Dataset ds;
  private final Manifest manifest;
  private final LakeValidator.Settings settings;
  private final ValidationReport report;
  private final List<BronzeBars.FileBars> files;
  private final int sessions;
  private final long bronzeRows;
  private final String suffix;
  private final boolean adjusted;
  /** The lake's calendar: sorted distinct bar times (epoch day, or window_start ns). */
  private long[] calendar;
  /** Per slot, the index of its session (daily: the slot itself). */
  private int[] sessionOf;
  private int calendarFileLength;

  QlibValidator(Path root, Dataset ds, Manifest manifest, LakeValidator.Settings settings, ValidationReport report,
      List<BronzeBars.FileBars> files, int sessions, long bronzeRows) {
    this.root = root;
    this.ds = ds;
    this.manifest = manifest;
    this.settings = settings;
    this.report = report;
    this.files = files;
    this.sessions = sessions;
    this.bronzeRows = bronzeRows;
    this.suffix = "." + ds.qlibFreq() + ".bin";
    this.adjusted = FeatureMath.adjusted(ds);
  }

  private void problem(Check c, Path file, String symbol, String session, String detail) {
    report.add(new Problem(c, ds.name(), file == null ? null : LakeValidator.rel(root, file), symbol, session, detail));
  }

  private String slot(int k) {
    return QlibBin.formatSlot(calendar[k], ds.isDaily());
  }

  void run() throws IOException {
    Map<String, BronzeBars.Series> byTicker = new HashMap<>();
    for (BronzeBars.FileBars f : files) {
      BronzeBars.Series last = null;
      for (int i = 0; i < f.size(); i++) {
        if (last == null || !last.ticker.equals(f.ticker[i])) { // rows come sorted by ticker
          last = byTicker.computeIfAbsent(f.ticker[i], BronzeBars.Series::new);
        }
        last.add(f, i);
      }
    }
    calendar = files.parallelStream().flatMapToLong(f -> Arrays.stream(f.time).sorted().distinct())
        .sorted().distinct().toArray();
    sessionOf = new int[calendar.length];
    for (int k = 1; k < calendar.length; k++) {
      sessionOf[k] = sessionOf[k - 1] + (ds.isDaily() || day(k) != day(k - 1) ? 1 : 0);
    }
    Path link = root.resolve("qlib").resolve(ds.name());
    if (manifest.qlibVersion == 0) {
      if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        problem(Check.QLIB_LINK, link, null, null, "the manifest names no Qlib version, yet the link exists");
      }
      report.cover(new ValidationReport.Coverage(ds.name(), sessions, bronzeRows, calendar.length, byTicker.size(),
          0, 0, 0));
      return;
    }
    Path version = root.resolve("qlib").resolve("." + ds.name() + ".v" + manifest.qlibVersion);
    if (!Files.isSymbolicLink(link) || !Files.isDirectory(link)
        || !Files.isSameFile(link.toRealPath(), version.toRealPath())) {
      problem(Check.QLIB_LINK, link, null, null, "must be a link to " + LakeValidator.rel(root, version)
          + " (the manifest's version " + manifest.qlibVersion + ")");
      if (!Files.isDirectory(version)) {
        return;
      }
    }
    checkCalendar(version.resolve("calendars").resolve(ds.qlibFreq() + ".txt"));
    Map<String, String[]> spans = readInstruments(version.resolve("instruments").resolve("all.txt"));
    Map<String, BronzeBars.Series> lake = new TreeMap<>();
    Set<String> exportedRoots = new HashSet<>();
    for (BronzeBars.Series s : byTicker.values()) {
      String instrument = QlibNames.instrument(s.ticker, ds);
      lake.put(instrument, s);
      if (ds.isOptions() && spans.containsKey(instrument)) {
        exportedRoots.add(OptionsTicker.parse(s.ticker).underlying());
      }
    }
    Path allTxt = version.resolve("instruments").resolve("all.txt");
    for (Map.Entry<String, BronzeBars.Series> e : lake.entrySet()) {
      // Options with --qlibUnderlyings export chosen roots only: a contract of a root not exported is not missing.
      boolean exported = !ds.isOptions() || exportedRoots.contains(OptionsTicker.parse(e.getValue().ticker).underlying());
      if (!spans.containsKey(e.getKey()) && exported) {
        problem(Check.INSTRUMENT_MISSING, allTxt, e.getKey(), slot(slotOf(e.getValue().time[0])),
            "ticker " + e.getValue().ticker + " has " + e.getValue().size + " bars in bronze but no all.txt line");
      }
    }
    for (String instrument : spans.keySet()) {
      if (!lake.containsKey(instrument)) {
        problem(Check.INSTRUMENT_UNKNOWN, allTxt, instrument, spans.get(instrument)[0], "no bar of it in bronze");
      }
    }
    Path features = version.resolve("features");
    Set<String> dirs = new HashSet<>();
    if (Files.isDirectory(features)) {
      try (DirectoryStream<Path> list = Files.newDirectoryStream(features)) {
        list.forEach(d -> dirs.add(d.getFileName().toString()));
      }
    }
    Map<String, String> dirToInstrument = new HashMap<>();
    spans.keySet().forEach(i -> dirToInstrument.put(QlibNames.directory(i), i));
    for (String d : dirs) {
      if (!dirToInstrument.containsKey(d)) {
        problem(Check.DIRECTORY_WITHOUT_INSTRUMENT, features.resolve(d), null, null, "no all.txt line names it");
      }
    }
    Map<String, List<CorporateAction>> events = adjusted ? appliedEvents() : Map.of();
    List<String> checked = new ArrayList<>();
    spans.keySet().stream().filter(i -> lake.containsKey(i) && dirs.contains(QlibNames.directory(i)))
        .forEach(checked::add);
    for (String i : spans.keySet()) {
      if (lake.containsKey(i) && !dirs.contains(QlibNames.directory(i))) {
        problem(Check.INSTRUMENT_WITHOUT_FILES, features.resolve(QlibNames.directory(i)), i, spans.get(i)[0],
            "its features directory is missing");
      }
    }
    Set<String> sampled = sample(checked);
    Map<String, Set<String>> names = new ConcurrentHashMap<>();
    AtomicLong values = new AtomicLong();
    AtomicLong bins = new AtomicLong();
    checked.parallelStream().forEach(i -> {
      try {
        Path dir = features.resolve(QlibNames.directory(i));
        SymbolCheck c = new SymbolCheck(i, lake.get(i), spans.get(i), dir, events, sampled.contains(i));
        names.put(i, c.run());
        values.addAndGet(c.valuesCompared);
        bins.addAndGet(c.bins);
      } catch (IOException e) {
        problem(Check.UNREADABLE, features.resolve(QlibNames.directory(i)), i, null, e.toString());
      }
    });
    Set<String> every = new TreeSet<>();
    names.values().forEach(every::addAll);
    every.addAll(BAR_FIELDS);
    if (adjusted) {
      every.addAll(ADJUSTED_FIELDS);
    }
    names.forEach((i, have) -> {
      for (String f : every) {
        if (!have.contains(f)) {
          problem(Check.INSTRUMENT_WITHOUT_FILES, features.resolve(QlibNames.directory(i)).resolve(f + suffix), i, null,
              "field " + f + " is missing (other instruments have it)");
        }
      }
    });
    report.cover(new ValidationReport.Coverage(ds.name(), sessions, bronzeRows, calendar.length, spans.size(),
        sampled.size(), values.get(), (int) bins.get()));
  }

  private long day(int k) {
    return ds.isDaily() ? calendar[k] : FeatureMath.nyDay(calendar[k]);
  }

  private int slotOf(long time) {
    return Arrays.binarySearch(calendar, time);
  }

  /** --sample=N: N instruments spread evenly over the sorted list; 0: all. */
  private Set<String> sample(List<String> instruments) {
    int n = settings.sample();
    if (n <= 0 || n >= instruments.size()) {
      return new HashSet<>(instruments);
    }
    Set<String> out = new HashSet<>();
    for (int k = 0; k < n; k++) {
      out.add(instruments.get((int) ((long) k * instruments.size() / n)));
    }
    return out;
  }

  private void checkCalendar(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      problem(Check.CALENDAR_MISSING, file, null, null, "the calendar file is missing");
      return;
    }
    List<String> lines = new ArrayList<>(Arrays.asList(
        new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    calendarFileLength = lines.size();
    Set<String> lake = new HashSet<>();
    for (int k = 0; k < calendar.length; k++) {
      lake.add(slot(k));
    }
    Set<String> seen = new HashSet<>();
    String previous = null;
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      if (!wellFormed(line)) {
        problem(Check.CALENDAR_LINE, file, null, line, "line " + (n + 1) + " is not a " + (ds.isDaily()
            ? "YYYY-MM-DD session" : "YYYY-MM-DD HH:MM:SS New York minute"));
      } else if (!lake.contains(line)) {
        problem(Check.CALENDAR_EXTRA, file, null, line, "line " + (n + 1) + ": no bar of the lake is at this "
            + (ds.isDaily() ? "session" : "minute"));
      }
      if (previous != null && line.compareTo(previous) <= 0) {
        problem(Check.CALENDAR_ORDER, file, null, line, "line " + (n + 1) + (seen.contains(line) ? " repeats "
            : " is not after ") + "line " + n + " (" + previous + ")");
      }
      seen.add(line);
      previous = line;
    }
    for (int k = 0; k < calendar.length; k++) {
      if (!seen.contains(slot(k))) {
        problem(Check.CALENDAR_MISSING, file, null, slot(k), "the lake has bars at this slot, the calendar not");
      }
    }
  }

  private boolean wellFormed(String line) {
    try {
      if (ds.isDaily()) {
        LocalDate.parse(line);
      } else {
        LocalDateTime.parse(line, MINUTE);
      }
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** all.txt: instrument → {first, last}. */
  private Map<String, String[]> readInstruments(Path file) throws IOException {
    Map<String, String[]> out = new TreeMap<>();
    if (!Files.isRegularFile(file)) {
      problem(Check.INSTRUMENT_MISSING, file, null, null, "all.txt is missing");
      return out;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int n = 0; n < lines.size(); n++) {
      String[] f = lines.get(n).split("\t", -1);
      if (f.length != 3) {
        problem(Check.UNREADABLE, file, null, null, "line " + (n + 1) + " is not INSTRUMENT<tab>first<tab>last");
      } else if (out.put(f[0], new String[] {f[1], f[2]}) != null) {
        problem(Check.UNREADABLE, file, f[0], f[1], "line " + (n + 1) + " lists the instrument again");
      }
    }
    return out;
  }

  /** The events each ticker's prices were adjusted with (one of each: the provider repeats some under other ids). */
  private Map<String, List<CorporateAction>> appliedEvents() throws IOException {
    List<ActionsLake.Row> rows = ActionsLake.read(ActionsLake.path(root.toString(), ds.name()));
    Map<String, TreeSet<CorporateAction>> byTicker = new HashMap<>();
    if (rows != null) {
      for (ActionsLake.Row r : rows) {
        if (r.applied) {
          byTicker.computeIfAbsent(r.event.ticker, t -> new TreeSet<>()).add(r.event);
        }
      }
    }
    Map<String, List<CorporateAction>> out = new HashMap<>();
    byTicker.forEach((t, s) -> out.put(t, new ArrayList<>(s)));
    return out;
  }

  /** One instrument: its span, its directory's bins, their values, and its health. */
  private final class SymbolCheck {
    private final String instrument;
    private final BronzeBars.Series bars;
    private final String[] span;
    private final Path dir;
    private final Map<String, List<CorporateAction>> events;
    private final boolean values;
    private final int first;
    private final int length;
    long valuesCompared;
    long bins;

    SymbolCheck(String instrument, BronzeBars.Series bars, String[] span, Path dir,
        Map<String, List<CorporateAction>> events, boolean values) {
      this.instrument = instrument;
      this.bars = bars;
      this.span = span;
      this.dir = dir;
      this.events = events;
      this.values = values;
      this.first = slotOf(bars.time[0]);
      this.length = slotOf(bars.time[bars.size - 1]) - first + 1;
    }

    /** Returns the field names the directory holds. */
    Set<String> run() throws IOException {
      int last = first + length - 1;
      if (!span[0].equals(slot(first)) || !span[1].equals(slot(last))) {
        problem(Check.SPAN, root.resolve("qlib").resolve(ds.name()).resolve("instruments/all.txt"), instrument,
            span[0], "all.txt says " + span[0] + ".." + span[1] + ", bronze has bars " + slot(first) + ".." + slot(last));
      }
      Map<String, double[]> expected = expected();
      Set<String> names = new HashSet<>();
      try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
        for (Path f : list) {
          String name = f.getFileName().toString();
          if (name.startsWith("_tmp-")) {
            problem(Check.TEMP_FILE, f, instrument, null, "a temp file a write never renamed");
          } else if (!name.endsWith(suffix)) {
            problem(Check.ORPHAN_FILE, f, instrument, null, "not a " + suffix + " field file");
          } else {
            String field = name.substring(0, name.length() - suffix.length());
            names.add(field);
            bins++;
            if (expected.containsKey(field)) {
              checkBin(f, field, expected.get(field));
            } else {
              checkSize(f, Files.size(f));
            }
          }
        }
      }
      health(expected);
      return names;
    }

    /**
     * A feature bin: its length only. Its header is written with the bar fields' (same start
     * slot); opening ~180 files per symbol would cost a random read each (a year of 5 000
     * symbols is 920 000 files), a size comes with the directory's inodes.
     */
    private void checkSize(Path f, long size) {
      if (size != 4L * (length + 1)) {
        problem(Check.BIN_LENGTH, f, instrument, null, "holds " + (size / 4 - 1) + " slots (" + size
            + " bytes), its span " + slot(first) + ".." + slot(first + length - 1) + " is " + length);
      }
    }

    /** Header, length, reach and (for the bar fields of sampled symbols) values. */
    private void checkBin(Path f, String field, double[] want) throws IOException {
      boolean read = values && want != null;
      ByteBuffer b;
      long size;
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
        size = ch.size();
        b = ByteBuffer.allocate(read ? (int) size : (int) Math.min(size, 4)).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining() && ch.read(b) >= 0) {
          // read fully
        }
        b.flip();
      }
      long slots = size / 4 - 1;
      if (size % 4 != 0 || size < 4) {
        problem(Check.BIN_LENGTH, f, instrument, span[0], size + " bytes: not a header and float32 values");
        return;
      }
      int header = (int) b.getFloat(0);
      boolean ok = true;
      if (header != first) {
        problem(Check.BIN_HEADER, f, instrument, header >= 0 && header < calendar.length ? slot(header) : null,
            "starts at slot " + header + ", its first bar is slot " + first + " (" + slot(first) + ")");
        ok = false;
      }
      if (slots != length) {
        int end = (int) Math.min(calendar.length - 1, header + slots - 1);
        problem(Check.BIN_LENGTH, f, instrument, end >= 0 ? slot(end) : null, "holds " + slots
            + " slots, its span " + slot(first) + ".." + slot(first + length - 1) + " is " + length);
        ok = false;
      }
      if (header + slots > calendarFileLength) {
        problem(Check.BIN_BEYOND_CALENDAR, f, instrument, null, "reaches slot " + (header + slots - 1)
            + ", the calendar has " + calendarFileLength + " slots");
      }
      if (!read || !ok) {
        return;
      }
      int bad = 0;
      int firstBad = -1;
      for (int k = 0; k < length; k++) {
        float have = b.getFloat(4 * (k + 1));
        float expect = (float) want[k];
        if (Float.floatToIntBits(have) != Float.floatToIntBits(expect) && !(Float.isNaN(have) && Float.isNaN(expect))) {
          bad++;
          firstBad = firstBad < 0 ? k : firstBad;
        }
      }
      valuesCompared += length;
      if (bad > 0) {
        problem(Check.BIN_VALUE, f, instrument, slot(first + firstBad), bad + " slot(s) differ from bronze; first "
            + "expected " + (float) want[firstBad] + ", found " + b.getFloat(4 * (firstBad + 1)));
      }
      if (field.equals("factor")) {
        for (int k = 0; k < length; k++) {
          float have = b.getFloat(4 * (k + 1));
          if (!Double.isNaN(want[k]) && !(have > 0)) {
            problem(Check.FACTOR, f, instrument, slot(first + k), "factor is " + have + " at a bar");
          }
        }
      }
    }

    /** The bar fields as the writer defines them, per slot of the span (NaN without a bar). */
    private Map<String, double[]> expected() {
      SymbolSeries raw = SymbolSeries.empty(bars.ticker, instrument, first, length);
      for (int i = 0; i < bars.size; i++) {
        raw.set(slotOf(bars.time[i]) - first, new double[] {bars.open[i], bars.high[i], bars.low[i], bars.close[i],
            bars.volume[i], bars.transactions[i]}, bars.time[i]);
      }
      SymbolSeries s = raw;
      Map<String, double[]> out = new HashMap<>();
      if (adjusted) {
        long[] day = new long[length];
        for (int k = 0; k < length; k++) {
          day[k] = day(first + k);
        }
        double[] factor = Adjustment.factors(day, raw.close, events.getOrDefault(bars.ticker, List.of()),
            new double[0], length).factor;
        s = FeatureMath.adjust(raw, factor);
        out.put("factor", factor);
        out.put("change", FeatureMath.change(s.close, Double.NaN));
      }
      double[][] cols = {s.open, s.high, s.low, s.close, s.volume, s.transactions};
      for (int c = 0; c < cols.length; c++) {
        out.put(BAR_FIELDS.get(c), cols[c]);
      }
      return out;
    }

    /** Warnings: big moves and volume jumps (stocks), sessions without a bar inside the span, bad factors. */
    private void health(Map<String, double[]> x) {
      double[] close = x.get("close");
      double[] volume = x.get("volume");
      double[] factor = x.get("factor");
      Path file = dir.resolve("close" + suffix);
      int prev = -1;
      for (int k = 0; k < length; k++) {
        if (Double.isNaN(close[k])) {
          continue;
        }
        if (factor != null && !(factor[k] > 0)) {
          problem(Check.FACTOR, dir.resolve("factor" + suffix), instrument, slot(first + k),
              "the recomputed factor is " + factor[k]);
        }
        if (prev >= 0 && adjusted) {
          double move = close[k] / close[prev] - 1;
          if (Math.abs(move) > settings.maxMove()) {
            problem(Check.PRICE_MOVE, file, instrument, slot(first + k), String.format("adjusted close %.4g -> %.4g"
                + " (%+.1f %%) since %s", close[prev], close[k], 100 * move, slot(first + prev)));
          }
          if (volume[prev] > 0 && volume[k] / volume[prev] > settings.maxVolumeJump()) {
            problem(Check.VOLUME_JUMP, dir.resolve("volume" + suffix), instrument, slot(first + k),
                String.format("volume %.0f -> %.0f (%.1fx) since %s", volume[prev], volume[k],
                    volume[k] / volume[prev], slot(first + prev)));
          }
        }
        int gap = sessionOf[first + k] - (prev < 0 ? sessionOf[first + k] : sessionOf[first + prev]) - 1;
        if (gap > 0) {
          problem(Check.GAP, file, instrument, sessionName(sessionOf[first + prev] + 1),
              gap + " session(s) without a bar, until " + sessionName(sessionOf[first + k] - 1));
        }
        prev = k;
      }
    }
  }

  /** The date of session index {@code s} of the lake. */
  private String sessionName(int s) {
    int k = Arrays.binarySearch(sessionOf, s);
    while (k > 0 && sessionOf[k - 1] == s) {
      k--;
    }
    return LocalDate.ofEpochDay(day(k)).toString();
  }
}
