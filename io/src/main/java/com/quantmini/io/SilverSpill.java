package com.quantmini.io;

import com.quantmini.transforms.Checks;
import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.SessionFeatures;
import com.quantmini.transforms.model.SessionRows;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One bucket's silver rows of a session, kept in a file until the session's file is written: the
 * bars (small) come back onto the heap, the feature columns (the bulk: ~190 per row) are read
 * through a memory map, so writing a session merged from all buckets holds its bars and one slice
 * of features, not every bucket's features at once.
 *
 * <p>Layout: magic, rows, float and double column counts, the metadata's length and the offset of
 * the columns; the metadata (column names, then the bars through their coder); then each float
 * column and each double column, little-endian, {@code rows} values each.
 */
public final class SilverSpill {
  private SilverSpill() {}

  private static final int MAGIC = 0x514d5331; // "QMS1"
  private static final int PROLOGUE = 4 * 5 + 8;
  /** A map covers whole columns, at most this many bytes (one map is limited to 2 GB). */
  private static final long MAP_LIMIT = 1L << 30;

  /** Writes {@code rows} to {@code file} (created, or replaced). */
  public static void write(SessionFeatures rows, Path file) throws IOException {
    ByteArrayOutputStream metaBytes = new ByteArrayOutputStream();
    try (DataOutputStream meta = new DataOutputStream(metaBytes)) {
      for (String n : rows.floatNames()) {
        meta.writeUTF(n);
      }
      for (String n : rows.doubleNames()) {
        meta.writeUTF(n);
      }
      BarBlock.BlockCoder.of().encode(rows.rows(), meta);
    }
    int n = rows.size();
    long columns = align(PROLOGUE + (long) metaBytes.size());
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
      out.writeInt(MAGIC);
      out.writeInt(n);
      out.writeInt(rows.floatNames().size());
      out.writeInt(rows.doubleNames().size());
      out.writeInt(metaBytes.size());
      out.writeLong(columns);
      metaBytes.writeTo(out);
      out.write(new byte[(int) (columns - PROLOGUE - metaBytes.size())]);
      ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
      for (float[] col : rows.floats()) {
        for (float v : col) {
          if (buf.remaining() < Float.BYTES) {
            flush(buf, out);
          }
          buf.putFloat(v);
        }
      }
      for (double[] col : rows.doubles()) {
        for (double v : col) {
          if (buf.remaining() < Double.BYTES) {
            flush(buf, out);
          }
          buf.putDouble(v);
        }
      }
      flush(buf, out);
    }
  }

  /** The part a file holds; its feature values stay in the file. */
  public static SessionRows.Part open(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(PROLOGUE);
      readFully(ch, head, 0);
      head.flip();
      Checks.checkArgument(head.getInt() == MAGIC, "%s is not a silver spill file", file);
      int n = head.getInt();
      int nf = head.getInt();
      int nd = head.getInt();
      int metaLength = head.getInt();
      long columns = head.getLong();
      ByteBuffer metaBytes = ByteBuffer.allocate(metaLength);
      readFully(ch, metaBytes, PROLOGUE);
      List<String> floatNames = new ArrayList<>();
      List<String> doubleNames = new ArrayList<>();
      BarBlock rows;
      try (DataInputStream meta = new DataInputStream(new ByteArrayInputStream(metaBytes.array()))) {
        for (int i = 0; i < nf; i++) {
          floatNames.add(meta.readUTF());
        }
        for (int i = 0; i < nd; i++) {
          doubleNames.add(meta.readUTF());
        }
        rows = BarBlock.BlockCoder.of().decode(meta);
      }
      Checks.checkArgument(rows.size() == n, "%s: %s rows in its header, %s in its bars", file, n, rows.size());
      long expected = columns + (long) n * (nf * Float.BYTES + nd * Double.BYTES);
      Checks.checkArgument(ch.size() == expected, "%s is %s bytes, expected %s (cut short?)", file, ch.size(),
          expected);
      return new Mapped(ch, rows, floatNames, doubleNames, columns);
    }
  }

  private static long align(long offset) {
    return (offset + 7) & ~7L;
  }

  private static void flush(ByteBuffer buf, OutputStream out) throws IOException {
    out.write(buf.array(), 0, buf.position());
    buf.clear();
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long at = position;
    while (buf.hasRemaining()) {
      int r = ch.read(buf, at);
      if (r < 0) {
        throw new IOException("unexpected end of file at byte " + at);
      }
      at += r;
    }
  }

  /** Columns read through maps of whole columns; a map stays valid after its channel is closed. */
  private static final class Mapped implements SessionRows.Part {
    private final BarBlock rows;
    private final List<String> floatNames;
    private final List<String> doubleNames;
    private final ByteBuffer[] floatMap;
    private final int[] floatOffset;
    private final ByteBuffer[] doubleMap;
    private final int[] doubleOffset;
    /** Each column as a buffer of its own, for bulk reads (made on first use). */
    private final FloatBuffer[] floatView;
    private final DoubleBuffer[] doubleView;

    Mapped(FileChannel ch, BarBlock rows, List<String> floatNames, List<String> doubleNames, long columns)
        throws IOException {
      this.rows = rows;
      this.floatNames = List.copyOf(floatNames);
      this.doubleNames = List.copyOf(doubleNames);
      int n = rows.size();
      int nf = floatNames.size();
      int nd = doubleNames.size();
      floatMap = new ByteBuffer[nf];
      floatOffset = new int[nf];
      doubleMap = new ByteBuffer[nd];
      doubleOffset = new int[nd];
      floatView = new FloatBuffer[nf];
      doubleView = new DoubleBuffer[nd];
      long[] start = new long[nf + nd];
      long[] length = new long[nf + nd];
      long at = columns;
      for (int c = 0; c < nf + nd; c++) {
        start[c] = at;
        length[c] = (long) n * (c < nf ? Float.BYTES : Double.BYTES);
        at += length[c];
      }
      // Whole columns per map, each map at most MAP_LIMIT bytes (a column alone may be larger).
      for (int c = 0; c < nf + nd; ) {
        int last = c;
        while (last + 1 < nf + nd && start[last + 1] + length[last + 1] - start[c] <= MAP_LIMIT) {
          last++;
        }
        long size = start[last] + length[last] - start[c];
        MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, start[c], size);
        ByteBuffer ordered = map.order(ByteOrder.LITTLE_ENDIAN);
        for (int k = c; k <= last; k++) {
          int offset = (int) (start[k] - start[c]);
          if (k < nf) {
            floatMap[k] = ordered;
            floatOffset[k] = offset;
          } else {
            doubleMap[k - nf] = ordered;
            doubleOffset[k - nf] = offset;
          }
        }
        c = last + 1;
      }
    }

    @Override
    public BarBlock rows() {
      return rows;
    }

    @Override
    public List<String> floatNames() {
      return floatNames;
    }

    @Override
    public List<String> doubleNames() {
      return doubleNames;
    }

    @Override
    public float floatAt(int f, int row) {
      return floatMap[f].getFloat(floatOffset[f] + row * Float.BYTES);
    }

    @Override
    public double doubleAt(int d, int row) {
      return doubleMap[d].getDouble(doubleOffset[d] + row * Double.BYTES);
    }

    @Override
    public void floats(int f, int from, int n, float[] dst) {
      floatView(f).get(from, dst, 0, n);
    }

    @Override
    public void doubles(int d, int from, int n, double[] dst) {
      doubleView(d).get(from, dst, 0, n);
    }

    private FloatBuffer floatView(int f) {
      if (floatView[f] == null) {
        floatView[f] = floatMap[f].slice(floatOffset[f], rows.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer();
      }
      return floatView[f];
    }

    private DoubleBuffer doubleView(int d) {
      if (doubleView[d] == null) {
        doubleView[d] = doubleMap[d].slice(doubleOffset[d], rows.size() * Double.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
      }
      return doubleView[d];
    }
  }
}
