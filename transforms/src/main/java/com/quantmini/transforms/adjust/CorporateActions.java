package com.quantmini.transforms.adjust;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.TreeSet;

/**
 * The events a run adjusts with, per ticker and in date order: duplicates (same event, other ids)
 * once, unusable ones (a zero ratio, a non-USD or non-positive amount) and, with
 * {@code --adjust=splits}, dividends set aside and counted, never silently lost.
 */
public final class CorporateActions implements Serializable {
  private static final long serialVersionUID = 1L;

  private final HashMap<String, List<CorporateAction>> byTicker;
  /** Events as read, duplicates included. */
  public final int read;
  public final int duplicates;
  /** Events the adjustment cannot use, with the reason of the first few. */
  public final int unusable;
  public final List<String> unusableExamples;
  /** Dividends left out because only splits are applied. */
  public final int notApplied;

  private CorporateActions(HashMap<String, List<CorporateAction>> byTicker, int read, int duplicates, int unusable,
      List<String> unusableExamples, int notApplied) {
    this.byTicker = byTicker;
    this.read = read;
    this.duplicates = duplicates;
    this.unusable = unusable;
    this.unusableExamples = unusableExamples;
    this.notApplied = notApplied;
  }

  /** No events: every factor is 1. */
  public static CorporateActions none() {
    return new CorporateActions(new HashMap<>(), 0, 0, 0, List.of(), 0);
  }

  /** @param dividends whether cash dividends are applied (else splits only) */
  public static CorporateActions of(Collection<CorporateAction> events, boolean dividends) {
    TreeSet<CorporateAction> distinct = new TreeSet<>(events);
    HashMap<String, List<CorporateAction>> byTicker = new HashMap<>();
    int unusable = 0;
    int notApplied = 0;
    List<String> examples = new ArrayList<>();
    for (CorporateAction a : distinct) {
      String why = a.unusable();
      if (why != null) {
        unusable++;
        if (examples.size() < 5) {
          examples.add(a + ": " + why);
        }
      } else if (!a.isSplit() && !dividends) {
        notApplied++;
      } else {
        byTicker.computeIfAbsent(a.ticker, t -> new ArrayList<>()).add(a); // distinct is sorted
      }
    }
    return new CorporateActions(byTicker, events.size(), events.size() - distinct.size(), unusable,
        List.copyOf(examples), notApplied);
  }

  /** A ticker's applied events, sorted. */
  public List<CorporateAction> of(String ticker) {
    return byTicker.getOrDefault(ticker, Collections.emptyList());
  }

  /** Every applied event, sorted. */
  public TreeSet<CorporateAction> applied() {
    TreeSet<CorporateAction> out = new TreeSet<>();
    byTicker.values().forEach(out::addAll);
    return out;
  }

  /** Number of applied events. */
  public int size() {
    return byTicker.values().stream().mapToInt(List::size).sum();
  }

  /**
   * Serialized as one byte array: the Direct runner serializes and deserializes a DoFn with its
   * fields for every bundle, and object-by-object serialization of a year's ~7 000 events cost the
   * features step of a daily append more than its computation.
   */
  private Object writeReplace() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(read);
      out.writeInt(duplicates);
      out.writeInt(unusable);
      out.writeInt(notApplied);
      out.writeInt(unusableExamples.size());
      for (String e : unusableExamples) {
        out.writeUTF(e);
      }
      TreeSet<CorporateAction> all = applied();
      out.writeInt(all.size());
      for (CorporateAction a : all) {
        a.writeTo(out);
      }
    }
    return new Packed(bytes.toByteArray());
  }

  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("CorporateActions is serialized through its packed form");
  }

  /** The serialized form of {@link CorporateActions}. */
  private static final class Packed implements Serializable {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;

    Packed(byte[] bytes) {
      this.bytes = bytes;
    }

    private Object readResolve() throws IOException {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
        int read = in.readInt();
        int duplicates = in.readInt();
        int unusable = in.readInt();
        int notApplied = in.readInt();
        List<String> examples = new ArrayList<>();
        for (int n = in.readInt(); n > 0; n--) {
          examples.add(in.readUTF());
        }
        HashMap<String, List<CorporateAction>> byTicker = new HashMap<>();
        for (int n = in.readInt(); n > 0; n--) {
          CorporateAction a = CorporateAction.readFrom(in);
          byTicker.computeIfAbsent(a.ticker, t -> new ArrayList<>()).add(a); // written sorted
        }
        return new CorporateActions(byTicker, read, duplicates, unusable, List.copyOf(examples), notApplied);
      }
    }
  }
}
