package com.quantmini.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The bytes of Qlib's on-disk format (see the spec in the project README): a field file is
 * little-endian float32, element 0 the calendar slot of the first value, then one value per slot.
 */
public final class QlibBin {
  private QlibBin() {}

  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** Field file content: header slot, then {@code values} cast to float32 (NaN stays NaN). */
  public static byte[] fieldFile(int startSlot, double[] values) {
    ByteBuffer buf = ByteBuffer.allocate(4 * (values.length + 1)).order(ByteOrder.LITTLE_ENDIAN);
    buf.putFloat(startSlot);
    for (double v : values) {
      buf.putFloat(Double.isNaN(v) ? Float.NaN : (float) v);
    }
    return buf.array();
  }

  /** Field file content from values already in float32. */
  public static byte[] fieldFile(int startSlot, float[] values) {
    ByteBuffer buf = ByteBuffer.allocate(4 * (values.length + 1)).order(ByteOrder.LITTLE_ENDIAN);
    buf.putFloat(startSlot);
    for (float v : values) {
      buf.putFloat(Float.isNaN(v) ? Float.NaN : v);
    }
    return buf.array();
  }

  /** How a calendar slot time is printed: YYYY-MM-DD (daily) or New York YYYY-MM-DD HH:MM:SS. */
  public static String formatSlot(long time, boolean daily) {
    if (daily) {
      return LocalDate.ofEpochDay(time).toString();
    }
    Instant t = Instant.ofEpochSecond(Math.floorDiv(time, 1_000_000_000L));
    return LocalDateTime.ofInstant(t, NEW_YORK).format(MINUTE);
  }
}
