package com.quantmini.io.s3;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Beam's {@code s3://} reads through {@link FlakyProxy}: every read either returns exactly the
 * stored bytes or throws; a broken response never comes back as shorter data.
 */
class S3FileSystemThroughFlakyProxyTest {

  private static final int ROUNDS = 5;

  @TempDir static Path seedRoot;
  private static S3ProxyServer s3;

  @BeforeAll
  static void startServer() throws IOException {
    // ~300 KB per file, so a cut lands well inside the body
    FlatFileFixtures.writeDays(seedRoot, 6_000);
    s3 = S3ProxyServer.start();
    s3.seed(seedRoot);
  }

  @AfterAll
  static void stopServer() {
    if (s3 != null) {
      s3.close();
    }
  }

  @AfterEach
  void resetFileSystems() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  @Test
  void readsSurviveSlowDownsThroughSdkRetries() throws IOException {
    try (FlakyProxy proxy = FlakyProxy.start(s3.port(), 0.3, 0.0, 42)) {
      useProxy(proxy);
      Outcomes outcomes = readAllRounds();

      assertThat("503s injected", proxy.slowDowns(), greaterThan(0));
      assertThat("reads that returned identical bytes", outcomes.identical, greaterThan(0));
      Map<String, Long> listed = S3FileSystemThroughS3ProxyTest.matchSizes("s3://flatfiles/us_stocks_sip/**");
      assertThat(listed.size(), equalTo(FlatFileFixtures.DAY_KEYS.size()));
    }
  }

  @Test
  void responsesCutMidBodyFailLoudlyOrAreRetried() throws IOException {
    try (FlakyProxy proxy = FlakyProxy.start(s3.port(), 0.0, 0.3, 7)) {
      useProxy(proxy);
      Outcomes outcomes = readAllRounds();

      assertThat("responses cut", proxy.cuts(), greaterThan(0));
      assertThat("reads that returned identical bytes", outcomes.identical, greaterThan(0));
    }
  }

  private static void useProxy(FlakyProxy proxy) {
    FileSystems.setDefaultPipelineOptions(s3.applyTo(PipelineOptionsFactory.as(S3Options.class), proxy.endpoint()));
  }

  /** Reads every object {@link #ROUNDS} times; fails on any read that returns wrong bytes. */
  private static Outcomes readAllRounds() throws IOException {
    Outcomes outcomes = new Outcomes();
    for (int round = 0; round < ROUNDS; round++) {
      for (String key : FlatFileFixtures.DAY_KEYS) {
        byte[] expected = Files.readAllBytes(seedRoot.resolve(key));
        byte[] actual;
        try {
          actual = S3FileSystemThroughS3ProxyTest.read("s3://flatfiles/" + key);
        } catch (IOException | SdkException e) {
          outcomes.failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
          continue;
        }
        if (!Arrays.equals(actual, expected)) {
          fail(key + " came back with " + actual.length + " bytes instead of " + expected.length + " without an error");
        }
        outcomes.identical++;
      }
    }
    return outcomes;
  }

  private static final class Outcomes {
    int identical;
    final List<String> failures = new ArrayList<>();
  }
}
