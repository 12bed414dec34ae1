package com.quantmini.io.s3;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.MimeTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Beam's {@code s3://} file system against a real S3-compatible server (S3Proxy) on loopback. */
class S3FileSystemThroughS3ProxyTest {

  private static final String GLOB = "s3://flatfiles/us_stocks_sip/**";

  @TempDir static Path seedRoot;
  private static S3ProxyServer s3;

  @BeforeAll
  static void startServer() throws IOException {
    FlatFileFixtures.writeDays(seedRoot, 2_000);
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
  void matchListsSeededObjectsWithSizes() throws IOException {
    useServer();
    Map<String, Long> sizes = matchSizes(GLOB);
    assertThat(sizes.keySet(), containsInAnyOrder(
        "s3://flatfiles/" + FlatFileFixtures.DAY_KEYS.get(0), "s3://flatfiles/" + FlatFileFixtures.DAY_KEYS.get(1)));
    for (String key : FlatFileFixtures.DAY_KEYS) {
      assertThat(key, sizes.get("s3://flatfiles/" + key), equalTo(Files.size(seedRoot.resolve(key))));
    }
  }

  @Test
  void openReturnsTheLocalFilesBytes() throws IOException {
    useServer();
    for (String key : FlatFileFixtures.DAY_KEYS) {
      assertThat(key, read("s3://flatfiles/" + key), equalTo(Files.readAllBytes(seedRoot.resolve(key))));
    }
  }

  @Test
  void flagsFromTheCommandLineConfigureTheFileSystem() throws IOException {
    // S3Options is not registered by aws2 itself: without this --s3ClientFactoryClass is rejected
    PipelineOptionsFactory.register(S3Options.class);
    String credentials = String.format(
        "{\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"%s\",\"secretAccessKey\":\"%s\"}",
        s3.accessKeyId(), s3.secretAccessKey());
    S3Options options = PipelineOptionsFactory.fromArgs(
        "--endpoint=" + s3.endpoint(),
        "--awsRegion=us-east-1",
        "--awsCredentialsProvider=" + credentials,
        "--s3ClientFactoryClass=" + PathStyleS3ClientBuilderFactory.class.getName())
        .as(S3Options.class);
    FileSystems.setDefaultPipelineOptions(options);

    assertThat(matchSizes(GLOB).size(), equalTo(FlatFileFixtures.DAY_KEYS.size()));
  }

  @Test
  void writeThenRenameMovesTheObject() throws IOException {
    useServer();
    s3.createBucket("lake");
    byte[] payload = "written through Beam\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
    ResourceId tmp = FileSystems.matchNewResource("s3://lake/tmp/part-0.txt", false);
    ResourceId dst = FileSystems.matchNewResource("s3://lake/year=2024/part-0.txt", false);

    // multipart upload + CopyObject: both carry bucketKeyEnabled, which ClearBucketKeyInterceptor removes
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(tmp, MimeTypes.BINARY))) {
      out.write(payload);
    }
    FileSystems.rename(List.of(tmp), List.of(dst));

    assertThat(read(dst.toString()), equalTo(payload));
    assertThat(matchSizes("s3://lake/tmp/*").keySet(), empty());
    assertThat(matchSizes("s3://lake/**").keySet(), contains("s3://lake/year=2024/part-0.txt"));
  }

  private static void useServer() {
    FileSystems.setDefaultPipelineOptions(s3.applyTo(PipelineOptionsFactory.as(S3Options.class)));
  }

  static Map<String, Long> matchSizes(String glob) throws IOException {
    MatchResult result = FileSystems.match(glob);
    if (result.status() == MatchResult.Status.NOT_FOUND) {
      return Map.of();
    }
    return result.metadata().stream()
        .collect(Collectors.toMap(m -> m.resourceId().toString(), Metadata::sizeBytes));
  }

  static byte[] read(String spec) throws IOException {
    ResourceId id = FileSystems.matchNewResource(spec, false);
    try (var in = Channels.newInputStream(FileSystems.open(id))) {
      return in.readAllBytes();
    }
  }
}
