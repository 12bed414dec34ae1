package com.quantmini.runners.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Samples heap in use (MemoryMXBean) and resident set size ({@code /proc/self/status} VmRSS) every 50 ms on a daemon
 * thread and keeps the peaks of the current phase. On Linux the kernel's own peak (VmHWM) is reset at the start of
 * each phase through {@code /proc/self/clear_refs} and also read at its end, so short spikes between samples count.
 * Native memory (DuckDB) shows only in RSS.
 */
final class MemorySampler implements AutoCloseable {
  /** Peaks of one phase, in bytes; -1 where the platform cannot tell. */
  record Peak(long heapBytes, long rssBytes) {}

  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long peakHeap;
  private volatile long peakRss;
  private volatile boolean hwmReset;

  MemorySampler() {
    thread = new Thread(this::loop, "bench-memory-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts a phase: forgets the previous peaks. */
  synchronized void begin() {
    hwmReset = resetHighWaterMark();
    peakHeap = memory.getHeapMemoryUsage().getUsed();
    peakRss = statusKb("VmRSS:") * 1024;
  }

  /** Ends a phase and returns its peaks. */
  synchronized Peak end() {
    sample();
    long rss = peakRss;
    if (hwmReset) {
      rss = Math.max(rss, statusKb("VmHWM:") * 1024);
    }
    return new Peak(peakHeap, rss < 0 ? -1 : rss);
  }

  private void loop() {
    while (running) {
      sample();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void sample() {
    peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
    peakRss = Math.max(peakRss, statusKb("VmRSS:") * 1024);
  }

  /** Writing "5" to clear_refs resets VmHWM to the current RSS (Linux 4.0+). */
  private static boolean resetHighWaterMark() {
    try {
      Files.writeString(CLEAR_REFS, "5");
      return true;
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;   // not Linux, or not allowed: fall back to the 50 ms samples
    }
  }

  private static long statusKb(String field) {
    try {
      for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
