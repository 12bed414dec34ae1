package com.quantmini.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The repository's testdata/ folder (system property testdata.dir, else ../testdata). */
final class Fixtures {
  private Fixtures() {}

  static Path dir() {
    String configured = System.getProperty("testdata.dir");
    Path dir = configured == null || configured.isBlank() ? Paths.get("..", "testdata") : Paths.get(configured);
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("testdata folder not found: " + dir.toAbsolutePath());
    }
    return dir;
  }

  static Path badFile(String key) {
    return dir().resolve("bad-files").resolve(key);
  }
}
