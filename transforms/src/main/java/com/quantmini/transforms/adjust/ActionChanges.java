package com.quantmini.transforms.adjust;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Which tickers' factors differ between two sets of applied events, and from which day. */
public final class ActionChanges {
  private ActionChanges() {}

  /** Ticker → epoch day of its earliest event that appeared, disappeared or changed. */
  public static Map<String, Long> earliest(Set<CorporateAction> before, Set<CorporateAction> after) {
    Map<String, Long> out = new TreeMap<>();
    for (CorporateAction a : after) {
      if (!before.contains(a)) {
        out.merge(a.ticker, a.day, Math::min);
      }
    }
    for (CorporateAction b : before) {
      if (!after.contains(b)) {
        out.merge(b.ticker, b.day, Math::min);
      }
    }
    return out;
  }
}
