package com.quantmini.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class QlibBinTest {

  private static String hex(byte[] b) {
    return HexFormat.ofDelimiter(" ").formatHex(b);
  }

  private static long ny(String local) {
    return LocalDateTime.parse(local).atZone(ZoneId.of("America/New_York")).toEpochSecond() * 1_000_000_000L;
  }

  @Test
  void writesTheStartSlotAsLittleEndianFloat32() {
    assertThat(hex(QlibBin.fieldFile(5, new double[0])), equalTo("00 00 a0 40"));
    assertThat(hex(QlibBin.fieldFile(0, new double[0])), equalTo("00 00 00 00"));
    assertThat(hex(QlibBin.fieldFile(1258, new float[0])), equalTo("00 40 9d 44"));
  }

  @Test
  void writesNanAsTheQuietNanOfDumpBin() {
    assertThat(hex(QlibBin.fieldFile(5, new double[] {Double.NaN, 1.0})),
        equalTo("00 00 a0 40 00 00 c0 7f 00 00 80 3f"));
    float oddNan = Float.intBitsToFloat(0x7fc00001);
    assertThat(hex(QlibBin.fieldFile(0, new float[] {oddNan})), equalTo("00 00 00 00 00 00 c0 7f"));
  }

  @Test
  void castsValuesToFloat32() {
    byte[] b = QlibBin.fieldFile(2, new double[] {123_456_789.0, 470.94, -0.0});
    ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.length, equalTo(16));
    assertThat(buf.getFloat(0), equalTo(2.0f));
    assertThat(buf.getFloat(4), equalTo(123_456_792.0f));
    assertThat(buf.getFloat(8), equalTo(470.94f));
    assertThat(Float.floatToRawIntBits(buf.getFloat(12)), equalTo(0x80000000));
  }

  @Test
  void formatsDailySlotsAsIsoDates() {
    assertThat(QlibBin.formatSlot(LocalDate.parse("2024-01-02").toEpochDay(), true), equalTo("2024-01-02"));
    assertThat(QlibBin.formatSlot(0, true), equalTo("1970-01-01"));
  }

  @Test
  void formatsMinuteSlotsInNewYorkTimeInWinterAndSummer() {
    assertThat(QlibBin.formatSlot(ny("2024-01-04T09:30"), false), equalTo("2024-01-04 09:30:00"));
    assertThat(QlibBin.formatSlot(1_704_502_740_000_000_000L, false), equalTo("2024-01-05 19:59:00"));
    assertThat(QlibBin.formatSlot(ny("2023-03-27T15:59"), false), equalTo("2023-03-27 15:59:00"));
    assertThat(QlibBin.formatSlot(1_680_033_600_000_000_000L, false), equalTo("2023-03-28 16:00:00"));
  }
}
