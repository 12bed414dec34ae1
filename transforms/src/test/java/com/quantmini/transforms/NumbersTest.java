package com.quantmini.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NumbersTest {

  private static double parse(String s) throws Numbers.NotANumber {
    byte[] b = (" " + s + " ").getBytes(StandardCharsets.ISO_8859_1);
    return Numbers.parseDouble(b, 1, b.length - 1); // offsets inside a larger buffer
  }

  private static long parseLong(String s) throws Numbers.NotANumber {
    byte[] b = ("," + s + ",").getBytes(StandardCharsets.ISO_8859_1);
    return Numbers.parseLong(b, 1, b.length - 1);
  }

  private static void assertBitExact(String s) throws Numbers.NotANumber {
    assertThat(s, Double.doubleToRawLongBits(parse(s)),
        equalTo(Double.doubleToRawLongBits(Double.parseDouble(s))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"9", "0", "0.16", "26.7662", "62.565", "0.0001", "123456789.1234",
      "58414460.7", "3012345678", "0.1", "0.2", "0.3", "1.005", "470.94", "-1.5", "+2.25", "1.",
      ".5", "007.50", "0.000000000000000000001", "0.0000000000000000000000001",
      "1.2345678901234567", "9007199254740993", "12345678901234567890", "0.30000000000000004",
      "123456789012345.6", "999999999999999", "1e5", "1E-7", "2.5e+10", "-0", "-0.0",
      "4.9e-324", "1.7976931348623157e308", "100000000000000000000000"})
  void parsesLikeDoubleParseDoubleBitForBit(String s) throws Numbers.NotANumber {
    assertBitExact(s);
  }

  @Test
  void keepsTheSignOfNegativeZero() throws Numbers.NotANumber {
    assertThat(Double.doubleToRawLongBits(parse("-0")), equalTo(Double.doubleToRawLongBits(-0.0)));
  }

  @Test
  void matchesDoubleParseDoubleOnARandomSweepOfShortDecimals() throws Numbers.NotANumber {
    Random r = new Random(20240102L);
    for (int n = 0; n < 100_000; n++) {
      int decimals = 1 + r.nextInt(8);
      long intPart = r.nextInt(4) == 0 ? r.nextInt(10) : (long) (r.nextDouble() * Math.pow(10, r.nextInt(10)));
      StringBuilder frac = new StringBuilder();
      for (int k = 0; k < decimals; k++) {
        frac.append((char) ('0' + r.nextInt(10)));
      }
      assertBitExact(intPart + "." + frac);
    }
  }

  @Test
  void mapsInfinityAndNanSpellingsToNonFiniteValues() throws Numbers.NotANumber {
    assertThat(parse("inf"), equalTo(Double.POSITIVE_INFINITY));
    assertThat(parse("-inf"), equalTo(Double.NEGATIVE_INFINITY));
    assertThat(parse("Infinity"), equalTo(Double.POSITIVE_INFINITY));
    assertThat(Double.isNaN(parse("NaN")), equalTo(true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-", "+", ".", "abc", "1.2.3", "1,5", "12a", "1d", "2f", "0x1p3"})
  void rejectsTextThatIsNotADecimalNumber(String s) {
    assertThrows(Numbers.NotANumber.class, () -> parse(s));
  }

  @Test
  void parsesNineteenDigitNanosecondTimestamps() throws Numbers.NotANumber {
    assertThat(parseLong("1704171600000000000"), equalTo(1_704_171_600_000_000_000L));
    assertThat(parseLong("9223372036854775807"), equalTo(Long.MAX_VALUE));
    assertThat(parseLong("-42"), equalTo(-42L));
    assertThat(parseLong("0"), equalTo(0L));
  }

  @ParameterizedTest
  @ValueSource(strings = {"9223372036854775808", "9999999999999999999", "12345678901234567890",
      "", "-", "1.0", "1e9", "12 "})
  void rejectsIntegersThatOverflowOrAreNotPlainDigits(String s) {
    assertThrows(Numbers.NotANumber.class, () -> parseLong(s));
  }
}
