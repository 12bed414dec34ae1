package com.quantmini.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.quantmini.io.s3.FlakyProxy;
import com.quantmini.io.s3.S3ProxyServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --input=s3://flatfiles} against a real S3-compatible server (S3Proxy, a separate JVM on
 * 127.0.0.1) seeded with testdata/flatfiles in the provider's key layout, through the command line
 * exactly as a user runs it: only {@code --endpoint} (a host name, so only path style works) and
 * {@code --awsRegion}; credentials from the default AWS chain (the {@code aws.accessKeyId} /
 * {@code aws.secretAccessKey} system properties here, environment variables for users). The
 * outputs must equal those of a run over the local folder; through a faulty proxy a run must
 * either produce those same outputs or fail loudly.
 */
class S3SourceTest {
  private static S3ProxyServer s3;

  @BeforeAll
  static void startServer() throws IOException {
    s3 = S3ProxyServer.start();
    s3.seed(Runs.testdata().resolve("flatfiles"));
    System.setProperty("aws.accessKeyId", s3.accessKeyId());
    System.setProperty("aws.secretAccessKey", s3.secretAccessKey());
  }

  @AfterAll
  static void stopServer() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    if (s3 != null) {
      s3.close();
    }
  }

  @AfterEach
  void forgetS3Settings() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  private static Runs.Result runFrom(URI endpoint, Path out, String... extra) {
    List<String> args = new ArrayList<>(List.of("run", "--input=s3://flatfiles",
        "--endpoint=" + endpoint, "--awsRegion=us-east-1", "--output=" + out));
    args.addAll(List.of(extra));
    return Runs.run(args.toArray(new String[0]));
  }

  @Test
  void s3InputWritesTheSameOutputsAsTheLocalFolder(@TempDir Path out) throws Exception {
    Path local = Runs.directReference();

    Runs.Result r = runFrom(s3.endpoint(), out);

    assertThat(r.toString(), r.succeeded(), is(true));
    assertThat(r.console, containsString("16 listed, 0 already processed, 16 read"));
    assertThat(CompareOutputs.differences(local, out), empty());
  }

  @Test
  void credentialsAppearNowhereInTheConsoleOrTheOutputs(@TempDir Path out) throws Exception {
    Runs.Result r = runFrom(s3.endpoint(), out);

    assertThat(r.toString(), r.succeeded(), is(true));
    assertThat(r.console, not(containsString(s3.secretAccessKey())));
    assertThat(r.console, not(containsString(s3.accessKeyId())));
    for (String f : CompareOutputs.files(out)) {
      String text = new String(Files.readAllBytes(out.resolve(f)), StandardCharsets.ISO_8859_1);
      assertThat(f, text, not(containsString(s3.secretAccessKey())));
    }
  }

  @Test
  void slowDownsAreRetriedOrTheRunFailsLoudly(@TempDir Path out) throws Exception {
    Path local = Runs.directReference();
    try (FlakyProxy proxy = FlakyProxy.start(s3.port(), 0.25, 0.0, 11)) {
      Runs.Result r = runFrom(proxy.endpoint(), out);

      assertThat("503s injected", proxy.slowDowns(), greaterThan(0));
      assertOutputsEqualOrRunFailed(r, local, out);
    }
  }

  @Test
  void droppedConnectionsAreRetriedOrTheRunFailsLoudly(@TempDir Path out) throws Exception {
    Path local = Runs.directReference();
    try (FlakyProxy proxy = FlakyProxy.start(s3.port(), 0.0, 0.15, 5)) {
      Runs.Result r = runFrom(proxy.endpoint(), out);

      assertThat("responses cut", proxy.cuts(), greaterThan(0));
      assertOutputsEqualOrRunFailed(r, local, out);
    }
  }

  @Test
  void aServerThatAlwaysFailsFailsTheRunInsteadOfListingNothing(@TempDir Path out) throws Exception {
    try (FlakyProxy proxy = FlakyProxy.start(s3.port(), 1.0, 0.0, 3)) {
      Runs.Result r = runFrom(proxy.endpoint(), out, "--datasets=stocks_daily");

      assertThat(r.toString(), r.succeeded(), is(false));
      // thrown by the pipeline's listing, or reported by the launcher's own (exit 1)
      assertThat(r.error + "\n" + r.console, containsString("Status Code: 503"));
    }
  }

  /** Success must mean complete; anything else must be a non-zero exit or an exception. */
  private static void assertOutputsEqualOrRunFailed(Runs.Result r, Path local, Path out) throws Exception {
    if (r.succeeded()) {
      assertThat(CompareOutputs.differences(local, out), empty());
    } else {
      System.err.println("S3SourceTest: the faulty run failed loudly, as allowed: exit " + r.exit);
      if (r.error != null) {
        r.error.printStackTrace();
      }
      assertThat(r.toString(), r.exit != 0 || r.error != null, is(true));
    }
  }
}
