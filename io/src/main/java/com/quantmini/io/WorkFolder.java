package com.quantmini.io;

import com.quantmini.transforms.model.BlockStore;
import com.quantmini.transforms.model.FeatureBlock;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;

/**
 * One area of a run's scratch space ({@code <output>/_work/<area>}, deleted by the commit): the
 * spilled groups ({@link SpillGroupByKey}), the stored feature blocks and the silver parts
 * ({@link SilverSpill}) of the Direct runner. Every file gets a fresh name in its key's folder,
 * {@code <area>/<key>/<uuid><suffix>}: a re-run bundle leaves an orphan nobody reads instead of
 * overwriting what a finished bundle handed on.
 */
public final class WorkFolder implements BlockStore {
  private static final long serialVersionUID = 1L;

  private final String dir;

  private WorkFolder(String dir) {
    this.dir = dir;
  }

  /** The area {@code name} of the work folder {@code workDir}. */
  public static WorkFolder in(String workDir, String name) {
    return new WorkFolder(workDir + "/" + name);
  }

  /** A new file's path for a value of {@code key}; its folder exists on a local disk. */
  public String freshFile(String key, String suffix) throws IOException {
    String folder = dir + "/" + key.replace('/', '_');
    if (!folder.contains("://")) {
      Files.createDirectories(Paths.get(folder));
    }
    return folder + "/" + UUID.randomUUID() + suffix;
  }

  /** A new file to write (any file system Beam knows). */
  static OutputStream create(String path) throws IOException {
    return new BufferedOutputStream(Channels.newOutputStream(
        FileSystems.create(FileSystems.matchNewResource(path, false), "application/octet-stream")), 1 << 16);
  }

  /** A file written by {@link #create}; a missing one names the likely cause. */
  static InputStream open(String path) throws IOException {
    try {
      return new BufferedInputStream(Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(path, false))),
          1 << 16);
    } catch (FileNotFoundException | NoSuchFileException e) {
      throw new IOException(path + " is gone (was the run's _work folder removed while it ran?)", e);
    }
  }

  @Override
  public FeatureBlock store(FeatureBlock block) throws IOException {
    String path = freshFile(block.bucket(), ".bin");
    try (OutputStream out = create(path)) {
      FeatureBlock.FeatureBlockCoder.of().encode(block, out);
    }
    return block.storedAt(path);
  }

  /** A block with its symbols in memory: read from its file when it is a stored handle. */
  public static FeatureBlock load(FeatureBlock block) throws IOException {
    if (!block.isStored()) {
      return block;
    }
    try (InputStream in = open(block.path())) {
      FeatureBlock b = FeatureBlock.FeatureBlockCoder.of().decode(in);
      if (b.isStored()) {
        throw new IOException(block.path() + " holds a handle, not a feature block");
      }
      return b;
    }
  }
}
