package com.quantmini.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Write-then-rename on Beam filesystems: readers see either the old file or the whole new one,
 * and a retried bundle simply writes again. Temp names start with "_tmp-" beside the target.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes one file's content. */
  @FunctionalInterface
  public interface Body {
    void writeTo(ResourceId temp) throws IOException;
  }

  /** A file's bytes (any file system Beam knows); null when it does not exist. */
  public static byte[] readIfExists(String path) throws IOException {
    MatchResult m = FileSystems.match(path, EmptyMatchTreatment.ALLOW);
    if (m.status() != MatchResult.Status.OK || m.metadata().isEmpty()) {
      return null;
    }
    try (InputStream in = Channels.newInputStream(FileSystems.open(m.metadata().get(0).resourceId()))) {
      return in.readAllBytes();
    }
  }

  public static ResourceId resource(String path) {
    return FileSystems.matchNewResource(path, false);
  }

  public static ResourceId temp(ResourceId target) {
    return target.getCurrentDirectory().resolve(
        "_tmp-" + UUID.randomUUID() + "-" + target.getFilename(), StandardResolveOptions.RESOLVE_FILE);
  }

  /** Runs {@code body} on a temp file, then moves it over {@code target}. */
  public static void write(ResourceId target, Body body) throws IOException {
    ResourceId tmp = temp(target);
    try {
      body.writeTo(tmp);
      FileSystems.rename(List.of(tmp), List.of(target), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException | RuntimeException e) {
      try {
        FileSystems.delete(List.of(tmp), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  public static void writeBytes(ResourceId target, byte[] content) throws IOException {
    write(target, tmp -> {
      try (OutputStream out = Channels.newOutputStream(FileSystems.create(tmp, "application/octet-stream"))) {
        out.write(content);
      }
    });
  }

  public static void writeString(ResourceId target, String content) throws IOException {
    writeBytes(target, content.getBytes(StandardCharsets.UTF_8));
  }
}
