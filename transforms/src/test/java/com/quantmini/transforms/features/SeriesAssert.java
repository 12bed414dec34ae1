package com.quantmini.transforms.features;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

/** Element-by-element series assertions: NaN and ±inf must match exactly, finite values within a relative tolerance. */
final class SeriesAssert {
  static final double NAN = Double.NaN;
  static final double INF = Double.POSITIVE_INFINITY;

  private SeriesAssert() {}

  static void assertSeries(String what, double[] actual, double... expected) {
    assertThat(what + " length", actual.length, is(expected.length));
    for (int i = 0; i < expected.length; i++) {
      assertValue(what + " [" + i + "]", actual[i], expected[i], 1e-5);
    }
  }

  static void assertSeries(String what, float[] actual, double... expected) {
    double[] wide = new double[actual.length];
    for (int i = 0; i < actual.length; i++) {
      wide[i] = actual[i];
    }
    assertSeries(what, wide, expected);
  }

  static void assertValue(String what, double actual, double expected, double relTol) {
    if (Double.isNaN(expected) || Double.isInfinite(expected)) {
      assertThat(what, actual, is(expected));
    } else {
      assertThat(what, actual, closeTo(expected, Math.max(relTol * Math.abs(expected), 1e-12)));
    }
  }

  static float[] f(double... values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }
}
