package com.quantmini.transforms.features;

import static com.quantmini.transforms.features.SeriesAssert.INF;
import static com.quantmini.transforms.features.SeriesAssert.NAN;
import static com.quantmini.transforms.features.SeriesAssert.assertSeries;
import static com.quantmini.transforms.features.SeriesAssert.f;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The verified Qlib test vectors of the Alpha158 spec, §7 (instrument T, window 3). */
class OpsTest {
  static final float[] CLOSE = f(10, 11, NAN, 13, 12, 12, 9);
  static final float[] VOLUME = f(100, 0, NAN, 0, 80, 120, 60);
  static final float[] HIGH = f(10.5, 11, NAN, 13.5, 12.5, 12, 10);
  static final float[] LOW = f(9.5, 10, NAN, 12, 11.5, 12, 8.5);
  static final float[] OPEN = f(10, 10.5, NAN, 12.5, 12.5, 12, 9.5);

  @Test
  void refShiftsBySlots() {
    assertSeries("Ref($close,1)", Ops.ref(CLOSE, 1), NAN, 10, 11, NAN, 13, 12, 12);
  }

  @Test
  void meanAndSumSkipMissing() {
    assertSeries("Mean($close,3)", Ops.mean(CLOSE, 3), 10, 10.5, 10.5, 12, 12.5, 12.3333, 11);
    assertSeries("Sum($close,3)", Ops.sum(CLOSE, 3), 10, 21, 21, 24, 25, 37, 33);
  }

  @Test
  void stdIsSampleStd() {
    assertSeries("Std($close,3)", Ops.std(CLOSE, 3), NAN, 0.707107, 0.707107, 1.41421, 0.707107, 0.57735, 1.73205);
  }

  @Test
  void maxAndMin() {
    assertSeries("Max($close,3)", Ops.max(CLOSE, 3), 10, 11, 11, 13, 13, 13, 12);
    assertSeries("Min($close,3)", Ops.min(CLOSE, 3), 10, 10, 10, 11, 12, 12, 9);
  }

  @Test
  void quantileInterpolatesLinearly() {
    assertSeries("Quantile($close,3,0.8)", Ops.quantile(CLOSE, 3, 0.8), 10, 10.8, 10.8, 12.6, 12.8, 12.6, 12);
  }

  @Test
  void rankAveragesTies() {
    assertSeries("Rank($close,3)", Ops.rank(CLOSE, 3), 1, 1, NAN, 1, 0.5, 0.5, 0.333333);
  }

  @Test
  void idxMaxAndIdxMinPointAtFirstNan() {
    assertSeries("IdxMax($close,3)", Ops.idxMax(CLOSE, 3), 1, 2, 3, 2, 1, 1, 1);
    assertSeries("IdxMin($close,3)", Ops.idxMin(CLOSE, 3), 1, 1, 3, 2, 1, 2, 3);
  }

  @Test
  void regressionOnFixedPositions() {
    assertSeries("Slope($close,3)", Ops.slope(CLOSE, 3), NAN, 1, 1, 1, -1, -0.5, -1.5);
    assertSeries("Rsquare($close,3)", Ops.rsquare(CLOSE, 3), NAN, 1, 1, 1, 1, 0.75, 0.75);
    assertSeries("Resi($close,3)", Ops.resi(CLOSE, 3), NAN, 0, NAN, 0, 0, 0.166667, -0.5);
  }

  @Test
  void corrMasksConstantSide() {
    assertSeries("Corr($close,$volume,3)", Ops.corr(CLOSE, VOLUME, 3), NAN, -1, -1, NAN, -1, -0.944911, 0.755929);
  }

  @Test
  void comparisonMeanCountsNanAsFalse() {
    float[] prev = Ops.ref(CLOSE, 1);
    float[] up = new float[CLOSE.length];
    for (int i = 0; i < up.length; i++) {
      up[i] = CLOSE[i] > prev[i] ? 1f : 0f;
    }
    assertSeries("Mean($close>Ref($close,1),3)", Ops.mean(up, 3), 0, 0.5, 0.333333, 0.333333, 0, 0, 0);
  }

  @Test
  void elementWiseExpressions() {
    float[] prevClose = Ops.ref(CLOSE, 1);
    float[] prevVolume = Ops.ref(VOLUME, 1);
    int n = CLOSE.length;
    float[] gain = new float[n];
    float[] ratio = new float[n];
    float[] logRatio = new float[n];
    float[] vma = new float[n];
    double[] meanVolume = Ops.mean(VOLUME, 3);
    for (int i = 0; i < n; i++) {
      gain[i] = Alpha158.greater(CLOSE[i] - prevClose[i], 0f);
      ratio[i] = VOLUME[i] / prevVolume[i];
      logRatio[i] = Alpha158.log(ratio[i] + 1f);
      vma[i] = (float) (meanVolume[i] / (VOLUME[i] + 1e-12f));
    }
    assertSeries("Greater($close-Ref($close,1),0)", gain, NAN, 1, NAN, NAN, 0, 0, 0);
    assertSeries("$volume/Ref($volume,1)", ratio, NAN, 0, NAN, NAN, INF, 1.5, 0.5);
    assertSeries("Log($volume/Ref($volume,1)+1)", logRatio, NAN, 0, NAN, NAN, INF, 0.916291, 0.405465);
    assertSeries("Corr($close,Log($volume/Ref($volume,1)+1),3)", Ops.corr(CLOSE, logRatio, 3),
        NAN, NAN, NAN, NAN, NAN, NAN, 1);
    assertSeries("Mean($volume,3)/($volume+1e-12)", vma, 1, 5e13, NAN, 0, 0.5, 0.555556, 1.44444);
  }

  @Test
  void constantWindowHasExactlyZeroStdAfterMovement() {
    float[] x = f(1.1, 7.3, 2.9, 5.5, 5.5, 5.5);
    double[] std = Ops.std(x, 3);
    assertThat(std[5], is(0.0));
    assertThat(Ops.slope(x, 3)[5], is(0.0));
    assertThat(Double.isNaN(Ops.rsquare(x, 3)[5]), is(true));
  }

  @Test
  void infinityIsMissingInPandasWindowsButPoisonsRegression() {
    float[] x = f(1, 2, Float.POSITIVE_INFINITY, 4, 5, 6, 7);
    assertSeries("Mean", Ops.mean(x, 2), 1, 1.5, 2, 4, 4.5, 5.5, 6.5);
    assertSeries("Max", Ops.max(x, 2), 1, 2, 2, 4, 5, 6, 7);
    assertSeries("IdxMax", Ops.idxMax(x, 2), 1, 2, 2, 1, 2, 2, 2);
    assertSeries("Slope", Ops.slope(x, 2), NAN, 1, NAN, NAN, NAN, NAN, NAN);
    assertSeries("Resi", Ops.resi(x, 2), NAN, 0, NAN, NAN, NAN, NAN, NAN);
  }

  @Test
  void wideSeriesFallsBackToWindowScanWithSameValues() {
    // 1e-30 and 1e30 span ~200 binary orders: the running fixed-point path is impossible for the whole series
    float[] wide = f(1e-30, 3, 4, 8, 5, 1e30, 2, 9, 4);
    float[] narrow = f(7, 3, 4, 8, 5, 7, 2, 9, 4);
    double[] a = Ops.std(wide, 3);
    double[] b = Ops.std(narrow, 3);
    for (int i = 3; i < 5; i++) {
      assertThat("std " + i, a[i], is(b[i]));
    }
    assertThat(Ops.slope(wide, 3)[8], is(Ops.slope(narrow, 3)[8]));
    assertThat(Ops.corr(wide, narrow, 3)[8], closeTo(1.0, 1e-15));
  }

  @Test
  void quantileOfOneValueIsThatValue() {
    assertSeries("Quantile", Ops.quantile(f(NAN, 4, NAN), 2, 0.2), NAN, 4, 4);
  }

  @Test
  void rejectsEmptyWindow() {
    assertThrows(IllegalArgumentException.class, () -> Ops.mean(CLOSE, 0));
  }
}
