package com.quantmini.transforms.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * What one input file gave a run: its key, size and etag as listed, its data lines, the rows that
 * went to bronze and the rows quarantined. {@link #line()} is the run's ledger line, which the
 * commit merges into the manifest.
 */
public record FileLedger(String source, long size, String etag, long lines, long written, long quarantined) {
  /** The session of the file, from its name ({@code .../YYYY-MM-DD.csv.gz}). */
  public String session() {
    return source.substring(source.lastIndexOf('/') + 1, source.lastIndexOf('/') + 11);
  }

  /** Tab-separated: key, size, etag, lines read, rows written, rows quarantined. */
  public String line() {
    return String.join("\t", source, Long.toString(size), etag, Long.toString(lines), Long.toString(written),
        Long.toString(quarantined));
  }

  public static final class FileLedgerCoder extends AtomicCoder<FileLedger> {
    private static final FileLedgerCoder INSTANCE = new FileLedgerCoder();

    public static FileLedgerCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(FileLedger f, OutputStream out) throws IOException {
      ArrayIo.writeString(out, f.source);
      ArrayIo.writeLongs(out, new long[] {f.size, f.lines, f.written, f.quarantined});
      ArrayIo.writeString(out, f.etag);
    }

    @Override
    public FileLedger decode(InputStream in) throws IOException {
      String source = ArrayIo.readString(in);
      long[] n = ArrayIo.readLongs(in);
      return new FileLedger(source, n[0], ArrayIo.readString(in), n[1], n[2], n[3]);
    }
  }
}
