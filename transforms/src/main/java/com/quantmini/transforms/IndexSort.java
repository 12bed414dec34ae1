package com.quantmini.transforms;

/** Stable merge sort of row indices under a primitive comparator; no boxing, O(n log n). */
public final class IndexSort {
  private IndexSort() {}

  /** Compares two row indices. */
  @FunctionalInterface
  public interface RowComparator {
    int compare(int a, int b);
  }

  /** Returns 0..n-1 ordered by {@code cmp}; an already sorted input costs one pass. */
  public static int[] sort(int n, RowComparator cmp) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    boolean sorted = true;
    for (int i = 1; i < n && sorted; i++) {
      sorted = cmp.compare(i - 1, i) <= 0;
    }
    if (sorted) {
      return a;
    }
    int[] tmp = new int[n];
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
          tmp[k++] = cmp.compare(a[i], a[j]) <= 0 ? a[i++] : a[j++];
        }
        while (i < mid) {
          tmp[k++] = a[i++];
        }
        while (j < hi) {
          tmp[k++] = a[j++];
        }
      }
      int[] t = a;
      a = tmp;
      tmp = t;
    }
    return a;
  }
}
