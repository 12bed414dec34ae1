package com.quantmini.pipeline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads Qlib's files the way Qlib does (shared/spec/qlib-binary-format.md), for assertions. */
final class QlibReader {
  private final Path root;
  final List<String> calendar;

  QlibReader(Path root, String freq) throws IOException {
    this.root = root;
    this.calendar = Files.readAllLines(root.resolve("calendars/" + freq + ".txt"));
  }

  /** all.txt as instrument → {start, end}. */
  Map<String, String[]> instruments() throws IOException {
    Map<String, String[]> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(root.resolve("instruments/all.txt"))) {
      String[] f = line.split("\t");
      out.put(f[0], new String[] {f[1], f[2]});
    }
    return out;
  }

  /** A field series as calendar date → float value (the file's slots only). */
  Map<String, Float> series(String dir, String file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(root.resolve("features/" + dir + "/" + file)))
        .order(ByteOrder.LITTLE_ENDIAN);
    int start = (int) b.getFloat();
    Map<String, Float> out = new LinkedHashMap<>();
    for (int slot = start; b.hasRemaining(); slot++) {
      out.put(calendar.get(slot), b.getFloat());
    }
    return out;
  }

  /** A file's values after its header, in slot order. */
  float[] values(String dir, String file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(root.resolve("features/" + dir + "/" + file)))
        .order(ByteOrder.LITTLE_ENDIAN);
    b.getFloat();
    float[] out = new float[b.remaining() / 4];
    for (int k = 0; k < out.length; k++) {
      out[k] = b.getFloat();
    }
    return out;
  }

  int headerSlot(String dir, String file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(root.resolve("features/" + dir + "/" + file)))
        .order(ByteOrder.LITTLE_ENDIAN);
    return (int) b.getFloat();
  }
}
