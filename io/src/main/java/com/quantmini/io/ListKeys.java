package com.quantmini.io;

import static com.quantmini.transforms.Checks.checkArgument;

import com.quantmini.transforms.ShardedGroupByKey;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.FileKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.FluentBackoff;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the day files of the chosen datasets under an input root (a local folder or an
 * {@code s3://bucket/prefix}) through Beam's FileSystems, keeps those whose session lies in
 * [from, to], and spreads them so several files are read at once. Objects that do not fit the
 * {@code <prefix>/YYYY/MM/YYYY-MM-DD.csv.gz} layout are counted and skipped; sessions the NYSE
 * calendar expects but the source lacks are counted and logged, not treated as errors.
 */
public final class ListKeys extends PTransform<PBegin, PCollection<FileKey>> {
  private static final Logger LOG = LoggerFactory.getLogger(ListKeys.class);
  private static final int LIST_ATTEMPTS = 3;
  private static final FluentBackoff LIST_BACKOFF = Retries.backoff(LIST_ATTEMPTS, Duration.millis(500));
  private static final Pattern LAYOUT =
      Pattern.compile("(\\d{4})/(\\d{2})/((\\d{4})-(\\d{2})-(\\d{2}))\\.csv\\.gz");

  private final String root;
  private final List<Dataset> datasets;
  private final String from;
  private final String to;
  private final String cacheDir;

  private ListKeys(String root, List<Dataset> datasets, String from, String to, String cacheDir) {
    this.root = root;
    this.datasets = datasets;
    this.from = from;
    this.to = to;
    this.cacheDir = cacheDir;
  }

  /**
   * Remembers local files' checksums in {@code dir} ({@link ChecksumCache}), so a listing reads
   * only the files that are new or changed since.
   */
  public ListKeys withChecksumCache(String dir) {
    return new ListKeys(root, datasets, from, to, dir);
  }

  /** {@code from}/{@code to} are inclusive ISO dates; null means unbounded. */
  public static ListKeys under(String root, List<Dataset> datasets, LocalDate from, LocalDate to) {
    checkArgument(!datasets.isEmpty(), "at least one dataset must be chosen");
    checkArgument(from == null || to == null || !from.isAfter(to),
        "--from %s is after --to %s", from, to);
    String r = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    return new ListKeys(r, List.copyOf(datasets), from == null ? null : from.toString(),
        to == null ? null : to.toString(), null);
  }

  @Override
  public PCollection<FileKey> expand(PBegin input) {
    List<String> names = new ArrayList<>();
    datasets.forEach(d -> names.add(d.name()));
    PCollection<FileKey> keys = input.apply("Datasets", Create.of(names))
        .apply("Match", ParDo.of(new MatchFn(root, from, to, cacheDir)));
    Coder<FileKey> coder;
    try {
      coder = input.getPipeline().getSchemaRegistry().getSchemaCoder(FileKey.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    keys.setCoder(coder);
    // Files are read in parallel: on a cluster each in a bundle of its own, on the Direct runner a
    // few per bundle (a bundle's fixed cost there exceeded reading a daily file).
    return keys
        .apply("KeyByFile", WithKeys.of(FileKey::getKey).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), coder))
        .apply("SpreadFiles", ShardedGroupByKey.create())
        .apply("Files", Values.create())
        .apply("OnePerElement", Flatten.iterables());
  }

  /**
   * The keys (with their sizes) of the chosen datasets' files in [from, to] by session (sorted): a plain listing, for
   * the launcher to cut a long range into runs.
   */
  public static SortedMap<String, Map<String, Long>> keysBySession(String root, List<Dataset> datasets,
      LocalDate from, LocalDate to) throws IOException {
    String r = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    SortedMap<String, Map<String, Long>> out = new TreeMap<>();
    for (Dataset d : datasets) {
      for (Listed l : MatchFn.list(r, d, from == null ? null : from.toString(), to == null ? null : to.toString(), null)) {
        out.computeIfAbsent(l.session, k -> new TreeMap<>())
            .put(d.prefix() + "/" + l.path, l.metadata.sizeBytes());
      }
    }
    return out;
  }

  /** One listed file: its session, its path below the dataset prefix, and what the store reports. */
  static final class Listed {
    final String session;
    final String path;
    final MatchResult.Metadata metadata;

    Listed(String session, String path, MatchResult.Metadata metadata) {
      this.session = session;
      this.path = path;
      this.metadata = metadata;
    }
  }

  /** Matches one dataset's files; runs on a worker, so listing works the same on every runner. */
  static final class MatchFn extends DoFn<String, FileKey> {
    private final Counter listed = Metrics.counter(ListKeys.class, "keysListed");
    private final Counter ignored = Metrics.counter(ListKeys.class, "keysIgnored");
    private final Counter missing = Metrics.counter(ListKeys.class, "sessionsMissing");
    private final Counter checksummed = Metrics.counter(ListKeys.class, "localFilesChecksummed");
    private final Counter remembered = Metrics.counter(ListKeys.class, "localChecksumsRemembered");
    private final String root;
    private final String from;
    private final String to;
    private final String cacheDir;

    MatchFn(String root, String from, String to, String cacheDir) {
      this.root = root;
      this.from = from;
      this.to = to;
      this.cacheDir = cacheDir;
    }

    @ProcessElement
    public void process(@Element String datasetName, OutputReceiver<FileKey> out)
        throws IOException {
      Dataset dataset = Dataset.valueOf(datasetName);
      List<String> found = new ArrayList<>();
      ChecksumCache cache = cacheDir == null ? null : ChecksumCache.load(ChecksumCache.path(cacheDir, datasetName));
      for (Listed l : list(root, dataset, from, to, ignored)) {
        listed.inc();
        found.add(l.session);
        MatchResult.Metadata md = l.metadata;
        String etag = md.checksum() != null ? md.checksum()
            : cache == null ? localChecksum(md)
            : cache.checksum(md.resourceId().toString(), md.sizeBytes(), md.lastModifiedMillis(), () -> localChecksum(md));
        out.output(FileKey.of(dataset, dataset.prefix() + "/" + l.path, l.metadata.resourceId().toString(),
            l.session, l.metadata.sizeBytes(), etag));
      }
      if (cache != null) {
        checksummed.inc(cache.computed());
        remembered.inc(cache.reused());
        cache.saveIfChanged();
      }
      List<LocalDate> gaps = MissingSessions.find(found, from, to);
      if (!gaps.isEmpty()) {
        missing.inc(gaps.size());
        LOG.warn("{}: {} session(s) the NYSE calendar expects are missing in the source: {}",
            dataset, gaps.size(), MissingSessions.describe(gaps, 12));
      }
    }

    /** A content checksum for filesystems that report none (local folders): CRC32C of the bytes. */
    private static String localChecksum(MatchResult.Metadata md) throws IOException {
      CRC32C crc = new CRC32C();
      try (InputStream in = Channels.newInputStream(FileSystems.open(md.resourceId()))) {
        byte[] buf = new byte[1 << 16];
        for (int r = in.read(buf); r > 0; r = in.read(buf)) {
          crc.update(buf, 0, r);
        }
      }
      return String.format("crc32c-%08x-%d", crc.getValue(), md.sizeBytes());
    }

    /**
     * Lists a glob, trying {@value #LIST_ATTEMPTS} times with a backoff between: the AWS SDK retries
     * 503s itself but not a listing response cut mid-body ("Could not parse XML response"), and on
     * the Direct runner one exception ends the whole run. A listing that still fails, or comes back
     * as an ERROR result, throws: it must never look like a dataset without files.
     */
    private static MatchResult matchWithRetries(String glob) throws IOException {
      BackOff backoff = LIST_BACKOFF.backoff();
      for (int attempt = 1; ; attempt++) {
        try {
          MatchResult m = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
          if (m.status() == MatchResult.Status.ERROR) {
            m.metadata(); // rethrows the listing's IOException
          }
          return m;
        } catch (IOException e) {
          if (attempt >= LIST_ATTEMPTS) {
            throw e;
          }
          LOG.warn("Listing {} failed on attempt {} of {} ({}); listing again", glob, attempt,
              LIST_ATTEMPTS, e.toString());
          Retries.pause(backoff, "listing " + glob);
        }
      }
    }

    /** Year folders to match: all of them when the range is open, else just those in range. */
    private static List<String> years(String from, String to) {
      List<String> ys = new ArrayList<>();
      if (from == null || to == null) {
        ys.add("");
        return ys;
      }
      for (int y = Integer.parseInt(from.substring(0, 4)); y <= Integer.parseInt(to.substring(0, 4)); y++) {
        ys.add(y + "/");
      }
      return ys;
    }

    /** The dataset's files in the layout with a session in [from, to] (null: open); others are counted in {@code ignored}. */
    static List<Listed> list(String root, Dataset dataset, String from, String to, Counter ignored) throws IOException {
      String base = root + "/" + dataset.prefix() + "/";
      List<Listed> out = new ArrayList<>();
      for (String year : years(from, to)) {
        MatchResult m = matchWithRetries(base + year + "**");
        if (m.status() != MatchResult.Status.OK) {
          continue;
        }
        for (MatchResult.Metadata md : m.metadata()) {
          String resource = md.resourceId().toString();
          int at = resource.lastIndexOf(dataset.prefix() + "/");
          String rest = at < 0 ? "" : resource.substring(at + dataset.prefix().length() + 1);
          Matcher lm = LAYOUT.matcher(rest);
          if (!lm.matches() || !lm.group(1).equals(lm.group(4)) || !lm.group(2).equals(lm.group(5))
              || !validDate(lm.group(3))) {
            if (ignored != null) {
              ignored.inc();
              LOG.info("Ignoring {}: not in the <prefix>/YYYY/MM/YYYY-MM-DD.csv.gz layout", resource);
            }
            continue;
          }
          String session = lm.group(3);
          if ((from == null || session.compareTo(from) >= 0) && (to == null || session.compareTo(to) <= 0)) {
            out.add(new Listed(session, rest, md));
          }
        }
      }
      return out;
    }

    private static boolean validDate(String iso) {
      try {
        LocalDate.parse(iso);
        return true;
      } catch (DateTimeParseException e) {
        return false;
      }
    }
  }
}
