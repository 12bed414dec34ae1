package com.quantmini.io.actions;

import com.quantmini.transforms.adjust.CorporateAction;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Fetches the provider's splits and cash dividends over a date range from its REST API
 * ({@code /v3/reference/splits}, {@code /v3/reference/dividends}), every page. The key travels only
 * in the {@code Authorization} header and only to the endpoint's own scheme, host and port; no
 * message names it. HTTP 429, 5xx and I/O errors are retried with backoff (at most
 * {@value #MAX_ATTEMPTS} attempts a request); every other failure throws, so a result is complete.
 */
public final class RestActions {
  static final int MAX_ATTEMPTS = 8;
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(60);
  /** The provider's maximum page size. */
  static final int LIMIT = 1000;

  private final URI endpoint;
  private final String keyVariable;
  private final String key;
  private final Duration maxWait;

  private RestActions(URI endpoint, String keyVariable, String key, Duration maxWait) {
    this.endpoint = endpoint;
    this.keyVariable = keyVariable;
    this.key = key;
    this.maxWait = maxWait;
  }

  /**
   * @param endpoint e.g. {@code "https://api.polygon.io"}; a trailing slash is optional
   * @param keyVariable the name of the environment variable the key came from (messages only)
   */
  public static RestActions of(String endpoint, String keyVariable, String key) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(keyVariable, "keyVariable");
    URI uri;
    try {
      uri = new URI(endpoint.strip().replaceAll("/+$", ""));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("endpoint '" + endpoint + "' is not a URL: " + e.getMessage(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getRawQuery() != null
        || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "endpoint '" + endpoint + "' must be an http(s) URL with a host and no query, e.g. https://api.polygon.io");
    }
    // The JDK's header check would quote a bad value, key included, in its exception: refuse it here unquoted.
    if (key == null || key.isBlank() || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("the API key in " + keyVariable
          + " is empty or holds spaces or control characters: set a valid key");
    }
    return new RestActions(uri, keyVariable, key, DEFAULT_MAX_WAIT);
  }

  /** The longest single wait between attempts (default 60 s); each wait is min(Retry-After or backoff, this). */
  RestActions withMaxWait(Duration d) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException("maxWait must be >= 0, was " + d);
    }
    return new RestActions(endpoint, keyVariable, key, d);
  }

  /** What {@link #fetch} found: splits then dividends, in the provider's order, duplicates kept. */
  public static final class Fetched {
    public final List<CorporateAction> events;
    /** HTTP requests sent, retries included. */
    public final int requests;
    /** Requests that were sent again after a 429, a 5xx or an I/O error. */
    public final int retries;

    Fetched(List<CorporateAction> events, int requests, int retries) {
      this.events = Collections.unmodifiableList(events);
      this.requests = requests;
      this.retries = retries;
    }
  }

  /** Splits with execution_date in [from, to] and dividends with ex_dividend_date in [from, to], every page. */
  public Fetched fetch(LocalDate from, LocalDate to) throws IOException {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("from " + from + " is after to " + to);
    }
    Session s = new Session(HttpClient.newBuilder()
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)   // a redirect would carry the key to wherever it points
        .build());
    List<CorporateAction> events = new ArrayList<>();
    s.readAll("/v3/reference/splits", "execution_date", from, to, CorporateAction.Kind.SPLIT, events);
    s.readAll("/v3/reference/dividends", "ex_dividend_date", from, to, CorporateAction.Kind.DIVIDEND, events);
    return new Fetched(events, s.requests, s.retries);
  }

  /** One fetch's client and counts. */
  private final class Session {
    final HttpClient http;
    int requests;
    int retries;

    Session(HttpClient http) {
      this.http = http;
    }

    void readAll(String path, String dateField, LocalDate from, LocalDate to, CorporateAction.Kind kind,
        List<CorporateAction> out) throws IOException {
      URI url = URI.create(endpoint + path + "?" + dateField + ".gte=" + from + "&" + dateField + ".lte=" + to
          + "&limit=" + LIMIT);
      Set<URI> seen = new HashSet<>();
      for (int page = 1; url != null; page++) {
        if (!seen.add(url)) {
          throw new IOException(path + " page " + page + ": next_url repeats an earlier page; stopped");
        }
        ActionsJson.Page p = ActionsJson.parse(get(url), kind, url.getPath() + " page " + page);
        out.addAll(p.events);
        url = p.nextUrl == null ? null : next(url, p.nextUrl);
      }
    }

    /** The body of a 2xx answer, after retrying what is worth retrying. */
    String get(URI url) throws IOException {
      HttpRequest request = HttpRequest.newBuilder(url)
          .timeout(REQUEST_TIMEOUT)
          .header("Authorization", "Bearer " + key)
          .header("Accept", "application/json")
          .GET()
          .build();
      String last = null;
      IOException lastError = null;
      for (int attempt = 1; ; attempt++) {
        HttpResponse<String> r = null;
        requests++;
        try {
          r = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted during GET " + url.getPath());
        } catch (IOException e) {   // reset, refused, timed out: worth another try
          last = e.toString();
          lastError = e;
        }
        String retryAfter = null;
        if (r != null) {
          int status = r.statusCode();
          if (status >= 200 && status < 300) {
            return r.body();
          }
          if (status == 401 || status == 403) {
            throw new IOException("the provider refused the API key in " + keyVariable + " (HTTP " + status
                + "): set a valid key, or use --corporateActions=none or a folder");
          }
          if (status != 429 && status < 500) {
            throw new IOException("GET " + url.getPath() + ": HTTP " + status + " from the provider");
          }
          last = "HTTP " + status;
          lastError = null;
          retryAfter = r.headers().firstValue("Retry-After").orElse(null);
        }
        if (attempt == MAX_ATTEMPTS) {
          throw new IOException("GET " + url.getPath() + " failed " + MAX_ATTEMPTS + " times; last: " + last,
              lastError);
        }
        pause(delay(retryAfter, attempt - 1, maxWait, Instant.now()), url);
        retries++;
      }
    }

    private void pause(Duration d, URI url) throws InterruptedIOException {
      try {
        Thread.sleep(d.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting to retry GET " + url.getPath());
      }
    }
  }

  /** The next page, if it is on the endpoint's origin: anywhere else the key must not go. */
  private URI next(URI current, String nextUrl) throws IOException {
    URI next;
    try {
      next = current.resolve(new URI(nextUrl));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IOException(current.getPath() + ": next_url is not a URL", e);
    }
    if (!sameOrigin(endpoint, next)) {
      throw new IOException(current.getPath() + ": next_url points to " + origin(next) + ", not the endpoint "
          + origin(endpoint) + "; refused, so the API key is not sent there");
    }
    return next;
  }

  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme() != null && b.getScheme() != null && a.getHost() != null && b.getHost() != null
        && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() != -1 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  private static String origin(URI u) {
    return u.getScheme() + "://" + u.getHost() + ":" + port(u);
  }

  /**
   * How long to wait before retry number {@code retry} (0 first): the server's Retry-After (seconds
   * or an HTTP-date) when it gives a readable one, else 1 s doubled per retry; never above maxWait.
   */
  static Duration delay(String retryAfter, int retry, Duration maxWait, Instant now) {
    Duration d = retryAfter == null ? null : parseRetryAfter(retryAfter.strip(), now);
    if (d == null) {
      d = FIRST_BACKOFF.multipliedBy(1L << Math.min(retry, 30));
    }
    return d.compareTo(maxWait) > 0 ? maxWait : d;
  }

  private static Duration parseRetryAfter(String v, Instant now) {
    if (v.matches("\\d{1,9}")) {
      return Duration.ofSeconds(Long.parseLong(v));
    }
    try {
      Duration d = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;   // unreadable: fall back to the backoff
    }
  }
}
