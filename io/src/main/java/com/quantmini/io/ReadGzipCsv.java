package com.quantmini.io;

import com.quantmini.transforms.StepClock;
import com.quantmini.transforms.model.CsvChunk;
import com.quantmini.transforms.model.DeadLetter;
import com.quantmini.transforms.model.FileKey;
import com.quantmini.transforms.model.Reason;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.FluentBackoff;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams each gzip CSV file into chunks of whole lines (a few MB each, so no file is ever held
 * whole), finds the columns by header name, and ends every file that was read to its end with an
 * end marker. A file with a missing required column or a corrupt gzip stream goes to
 * {@link #FAILED} as one record and gets no end marker, so none of its rows reach the lake.
 * Other I/O errors (a connection dropped mid-body) re-read the file from the start after a backoff,
 * up to {@value #READ_ATTEMPTS} attempts in all, then are thrown.
 */
public final class ReadGzipCsv extends PTransform<PCollection<FileKey>, PCollectionTuple> {
  private static final Logger LOG = LoggerFactory.getLogger(ReadGzipCsv.class);
  public static final TupleTag<CsvChunk> CHUNKS = new TupleTag<CsvChunk>() {};
  public static final TupleTag<DeadLetter> FAILED = new TupleTag<DeadLetter>() {};

  static final int DEFAULT_CHUNK_BYTES = 4 << 20;
  static final int READ_ATTEMPTS = 3;
  private static final FluentBackoff READ_BACKOFF = Retries.backoff(READ_ATTEMPTS, Duration.millis(500));
  private final int chunkBytes;

  private ReadGzipCsv(int chunkBytes) {
    this.chunkBytes = chunkBytes;
  }

  public static ReadGzipCsv create() {
    return new ReadGzipCsv(DEFAULT_CHUNK_BYTES);
  }

  /** Smaller chunks, for tests that want a file split across several elements. */
  public ReadGzipCsv withChunkBytes(int bytes) {
    return new ReadGzipCsv(bytes);
  }

  @Override
  public PCollectionTuple expand(PCollection<FileKey> files) {
    PCollectionTuple out = files.apply("ReadChunks",
        ParDo.of(new ReadFn(chunkBytes)).withOutputTags(CHUNKS, TupleTagList.of(FAILED)));
    out.get(CHUNKS).setCoder(CsvChunk.ChunkCoder.of());
    DeadLetter.withCoder(out.get(FAILED));
    return out;
  }

  /** Thrown when the header does not name every required column. */
  static final class BadHeader extends Exception {
    final Reason reason;

    BadHeader(Reason reason, String message) {
      super(message);
      this.reason = reason;
    }
  }

  /**
   * Maps canonical columns to header positions. Names are matched case-insensitively after
   * trimming; only transactions may be absent.
   */
  static int[] columns(String header) throws BadHeader {
    String[] names = header.split(",", -1);
    int[] cols = new int[CsvChunk.COLUMNS.length];
    Arrays.fill(cols, -1);
    for (int i = 0; i < names.length; i++) {
      String n = names[i].trim().toLowerCase();
      for (int c = 0; c < CsvChunk.COLUMNS.length; c++) {
        if (CsvChunk.COLUMNS[c].equals(n) && cols[c] < 0) {
          cols[c] = i;
        }
      }
    }
    for (int c = 0; c < cols.length; c++) {
      if (cols[c] < 0 && c != CsvChunk.TRANSACTIONS) {
        throw new BadHeader(Reason.MISSING_COLUMN,
            "header lacks required column '" + CsvChunk.COLUMNS[c] + "': " + header);
      }
    }
    return cols;
  }

  /** Counter of the listed size of the files read or rejected so far (the progress line's done). */
  public static final String LISTED_BYTES_DONE = "listedBytesDone";

  static final class ReadFn extends DoFn<FileKey, CsvChunk> {
    private final Counter filesRead = Metrics.counter(ReadGzipCsv.class, "filesRead");
    private final Counter filesRejected = Metrics.counter(ReadGzipCsv.class, "filesRejected");
    private final Counter bytesRead = Metrics.counter(ReadGzipCsv.class, "bytesInflated");
    private final Counter linesRead = Metrics.counter(ReadGzipCsv.class, "linesRead");
    private final Counter readRetries = Metrics.counter(ReadGzipCsv.class, "readRetries");
    private final Counter listedBytesDone = Metrics.counter(ReadGzipCsv.class, LISTED_BYTES_DONE);
    private final int chunkBytes;

    ReadFn(int chunkBytes) {
      this.chunkBytes = chunkBytes;
    }

    private final Distribution micros = Metrics.distribution(ReadGzipCsv.class, "readMicros");

    /**
     * Reads the file, re-reading it from the start after a transport error. Why here and not the
     * runner: S3 (or any remote store) can drop a connection while we stream the body, which the
     * AWS SDK cannot retry once it has handed us the stream. Flink would restart the job, but the
     * Direct runner fails the whole pipeline on the first exception, so one dropped connection
     * out of thousands of GETs would end a long run. Chunks already output by a failed attempt
     * stay output, so a retry skips as many chunks as were emitted (reading is deterministic;
     * each skipped chunk is checked by CRC against the one emitted, so an object replaced
     * meanwhile fails instead of mixing versions). Data errors (corrupt gzip, bad header) are
     * never retried; after {@value #READ_ATTEMPTS} attempts the error is thrown and the run fails.
     */
    @ProcessElement
    public void process(@Element FileKey file, MultiOutputReceiver out) throws IOException {
      StepClock.micros(micros, () -> doProcess(file, out));
      listedBytesDone.inc(file.getSizeBytes());
    }

    private void doProcess(FileKey file, MultiOutputReceiver out) throws IOException {
      List<Long> emitted = new ArrayList<>();
      BackOff backoff = READ_BACKOFF.backoff();
      for (int attempt = 1; ; attempt++) {
        ChunkOut chunks = new ChunkOut(out, emitted);
        CountingInputStream raw = null;
        try (InputStream in = Channels.newInputStream(
                FileSystems.open(FileSystems.matchNewResource(file.getResource(), false)))) {
          raw = new CountingInputStream(in);
          read(file, new GZIPInputStream(raw, 1 << 16), chunks);
          return;
        } catch (ZipException | EOFException e) {
          if (raw != null && file.getSizeBytes() > 0 && raw.count < file.getSizeBytes()
              && attempt < READ_ATTEMPTS) {
            // the stream ended before the listed size: the transport cut it, not the file
            retry(file, attempt, e, backoff);
            continue;
          }
          // Corrupt or truncated data is a property of the file: retrying cannot help.
          reject(file, Reason.CORRUPT_GZIP, "gzip stream is corrupt or truncated: " + e.getMessage(), out);
          return;
        } catch (BadHeader e) {
          reject(file, e.reason, e.getMessage(), out);
          return;
        } catch (IOException e) {
          if (attempt >= READ_ATTEMPTS) {
            throw new IOException("reading " + file.getKey() + " failed " + attempt + " times", e);
          }
          retry(file, attempt, e, backoff);
        }
      }
    }

    private void retry(FileKey file, int attempt, IOException e, BackOff backoff) throws IOException {
      readRetries.inc();
      LOG.warn("Reading {} failed on attempt {} of {} ({}); reading it again from the start",
          file.getKey(), attempt, READ_ATTEMPTS, e.toString());
      Retries.pause(backoff, "reading " + file.getKey());
    }

    private void reject(FileKey file, Reason reason, String detail, MultiOutputReceiver out) {
      filesRejected.inc();
      LOG.error("Rejected {} whole: {}", file.getKey(), detail);
      out.get(FAILED).output(DeadLetter.of(file, 0, reason, detail, ""));
    }

    private void read(FileKey file, InputStream in, ChunkOut out)
        throws IOException, BadHeader {
      byte[] buf = new byte[chunkBytes + (1 << 16)];
      int len = 0;
      int want = chunkBytes; // read this much before cutting; grows while no line end is found
      int[] cols = null;
      int columnCount = 0;
      int nextLine = 2; // the header is line 1
      int total = 0;
      boolean eof = false;
      while (!eof || len > 0) {
        if (!eof && len < want) {
          if (want > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(want, buf.length * 2));
          }
          int r = in.read(buf, len, want - len);
          if (r < 0) {
            eof = true;
          } else {
            len += r;
            bytesRead.inc(r);
          }
          continue;
        }
        if (cols == null) {
          int nl = indexOf(buf, 0, len, (byte) '\n');
          if (nl < 0 && !eof) {
            want = len + chunkBytes; // a header longer than a chunk
            continue;
          }
          int hend = nl < 0 ? len : nl;
          String header = new String(buf, 0, hend, StandardCharsets.UTF_8).replace("\r", "")
              .replace("\uFEFF", "");
          if (header.isBlank()) {
            throw new BadHeader(Reason.EMPTY_FILE, "file has no header line");
          }
          cols = columns(header);
          columnCount = header.split(",", -1).length;
          int consumed = nl < 0 ? len : nl + 1;
          System.arraycopy(buf, consumed, buf, 0, len - consumed);
          len -= consumed;
          want = chunkBytes;
          continue;
        }
        // Emit every complete line; at end of file the unterminated tail is a line too.
        int cut = eof ? len : lastIndexOf(buf, len, (byte) '\n') + 1;
        if (cut <= 0) {
          want = len + chunkBytes; // a single line longer than a chunk
          continue;
        }
        byte[] data = Arrays.copyOf(buf, cut);
        int lines = countLines(data);
        out.output(CsvChunk.data(file, nextLine, lines, data, cols, columnCount), data);
        nextLine += lines;
        total += lines;
        System.arraycopy(buf, cut, buf, 0, len - cut);
        len -= cut;
        want = chunkBytes;
      }
      if (cols == null) {
        throw new BadHeader(Reason.EMPTY_FILE, "file has no header line");
      }
      filesRead.inc();
      linesRead.inc(total);
      out.output(CsvChunk.last(file, total, cols, columnCount), new byte[0]);
    }

    /** Outputs chunks, skipping (and checking) those an earlier attempt already output. */
    private static final class ChunkOut {
      private final MultiOutputReceiver out;
      private final List<Long> emitted;
      private int index;

      ChunkOut(MultiOutputReceiver out, List<Long> emitted) {
        this.out = out;
        this.emitted = emitted;
      }

      void output(CsvChunk chunk, byte[] data) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(data);
        if (index < emitted.size()) {
          if (emitted.get(index) != crc.getValue()) {
            throw new IOException("the object changed between read attempts (chunk " + index + " differs)");
          }
        } else {
          out.get(CHUNKS).output(chunk);
          emitted.add(crc.getValue());
        }
        index++;
      }
    }

    private static final class CountingInputStream extends FilterInputStream {
      long count;

      CountingInputStream(InputStream in) {
        super(in);
      }

      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          count++;
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int r = super.read(b, off, len);
        if (r > 0) {
          count += r;
        }
        return r;
      }
    }

    private static int countLines(byte[] data) {
      int n = 0;
      for (byte b : data) {
        if (b == '\n') {
          n++;
        }
      }
      return data.length > 0 && data[data.length - 1] != '\n' ? n + 1 : n;
    }

    private static int indexOf(byte[] b, int from, int to, byte x) {
      for (int i = from; i < to; i++) {
        if (b[i] == x) {
          return i;
        }
      }
      return -1;
    }

    private static int lastIndexOf(byte[] b, int to, byte x) {
      for (int i = to - 1; i >= 0; i--) {
        if (b[i] == x) {
          return i;
        }
      }
      return -1;
    }
  }
}
