package com.quantmini.io.s3;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 proxy on 127.0.0.1 that forwards to an upstream S3 server and injects faults.
 *
 * <p>For each request it draws, from a {@link Random} seeded by the caller (so the sequence of
 * decisions is reproducible), one of: answer {@code 503 SlowDown} with an S3 XML error body without
 * contacting the upstream; forward it but close the connection halfway through the response body
 * (not for HEAD, which has no body); or forward it untouched. Every exchange uses its own upstream connection and ends with {@code
 * Connection: close}, so the proxy only parses request and response heads.
 *
 * <p>It is bounded: after {@code maxRequests} it refuses connections, sockets time out after 30 s,
 * and it closes itself after {@code maxLifetime} even if a test forgets to.
 */
public final class FlakyProxy implements AutoCloseable {

  private static final int SOCKET_TIMEOUT_MS = 30_000;
  private static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final int MAX_DRAIN_BYTES = 16 * 1024 * 1024;

  private final int upstreamPort;
  private final double slowDownShare;
  private final double cutShare;
  private final Random random;
  private final int maxRequests;
  private final ServerSocket server;
  private final ExecutorService workers = Executors.newCachedThreadPool(daemon("flaky-proxy"));
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("flaky-proxy-timer"));
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger slowDowns = new AtomicInteger();
  private final AtomicInteger cuts = new AtomicInteger();

  private FlakyProxy(int upstreamPort, double slowDownShare, double cutShare, long seed, int maxRequests,
      Duration maxLifetime) throws IOException {
    if (slowDownShare < 0 || cutShare < 0 || slowDownShare + cutShare > 1) {
      throw new IllegalArgumentException("shares must be >= 0 and add up to <= 1, were "
          + slowDownShare + " and " + cutShare);
    }
    this.upstreamPort = upstreamPort;
    this.slowDownShare = slowDownShare;
    this.cutShare = cutShare;
    this.random = new Random(seed);
    this.maxRequests = maxRequests;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    timer.schedule(this::close, maxLifetime.toMillis(), TimeUnit.MILLISECONDS);
    workers.execute(this::acceptLoop);
  }

  /**
   * Starts a proxy in front of {@code 127.0.0.1:upstreamPort}.
   *
   * @param slowDownShare share of requests answered with 503 SlowDown
   * @param cutShare share of requests whose response is cut off halfway through the body
   */
  public static FlakyProxy start(int upstreamPort, double slowDownShare, double cutShare, long seed)
      throws IOException {
    return new FlakyProxy(upstreamPort, slowDownShare, cutShare, seed, 10_000, Duration.ofMinutes(10));
  }

  public static FlakyProxy start(int upstreamPort, double slowDownShare, double cutShare, long seed,
      int maxRequests, Duration maxLifetime) throws IOException {
    return new FlakyProxy(upstreamPort, slowDownShare, cutShare, seed, maxRequests, maxLifetime);
  }

  /** The proxy's endpoint, with the host name {@code localhost} like {@link S3ProxyServer#endpoint()}. */
  public URI endpoint() {
    return URI.create("http://localhost:" + server.getLocalPort());
  }

  public int requests() {
    return requests.get();
  }

  public int slowDowns() {
    return slowDowns.get();
  }

  public int cuts() {
    return cuts.get();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    workers.shutdownNow();
    timer.shutdownNow();
  }

  private enum Fault { NONE, SLOW_DOWN, CUT }

  /** One draw per request; a HEAD response has no body to cut, so it can only get a 503. */
  private synchronized Fault draw(boolean hasBody) {
    double r = random.nextDouble();
    if (r < slowDownShare) {
      return Fault.SLOW_DOWN;
    }
    return hasBody && r < slowDownShare + cutShare ? Fault.CUT : Fault.NONE;
  }

  private void acceptLoop() {
    while (!closed.get()) {
      try {
        Socket client = server.accept();
        if (requests.incrementAndGet() > maxRequests) {
          client.close();
          continue;
        }
        workers.execute(() -> handle(client));
      } catch (IOException e) {
        if (!closed.get()) {
          close();
        }
      }
    }
  }

  private void handle(Socket client) {
    try (client) {
      client.setSoTimeout(SOCKET_TIMEOUT_MS);
      InputStream fromClient = new BufferedInputStream(client.getInputStream());
      OutputStream toClient = client.getOutputStream();
      byte[] head = readHead(fromClient);
      if (head == null) {
        return;
      }
      String headText = new String(head, StandardCharsets.ISO_8859_1);
      Fault fault = draw(!headText.startsWith("HEAD "));
      if (fault == Fault.SLOW_DOWN) {
        slowDowns.incrementAndGet();
        // with "Expect: 100-continue" the client waits for us and never sends the body
        if (!headerValue(headText, "expect").equalsIgnoreCase("100-continue")) {
          drain(fromClient, contentLength(headText));
        }
        toClient.write(slowDownResponse(headText));
        toClient.flush();
        return;
      }
      try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
        upstream.setSoTimeout(SOCKET_TIMEOUT_MS);
        OutputStream toUpstream = upstream.getOutputStream();
        toUpstream.write(withConnectionClose(headText).getBytes(StandardCharsets.ISO_8859_1));
        toUpstream.flush();
        // the request body (if any) streams on while the response comes back (100-continue)
        workers.execute(() -> pipe(fromClient, toUpstream));
        InputStream fromUpstream = new BufferedInputStream(upstream.getInputStream());
        if (fault == Fault.CUT) {
          cutResponse(fromUpstream, toClient);
        } else {
          fromUpstream.transferTo(toClient);
          toClient.flush();
        }
      }
    } catch (IOException e) {
      // the client or upstream went away; the client sees a broken connection, which is the point
    }
  }

  /** Forwards interim responses and the final head, then half the body, then drops the connection. */
  private void cutResponse(InputStream fromUpstream, OutputStream toClient) throws IOException {
    while (true) {
      byte[] head = readHead(fromUpstream);
      if (head == null) {
        return;
      }
      toClient.write(head);
      String text = new String(head, StandardCharsets.ISO_8859_1);
      if (text.startsWith("HTTP/1.1 100") || text.startsWith("HTTP/1.0 100")) {
        toClient.flush();
        continue;
      }
      long length = contentLength(text);
      if (length == 0) {
        fromUpstream.transferTo(toClient);
        toClient.flush();
        return;
      }
      long half = length > 0 ? length / 2 : 16;
      byte[] buf = new byte[8192];
      long sent = 0;
      while (sent < half) {
        int n = fromUpstream.read(buf, 0, (int) Math.min(buf.length, half - sent));
        if (n < 0) {
          break;
        }
        toClient.write(buf, 0, n);
        sent += n;
      }
      toClient.flush();
      cuts.incrementAndGet();
      return;
    }
  }

  private static void pipe(InputStream in, OutputStream out) {
    try {
      in.transferTo(out);
      out.flush();
    } catch (IOException e) {
      // one side closed; the other direction ends on its own
    }
  }

  /** Reads up to and including the blank line that ends an HTTP head; null at end of stream. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int last4 = 0;
    while (last4 != 0x0d0a0d0a) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      last4 = (last4 << 8) | b;
      if (head.size() > MAX_HEAD_BYTES) {
        throw new IOException("HTTP head too long");
      }
    }
    return head.toByteArray();
  }

  private static String headerValue(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return "";
  }

  private static long contentLength(String head) {
    String value = headerValue(head, "content-length");
    try {
      return value.isEmpty() ? -1 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void drain(InputStream in, long length) throws IOException {
    if (length > 0) {
      in.skipNBytes(Math.min(length, MAX_DRAIN_BYTES));
    }
  }

  private static String withConnectionClose(String head) {
    StringBuilder out = new StringBuilder();
    for (String line : head.split("\r\n")) {
      if (!line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
        out.append(line).append("\r\n");
      }
    }
    // head ended with an empty line, which split() dropped
    out.setLength(out.length() - 2);
    return out.append("\r\nConnection: close\r\n\r\n").toString();
  }

  private byte[] slowDownResponse(String requestHead) {
    String requestLine = requestHead.substring(0, requestHead.indexOf("\r\n"));
    String[] parts = requestLine.split(" ");
    String resource = parts.length > 1 ? parts[1].replaceAll("\\?.*", "") : "/";
    String requestId = "flaky-" + slowDowns.get();
    String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
        + "<Message>Please reduce your request rate.</Message><Resource>" + xmlEscape(resource)
        + "</Resource><RequestId>" + requestId + "</RequestId></Error>";
    byte[] bodyBytes = requestLine.startsWith("HEAD ") ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: "
        + bodyBytes.length + "\r\nx-amz-request-id: " + requestId + "\r\nConnection: close\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] response = new byte[headBytes.length + bodyBytes.length];
    System.arraycopy(headBytes, 0, response, 0, headBytes.length);
    System.arraycopy(bodyBytes, 0, response, headBytes.length, bodyBytes.length);
    return response;
  }

  private static String xmlEscape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
