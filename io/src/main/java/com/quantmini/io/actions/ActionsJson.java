package com.quantmini.io.actions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.quantmini.transforms.adjust.CorporateAction;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one response object of the provider's {@code /v3/reference/splits} or
 * {@code /v3/reference/dividends} ({@code {"results": [...], "next_url": ...}}). A result without a
 * ticker or a date is an error naming the result: an event must never vanish unnoticed.
 */
public final class ActionsJson {
  private ActionsJson() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The events of one page, and the next page's URL (null on the last page). */
  public static final class Page {
    public final List<CorporateAction> events;
    public final String nextUrl;

    Page(List<CorporateAction> events, String nextUrl) {
      this.events = events;
      this.nextUrl = nextUrl;
    }
  }

  public static Page parse(String json, CorporateAction.Kind kind, String where) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      // The parser's own message quotes the page, which could echo request headers: only the place.
      var at = e.getLocation();
      throw new IOException(where + ": not JSON" + (at == null ? "" : " (line " + at.getLineNr() + ", column "
          + at.getColumnNr() + ")"));
    }
    if (root == null || !root.isObject()) {
      throw new IOException(where + ": expected a response object {\"results\": [...]}");
    }
    JsonNode results = root.get("results");
    List<CorporateAction> out = new ArrayList<>();
    if (results != null && !results.isNull()) {
      if (!results.isArray()) {
        throw new IOException(where + ": \"results\" is not an array");
      }
      for (int i = 0; i < results.size(); i++) {
        out.add(event(results.get(i), kind, where + " result " + i));
      }
    }
    JsonNode next = root.get("next_url");
    return new Page(out, next == null || next.isNull() || next.asText().isBlank() ? null : next.asText());
  }

  private static CorporateAction event(JsonNode r, CorporateAction.Kind kind, String where) throws IOException {
    String ticker = text(r, "ticker");
    if (ticker == null || ticker.isBlank()) {
      throw new IOException(where + ": no ticker");
    }
    String id = text(r, "id");
    if (kind == CorporateAction.Kind.SPLIT) {
      return CorporateAction.split(ticker, date(r, "execution_date", where), number(r, "split_from"),
          number(r, "split_to"), id);
    }
    return CorporateAction.dividend(ticker, date(r, "ex_dividend_date", where), number(r, "cash_amount"),
        text(r, "currency"), text(r, "dividend_type"), id);
  }

  private static String text(JsonNode r, String field) {
    JsonNode v = r.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** NaN when absent or not a number: {@link CorporateAction#unusable} then says why. */
  private static double number(JsonNode r, String field) {
    JsonNode v = r.get(field);
    if (v == null || v.isNull()) {
      return Double.NaN;
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    try {
      return Double.parseDouble(v.asText());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static LocalDate date(JsonNode r, String field, String where) throws IOException {
    String s = text(r, field);
    if (s == null) {
      throw new IOException(where + ": no " + field);
    }
    try {
      return LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
    } catch (DateTimeParseException e) {
      throw new IOException(where + ": " + field + " '" + s + "' is not a date", e);
    }
  }
}
