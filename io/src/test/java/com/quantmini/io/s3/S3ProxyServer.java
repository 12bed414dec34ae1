package com.quantmini.io.s3;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * A real S3-compatible server for tests: S3Proxy with its file-system backend, run as a separate JVM
 * bound to 127.0.0.1 on a free port.
 *
 * <p>It runs in its own process because its 55 MB jar-with-dependencies (Jetty, jclouds, Jackson,
 * Guava) would clash with Beam's class path. Objects live in plain files under {@code
 * basedir/<bucket>/<key>}, so {@link #seed(Path)} just copies a local tree there. Each instance has
 * fresh random credentials; they are never logged. {@link #close()} stops the process and deletes
 * the temp folder; a shutdown hook stops it too if a test run dies first.
 *
 * <p>The jar is found, in order, through the system property {@value #JAR_PROPERTY} (the io module's
 * Surefire sets it from Maven's resolution of {@code org.gaul:s3proxy:4.1.0:jar-with-dependencies}),
 * in the local Maven repository, or by asking Maven to fetch it.
 */
public final class S3ProxyServer implements AutoCloseable {

  public static final String JAR_PROPERTY = "s3proxy.jar";
  public static final String VERSION = "4.1.0";
  public static final String DEFAULT_BUCKET = "flatfiles";
  public static final Region REGION = Region.US_EAST_1;

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final int START_ATTEMPTS = 3;

  private final Path workDir;
  private final Path baseDir;
  private final Path logFile;
  private final int port;
  private final String accessKeyId;
  private final String secretAccessKey;
  private final Process process;
  private final Thread shutdownHook;

  private S3ProxyServer(Path workDir, int port, String accessKeyId, String secretAccessKey, Process process) {
    this.workDir = workDir;
    this.baseDir = workDir.resolve("data");
    this.logFile = workDir.resolve("s3proxy.log");
    this.port = port;
    this.accessKeyId = accessKeyId;
    this.secretAccessKey = secretAccessKey;
    this.process = process;
    this.shutdownHook = new Thread(process::destroyForcibly, "s3proxy-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a server with an empty {@value #DEFAULT_BUCKET} bucket and waits until it answers HTTP. */
  public static S3ProxyServer start() throws IOException {
    Path jar = locateJar();
    IOException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      // a free port can be taken by someone else before S3Proxy binds it: try again on a new one
      Path workDir = Files.createTempDirectory("s3proxy-");
      S3ProxyServer server = null;
      try {
        server = launch(jar, workDir, freePort());
        server.awaitReady();
        server.createBucket(DEFAULT_BUCKET);
        return server;
      } catch (IOException e) {
        last = e;
        if (server != null) {
          server.close();
        } else {
          deleteTree(workDir);
        }
      }
    }
    throw last;
  }

  /** The endpoint with the host name {@code localhost}, so only path-style requests can work. */
  public URI endpoint() {
    return URI.create("http://localhost:" + port);
  }

  public int port() {
    return port;
  }

  public String accessKeyId() {
    return accessKeyId;
  }

  public String secretAccessKey() {
    return secretAccessKey;
  }

  /** The folder that holds one sub-folder per bucket. */
  public Path baseDir() {
    return baseDir;
  }

  /**
   * Points Beam's S3 file system at this server: endpoint, region, static credentials and {@link
   * PathStyleS3ClientBuilderFactory}. Use {@link #applyTo(S3Options, URI)} to go through a proxy.
   */
  public <T extends S3Options> T applyTo(T options) {
    return applyTo(options, endpoint());
  }

  public <T extends S3Options> T applyTo(T options, URI endpoint) {
    options.setEndpoint(endpoint);
    options.setAwsRegion(REGION);
    options.setAwsCredentialsProvider(
        StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)));
    options.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
    return options;
  }

  /** Creates an empty bucket (a folder in the backend). */
  public void createBucket(String bucket) throws IOException {
    Files.createDirectories(baseDir.resolve(bucket));
  }

  /** Copies every file under {@code localRoot} into {@value #DEFAULT_BUCKET}, keyed by relative path. */
  public void seed(Path localRoot) throws IOException {
    seed(DEFAULT_BUCKET, localRoot);
  }

  public void seed(String bucket, Path localRoot) throws IOException {
    Path target = baseDir.resolve(bucket);
    Files.createDirectories(target);
    try (Stream<Path> files = Files.walk(localRoot)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        Path dest = target.resolve(localRoot.relativize(file).toString());
        Files.createDirectories(dest.getParent());
        Files.copy(file, dest, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** Stops the process (forcibly after 10 s) and deletes its folder. Safe to call twice. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    deleteTree(workDir);
  }

  static Path locateJar() throws IOException {
    String configured = System.getProperty(JAR_PROPERTY, "");
    // an unresolved Maven placeholder means the module didn't run dependency:properties
    if (!configured.isBlank() && !configured.startsWith("${")) {
      Path jar = Paths.get(configured);
      if (Files.isRegularFile(jar)) {
        return jar;
      }
    }
    Path inRepo = localRepository()
        .resolve("org/gaul/s3proxy/" + VERSION + "/s3proxy-" + VERSION + "-jar-with-dependencies.jar");
    if (!Files.isRegularFile(inRepo)) {
      fetchWithMaven();
    }
    if (!Files.isRegularFile(inRepo)) {
      throw new IOException("S3Proxy jar not found at " + inRepo + "; run: mvn dependency:get"
          + " -Dartifact=org.gaul:s3proxy:" + VERSION + ":jar:jar-with-dependencies -Dtransitive=false");
    }
    return inRepo;
  }

  private static Path localRepository() {
    String repo = System.getProperty("maven.repo.local", "");
    return repo.isBlank() || repo.startsWith("${")
        ? Paths.get(System.getProperty("user.home"), ".m2", "repository")
        : Paths.get(repo);
  }

  private static void fetchWithMaven() throws IOException {
    List<String> cmd = new ArrayList<>(List.of("mvn", "-B", "-q", "dependency:get",
        "-Dartifact=org.gaul:s3proxy:" + VERSION + ":jar:jar-with-dependencies", "-Dtransitive=false"));
    if (!System.getProperty("maven.repo.local", "").isBlank()) {
      cmd.add("-Dmaven.repo.local=" + localRepository());
    }
    Process mvn = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      if (!mvn.waitFor(5, TimeUnit.MINUTES)) {
        mvn.destroyForcibly();
      }
    } catch (InterruptedException e) {
      mvn.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching S3Proxy", e);
    }
  }

  private static S3ProxyServer launch(Path jar, Path workDir, int port) throws IOException {
    SecureRandom random = new SecureRandom();
    String accessKeyId = "qm" + hex(random, 8);
    String secretAccessKey = hex(random, 20);
    Path baseDir = Files.createDirectories(workDir.resolve("data"));

    Properties props = new Properties();
    props.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
    props.setProperty("s3proxy.authorization", "aws-v2-or-v4");
    props.setProperty("s3proxy.identity", accessKeyId);
    props.setProperty("s3proxy.credential", secretAccessKey);
    props.setProperty("jclouds.provider", "filesystem");
    props.setProperty("jclouds.filesystem.basedir", baseDir.toString());
    Path conf = workDir.resolve("s3proxy.conf");
    try (OutputStream out = Files.newOutputStream(conf)) {
      props.store(out, null);
    }

    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    Process process = new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:+UseSerialGC",
        "-jar", jar.toString(), "--properties", conf.toString())
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(workDir.resolve("s3proxy.log").toFile())
        .start();
    return new S3ProxyServer(workDir, port, accessKeyId, secretAccessKey, process);
  }

  private void awaitReady() throws IOException {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("S3Proxy exited with " + process.exitValue() + ": " + logTail());
      }
      try {
        HttpURLConnection conn = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/").openConnection();
        conn.setConnectTimeout(500);
        conn.setReadTimeout(2000);
        int status = conn.getResponseCode(); // any status (403 without credentials) means it serves
        conn.disconnect();
        if (status > 0) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for S3Proxy", e);
      }
    }
    throw new IOException("S3Proxy did not answer on port " + port + " within " + STARTUP_TIMEOUT + ": " + logTail());
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log)";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String hex(SecureRandom random, int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // a leftover temp folder is not worth failing a test for
    }
  }
}
