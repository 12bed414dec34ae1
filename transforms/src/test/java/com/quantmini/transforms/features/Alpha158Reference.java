package com.quantmini.transforms.features;

import java.util.Arrays;

/**
 * A slow, independent Alpha158 written straight from the spec: every window is re-scanned (O(n·w)), sums are plain
 * sequential double sums, std, slope and correlation are two-pass. Shares no code with {@link Ops}.
 */
final class Alpha158Reference {
  private static final int[] WINDOWS = {5, 10, 20, 30, 60};

  private Alpha158Reference() {}

  private static boolean ok(float v) {
    return !Float.isNaN(v) && !Float.isInfinite(v);
  }

  static float[][] compute(float[] o, float[] h, float[] l, float[] c, float[] v) {
    int n = c.length;
    float[][] out = new float[158][n];
    float[] cp = new float[n];
    float[] vp = new float[n];
    for (int i = 0; i < n; i++) {
      cp[i] = i == 0 ? Float.NaN : c[i - 1];
      vp[i] = i == 0 ? Float.NaN : v[i - 1];
    }
    float[] logv = new float[n];
    float[] ratio = new float[n];
    float[] logvr = new float[n];
    float[] up = new float[n];
    float[] down = new float[n];
    float[] gain = new float[n];
    float[] loss = new float[n];
    float[] move = new float[n];
    float[] wv = new float[n];
    float[] vgain = new float[n];
    float[] vloss = new float[n];
    float[] vmove = new float[n];
    int firstInf = n;
    for (int i = 0; i < n; i++) {
      float top = Float.isNaN(o[i]) || Float.isNaN(c[i]) ? Float.NaN : Math.max(o[i], c[i]);
      float bottom = Float.isNaN(o[i]) || Float.isNaN(c[i]) ? Float.NaN : Math.min(o[i], c[i]);
      float den = h[i] - l[i] + 1e-12f;
      out[0][i] = (c[i] - o[i]) / o[i];
      out[1][i] = (h[i] - l[i]) / o[i];
      out[2][i] = (c[i] - o[i]) / den;
      out[3][i] = (h[i] - top) / o[i];
      out[4][i] = (h[i] - top) / den;
      out[5][i] = (bottom - l[i]) / o[i];
      out[6][i] = (bottom - l[i]) / den;
      out[7][i] = (2 * c[i] - h[i] - l[i]) / o[i];
      out[8][i] = (2 * c[i] - h[i] - l[i]) / den;
      out[9][i] = o[i] / c[i];
      out[10][i] = h[i] / c[i];
      out[11][i] = l[i] / c[i];
      out[12][i] = Float.NaN;
      logv[i] = (float) Math.log(v[i] + 1f);
      ratio[i] = c[i] / cp[i];
      logvr[i] = (float) Math.log(v[i] / vp[i] + 1f);
      up[i] = c[i] > cp[i] ? 1 : 0;
      down[i] = c[i] < cp[i] ? 1 : 0;
      float dc = c[i] - cp[i];
      gain[i] = Float.isNaN(dc) ? Float.NaN : Math.max(dc, 0f);
      float dcn = cp[i] - c[i];
      loss[i] = Float.isNaN(dcn) ? Float.NaN : Math.max(dcn, 0f);
      move[i] = Math.abs(dc);
      wv[i] = Math.abs(c[i] / cp[i] - 1f) * v[i];
      float dv = v[i] - vp[i];
      vgain[i] = Float.isNaN(dv) ? Float.NaN : Math.max(dv, 0f);
      float dvn = vp[i] - v[i];
      vloss[i] = Float.isNaN(dvn) ? Float.NaN : Math.max(dvn, 0f);
      vmove[i] = Math.abs(dv);
      if (Float.isInfinite(c[i]) && firstInf == n) {
        firstInf = i;
      }
    }
    for (int k = 0; k < WINDOWS.length; k++) {
      int d = WINDOWS[k];
      for (int i = 0; i < n; i++) {
        int s = Math.max(0, i - d + 1);
        int e = i + 1;
        float ci = c[i];
        double std = std(c, s, e);
        double mx = max(h, s, e);
        double mn = min(l, s, e);
        double ma = idx(h, s, e, true);
        double mi = idx(l, s, e, false);
        double[] reg = i >= firstInf ? new double[] {Double.NaN, Double.NaN, Double.NaN} : regression(c, s, i, d);
        double rsq = std <= 2e-5 ? Double.NaN : reg[1];
        double g = sum(gain, s, e);
        double lo = sum(loss, s, e);
        double mv = sum(move, s, e) + 1e-12;
        double vg = sum(vgain, s, e);
        double vl = sum(vloss, s, e);
        double vm = sum(vmove, s, e) + 1e-12;
        double cntp = mean(up, s, e);
        double cntn = mean(down, s, e);
        float ve = v[i] + 1e-12f;
        double[] values = {
          c[i - d >= 0 ? i - d : 0] / ci,
          mean(c, s, e) / ci, std / ci, reg[0] / ci, rsq, reg[2] / ci, mx / ci, mn / ci,
          quantile(c, s, e, 0.8) / ci, quantile(c, s, e, 0.2) / ci, rank(c, s, i),
          (ci - mn) / (mx - mn + 1e-12), ma / d, mi / d, (ma - mi) / d,
          corr(c, logv, s, e), corr(ratio, logvr, s, e), cntp, cntn, cntp - cntn,
          g / mv, lo / mv, (g - lo) / mv,
          mean(v, s, e) / ve, std(v, s, e) / ve, std(wv, s, e) / (mean(wv, s, e) + 1e-12),
          vg / vm, vl / vm, (vg - vl) / vm
        };
        for (int fam = 0; fam < values.length; fam++) {
          out[13 + fam * 5 + k][i] = (float) values[fam];
        }
        out[13 + k][i] = i - d >= 0 ? c[i - d] / ci : Float.NaN;
      }
    }
    return out;
  }

  static double sum(float[] x, int s, int e) {
    double sum = 0;
    int count = 0;
    for (int j = s; j < e; j++) {
      if (ok(x[j])) {
        sum += x[j];
        count++;
      }
    }
    return count == 0 ? Double.NaN : sum;
  }

  static double mean(float[] x, int s, int e) {
    int count = 0;
    for (int j = s; j < e; j++) {
      count += ok(x[j]) ? 1 : 0;
    }
    return sum(x, s, e) / count;
  }

  static double std(float[] x, int s, int e) {
    int count = 0;
    for (int j = s; j < e; j++) {
      count += ok(x[j]) ? 1 : 0;
    }
    if (count < 2) {
      return Double.NaN;
    }
    double m = mean(x, s, e);
    double ss = 0;
    for (int j = s; j < e; j++) {
      if (ok(x[j])) {
        ss += (x[j] - m) * (x[j] - m);
      }
    }
    return Math.sqrt(ss / (count - 1));
  }

  static double max(float[] x, int s, int e) {
    double m = Double.NaN;
    for (int j = s; j < e; j++) {
      if (ok(x[j]) && !(x[j] <= m)) {
        m = x[j];
      }
    }
    return m;
  }

  static double min(float[] x, int s, int e) {
    double m = Double.NaN;
    for (int j = s; j < e; j++) {
      if (ok(x[j]) && !(x[j] >= m)) {
        m = x[j];
      }
    }
    return m;
  }

  /** NumPy argmax/argmin + 1 over the raw window, inf already turned into NaN by pandas. */
  static double idx(float[] x, int s, int e, boolean max) {
    int present = 0;
    for (int j = s; j < e; j++) {
      present += ok(x[j]) ? 1 : 0;
    }
    if (present == 0) {
      return Double.NaN;
    }
    int best = -1;
    for (int j = s; j < e; j++) {
      if (!ok(x[j])) {
        return j - s + 1;
      }
      if (best < 0 || (max ? x[j] > x[best] : x[j] < x[best])) {
        best = j;
      }
    }
    return best - s + 1;
  }

  static double quantile(float[] x, int s, int e, double q) {
    double[] vals = new double[e - s];
    int k = 0;
    for (int j = s; j < e; j++) {
      if (ok(x[j])) {
        vals[k++] = x[j];
      }
    }
    if (k == 0) {
      return Double.NaN;
    }
    Arrays.sort(vals, 0, k);
    double p = q * (k - 1);
    int f = (int) Math.floor(p);
    return f + 1 < k ? vals[f] + (p - f) * (vals[f + 1] - vals[f]) : vals[f];
  }

  static double rank(float[] x, int s, int now) {
    if (!ok(x[now])) {
      return Double.NaN;
    }
    int less = 0;
    int equal = 0;
    int count = 0;
    for (int j = s; j <= now; j++) {
      if (ok(x[j])) {
        count++;
        less += x[j] < x[now] ? 1 : 0;
        equal += x[j] == x[now] ? 1 : 0;
      }
    }
    return (less + (equal + 1) / 2.0) / count;
  }

  /** {slope, rsquare before its std mask, resi}, positions t = d − (now − j). */
  static double[] regression(float[] x, int s, int now, int d) {
    double[] nan = {Double.NaN, Double.NaN, Double.NaN};
    int count = 0;
    double st = 0;
    double sy = 0;
    for (int j = s; j <= now; j++) {
      if (!Float.isNaN(x[j])) {
        count++;
        st += d - (now - j);
        sy += x[j];
      }
    }
    if (count < 2) {
      return nan;
    }
    double tm = st / count;
    double ym = sy / count;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int j = s; j <= now; j++) {
      if (!Float.isNaN(x[j])) {
        double dt = d - (now - j) - tm;
        double dy = x[j] - ym;
        sxy += dt * dy;
        sxx += dt * dt;
        syy += dy * dy;
      }
    }
    double b = sxy / sxx;
    double r = sxy / Math.sqrt(sxx * syy);
    double resi = Float.isNaN(x[now]) ? Double.NaN : x[now] - ((ym - b * tm) + b * d);
    return new double[] {b, r * r, resi};
  }

  static double corr(float[] a, float[] b, int s, int e) {
    if (std(a, s, e) <= 2e-5 || std(b, s, e) <= 2e-5) {
      return Double.NaN;
    }
    int count = 0;
    double sa = 0;
    double sb = 0;
    for (int j = s; j < e; j++) {
      if (ok(a[j]) && ok(b[j])) {
        count++;
        sa += a[j];
        sb += b[j];
      }
    }
    if (count < 2) {
      return Double.NaN;
    }
    double ma = sa / count;
    double mb = sb / count;
    double cab = 0;
    double caa = 0;
    double cbb = 0;
    for (int j = s; j < e; j++) {
      if (ok(a[j]) && ok(b[j])) {
        cab += (a[j] - ma) * (b[j] - mb);
        caa += (a[j] - ma) * (a[j] - ma);
        cbb += (b[j] - mb) * (b[j] - mb);
      }
    }
    return cab / Math.sqrt(caa * cbb);
  }
}
