package com.quantmini.transforms;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which features become Qlib bins ({@code --qlibFields}); silver keeps every feature whatever the
 * choice. The bar fields, {@code factor} and {@code change} are always exported. Measured with real
 * Qlib, reading 158 precomputed Alpha158 bins costs as much as computing them from the bar fields,
 * so by default Alpha158 stays in silver and Qlib gets the rest:
 * <ul>
 *   <li>{@code default}: the seed features and the options analytics, no Alpha158;
 *   <li>{@code bars}: no feature;
 *   <li>{@code all}: every feature;
 *   <li>a comma-separated list of feature names (any case): exactly those;
 *   <li>{@code none}: no Qlib output at all, the lake alone (the state is kept all the same).
 * </ul>
 * An output records its choice in the manifest's {@code #features} line as a {@code qlib=} token,
 * so every later run writes the same files.
 */
public final class QlibFields implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The token prefix in the manifest's {@code #features} line. */
  public static final String TOKEN = "qlib=";

  private enum Kind { DEFAULT, BARS, ALL, LIST, NONE }

  public static final QlibFields DEFAULT = new QlibFields(Kind.DEFAULT, Set.of());
  public static final QlibFields BARS = new QlibFields(Kind.BARS, Set.of());
  public static final QlibFields ALL = new QlibFields(Kind.ALL, Set.of());
  public static final QlibFields NONE = new QlibFields(Kind.NONE, Set.of());

  private final Kind kind;
  private final Set<String> names; // lower case, Qlib's file names

  private QlibFields(Kind kind, Set<String> names) {
    this.kind = kind;
    this.names = names;
  }

  /** The choice a flag value names; null for an unset flag (the output's choice, else {@link #DEFAULT}). */
  public static QlibFields parse(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case "default":
        return DEFAULT;
      case "bars":
        return BARS;
      case "all":
        return ALL;
      case "none":
        return NONE;
      default:
        Set<String> listed = Arrays.stream(v.split("[,+]")).map(String::trim).filter(s -> !s.isEmpty())
            .collect(Collectors.toCollection(TreeSet::new));
        if (listed.isEmpty()) {
          throw new IllegalArgumentException("--qlibFields: expected default, bars, all, none or feature names, got '"
              + value + "'");
        }
        return new QlibFields(Kind.LIST, Set.copyOf(listed));
    }
  }

  /**
   * The choice recorded in a manifest's {@code #features} value; {@link #ALL} for an output built
   * before the choice existed (it exported every feature); null when nothing was recorded.
   */
  public static QlibFields recordedIn(String features) {
    if (features == null) {
      return null;
    }
    for (String t : features.split(",")) {
      if (t.startsWith(TOKEN)) {
        return parse(t.substring(TOKEN.length()));
      }
    }
    return ALL;
  }

  /** The {@code #features} value without its {@code qlib=} token. */
  public static String withoutToken(String features) {
    return Arrays.stream(features.split(",")).filter(t -> !t.startsWith(TOKEN)).collect(Collectors.joining(","));
  }

  /** This choice as a manifest token (a list joins its names with {@code +}: the line is comma-separated). */
  public String token() {
    return TOKEN + (kind == Kind.LIST ? String.join("+", new TreeSet<>(names)) : kind.name().toLowerCase(Locale.ROOT));
  }

  /** Whether the dataset gets a Qlib tree at all ({@code none}: it does not). */
  public boolean writesQlib() {
    return kind != Kind.NONE;
  }

  /** Names listed by a {@code --qlibFields} list (lower case); empty for the named choices. */
  public Set<String> listed() {
    return names;
  }

  /**
   * Whether the feature {@code name} gets a Qlib bin; {@code alpha} tells an Alpha158 feature.
   * {@code factor} and {@code change} always do: Qlib's adjusted prices mean nothing without them.
   */
  public boolean exports(String name, boolean alpha) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.equals("factor") || n.equals("change")) {
      return true;
    }
    switch (kind) {
      case ALL:
        return true;
      case NONE:
        return false;
      case DEFAULT:
        return !alpha;
      case BARS:
        return false;
      default:
        return names.contains(n);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QlibFields && ((QlibFields) o).kind == kind && ((QlibFields) o).names.equals(names);
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + names.hashCode();
  }

  @Override
  public String toString() {
    return token().substring(TOKEN.length());
  }
}
