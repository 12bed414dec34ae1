package com.quantmini.transforms.features;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactTest {
  private static BigInteger big(Exact.I128 x) {
    return BigInteger.valueOf(x.hi).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(x.lo)));
  }

  @Test
  void lowAndHighBitsBracketTheValue() {
    assertThat(Exact.lowBit(1f), is(0));
    assertThat(Exact.lowBit(12f), is(2));
    assertThat(Exact.lowBit(0.375f), is(-3));
    assertThat(Exact.lowBit(-0.375f), is(-3));
    assertThat(Exact.lowBit(Float.MIN_VALUE), is(-149));
    assertThat(Exact.highBit(12f), is(4));
    assertThat(Exact.highBit(16f), is(5));
    long scale = Exact.scale(new float[] {12f, Float.NaN, 0.375f, 0f, Float.POSITIVE_INFINITY}, 0, 5);
    assertThat(Exact.lo(scale), is(-3));
    assertThat(Exact.bits(scale), is(7));
    assertThat(Exact.scaled(12f, -3), is(96L));
  }

  @Test
  void int128MatchesBigIntegerAndRoundsCorrectly() {
    Random rnd = new Random(1);
    Exact.I128 x = new Exact.I128();
    for (int trial = 0; trial < 2000; trial++) {
      x.clear();
      BigInteger expected = BigInteger.ZERO;
      int bits = 1 + rnd.nextInt(60);
      for (int k = 0; k < 60; k++) {
        long a = rnd.nextLong() >> (64 - bits);
        long b = rnd.nextLong() >> (64 - bits);
        if (rnd.nextBoolean()) {
          x.addProduct(a, b);
          expected = expected.add(BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)));
        } else {
          x.subProduct(a, b);
          expected = expected.subtract(BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)));
        }
      }
      long k = rnd.nextInt(61);
      x.multiply(k);
      expected = expected.multiply(BigInteger.valueOf(k));
      assertThat(big(x), is(expected));
      assertThat("toDouble of " + expected, x.toDouble(), is(new BigDecimal(expected).doubleValue()));
    }
  }

  @Test
  void toDoubleRoundsHalfwayCasesToEven() {
    Exact.I128 x = new Exact.I128();
    // 2^64 + 2^11 is halfway between two doubles (spacing 2^12 there): ties go to the even 2^64
    x.hi = 1;
    x.lo = 1L << 11;
    assertThat(x.toDouble(), is(0x1p64));
    // one more unit breaks the tie upwards
    x.lo = (1L << 11) + 1;
    assertThat(x.toDouble(), is(0x1p64 + 0x1p12));
    x.hi = -1;
    x.lo = 0;
    assertThat(x.toDouble(), is(-0x1p64));
  }
}
