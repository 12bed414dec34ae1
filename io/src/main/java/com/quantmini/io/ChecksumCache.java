package com.quantmini.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * The checksums of a dataset's local input files, remembered by path, size and modification time,
 * so a listing reads only files that are new or changed. A local folder reports no ETag, and
 * without this every {@code run} over years of minute files read them all (tens of GB) only to
 * find them processed. It is a cache, not a record: losing it costs one read of each file, and a
 * stale line can only match a file whose size and modification time are both unchanged.
 * Lines: path, size, modified (ms), checksum.
 */
final class ChecksumCache {
  private static final String HEADER = "#quantmini-checksums v1";

  private final String path;
  private final Map<String, String[]> lines = new TreeMap<>();
  private boolean changed;
  private int reused;
  private int computed;

  private ChecksumCache(String path) {
    this.path = path;
  }

  /** Where the cache of {@code dataset} lives under {@code dir}. */
  static String path(String dir, String dataset) {
    return dir + "/" + dataset + ".checksums.tsv";
  }

  /** The cache at {@code path}; empty when there is none or it cannot be read. */
  static ChecksumCache load(String path) {
    ChecksumCache c = new ChecksumCache(path);
    try {
      MatchResult m = FileSystems.match(path, EmptyMatchTreatment.ALLOW);
      if (m.status() != MatchResult.Status.OK || m.metadata().isEmpty()) {
        return c;
      }
      try (InputStream in = Channels.newInputStream(FileSystems.open(m.metadata().get(0).resourceId()))) {
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          String[] f = line.split("\t", -1);
          if (f.length == 4 && !line.startsWith("#")) {
            c.lines.put(f[0], f);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      c.lines.clear(); // a damaged cache is a cold one
    }
    return c;
  }

  /** A checksum computation that may fail. */
  interface Checksum {
    String compute() throws IOException;
  }

  /** The remembered checksum when size and modification time match, else a fresh one (remembered). */
  String checksum(String file, long size, long modifiedMillis, Checksum fresh) throws IOException {
    String[] known = lines.get(file);
    if (known != null && known[1].equals(Long.toString(size)) && known[2].equals(Long.toString(modifiedMillis))
        && modifiedMillis > 0) {
      reused++;
      return known[3];
    }
    String sum = fresh.compute();
    lines.put(file, new String[] {file, Long.toString(size), Long.toString(modifiedMillis), sum});
    changed = true;
    computed++;
    return sum;
  }

  int reused() {
    return reused;
  }

  int computed() {
    return computed;
  }

  /** Writes the cache back (atomically) when a checksum was computed. */
  void saveIfChanged() throws IOException {
    if (!changed) {
      return;
    }
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (String[] f : lines.values()) {
      sb.append(String.join("\t", f)).append('\n');
    }
    AtomicFiles.writeString(AtomicFiles.resource(path), sb.toString());
  }
}
