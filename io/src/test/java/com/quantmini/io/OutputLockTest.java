package com.quantmini.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output lock: one holder at a time, freed by its holder, kept by a detached job until its commit. */
class OutputLockTest {
  @TempDir
  Path out;

  @Test
  void oneHolderAtATimeAndAFreedLockIsEmpty() throws Exception {
    try (OutputLock first = OutputLock.acquire(out.toString(), "backfill")) {
      assertThat(first.tookOver, nullValue());
      assertThat(Files.readString(first.file()), containsString("command=backfill"));
      OutputLock.Held held = assertThrows(OutputLock.Held.class, () -> OutputLock.acquire(out.toString(), "daily"));
      assertThat(held.getMessage(), containsString("pid " + ProcessHandle.current().pid()));
      assertThat(held.getMessage(), containsString("command backfill"));
    }
    assertThat(Files.readString(out.resolve(OutputLock.FILE)), is(""));
    try (OutputLock again = OutputLock.acquire(out.toString(), "daily")) {
      assertThat(again.tookOver, nullValue());
    }
  }

  @Test
  void aDetachedJobKeepsTheLockUntilItsCommitClearsIt() throws Exception {
    String run;
    try (OutputLock l = OutputLock.acquire(out.toString(), "run")) {
      run = l.detach();
    }
    OutputLock.Held held = assertThrows(OutputLock.Held.class, () -> OutputLock.acquire(out.toString(), "daily"));
    assertThat(held.getMessage(), containsString("submitted detached"));
    OutputLock.releaseDetached(out.toString(), "another-run");
    assertThrows(OutputLock.Held.class, () -> OutputLock.acquire(out.toString(), "daily"));
    OutputLock.releaseDetached(out.toString(), run);
    try (OutputLock l = OutputLock.acquire(out.toString(), "daily")) {
      assertThat(l.tookOver, nullValue());
    }
  }
}
