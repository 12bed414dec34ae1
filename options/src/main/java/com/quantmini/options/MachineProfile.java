package com.quantmini.options;

import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;

/**
 * The host as OSHI sees it (logical cores, physical memory, OS) and the JVM's max heap, plus the
 * pure mapping from memory and cores to a {@link Mode} and its concrete {@link Settings}. The
 * mapping has no I/O, so tests call {@link #modeFor} and {@link #settingsFor} with made-up hosts.
 */
public final class MachineProfile {
  private static final long GB = 1L << 30;

  /** The seed's three modes, chosen by physical memory. */
  public enum Mode {
    /** Under 32 GB (laptops): few files in flight, small row groups. */
    streaming,
    /** 32–64 GB: every core, the default sizes. */
    batch,
    /** Over 64 GB: every core, large row groups. */
    parallel
  }

  /** What one mode means in flags: Direct runner threads, advised heap, Parquet and grouping sizes. */
  public static final class Settings {
    public final Mode mode;
    public final int targetParallelism;
    public final int maxHeapGb;
    public final int parquetRowGroupMb;

    Settings(Mode mode, int targetParallelism, int maxHeapGb, int parquetRowGroupMb) {
      this.mode = mode;
      this.targetParallelism = targetParallelism;
      this.maxHeapGb = maxHeapGb;
      this.parquetRowGroupMb = parquetRowGroupMb;
    }

    @Override
    public String toString() {
      return String.format("%s: targetParallelism=%d maxHeapGb=%d parquetRowGroupMb=%d",
          mode, targetParallelism, maxHeapGb, parquetRowGroupMb);
    }
  }

  public final int logicalCores;
  public final long totalMemoryBytes;
  public final String os;
  public final long jvmMaxHeapBytes;

  public MachineProfile(int logicalCores, long totalMemoryBytes, String os, long jvmMaxHeapBytes) {
    this.logicalCores = Math.max(1, logicalCores);
    this.totalMemoryBytes = totalMemoryBytes;
    this.os = os;
    this.jvmMaxHeapBytes = jvmMaxHeapBytes;
  }

  /** Reads the host through OSHI; falls back to the JVM's view if OSHI can't read this platform. */
  public static MachineProfile detect() {
    Runtime rt = Runtime.getRuntime();
    try {
      SystemInfo si = new SystemInfo();
      HardwareAbstractionLayer hw = si.getHardware();
      return new MachineProfile(hw.getProcessor().getLogicalProcessorCount(),
          hw.getMemory().getTotal(), si.getOperatingSystem().toString(), rt.maxMemory());
    } catch (RuntimeException | LinkageError e) {
      // OSHI supports Linux, macOS and Windows; elsewhere the JVM's numbers are the best we have
      return new MachineProfile(rt.availableProcessors(), 0L,
          System.getProperty("os.name") + " (OSHI unavailable: " + e.getClass().getSimpleName() + ")",
          rt.maxMemory());
    }
  }

  /** Streaming below 32 GB, batch from 32 GB up to 64 GB, parallel above 64 GB. Unknown (0) is streaming. */
  public static Mode modeFor(long totalMemoryBytes) {
    if (totalMemoryBytes < 32 * GB) {
      return Mode.streaming;
    }
    return totalMemoryBytes <= 64 * GB ? Mode.batch : Mode.parallel;
  }

  /**
   * The concrete settings of a mode on a host. The heap leaves the OS, page cache and off-heap
   * buffers (Parquet, zstd, Netty) a share that shrinks as memory grows; a host whose memory is
   * unknown gets a 2 GB heap.
   */
  public static Settings settingsFor(Mode mode, int logicalCores, long totalMemoryBytes) {
    int cores = Math.max(1, logicalCores);
    long memGb = totalMemoryBytes / GB;
    switch (mode) {
      case streaming:
        // up to 4 files and 4 buckets in flight bound the heap on a laptop
        return new Settings(mode, Math.min(cores, 4), heapGb(memGb, 50), 32);
      case batch:
        return new Settings(mode, cores, heapGb(memGb, 60), 64);
      case parallel:
        return new Settings(mode, cores, heapGb(memGb, 70), 128);
      default:
        throw new IllegalArgumentException("unknown mode " + mode);
    }
  }

  private static int heapGb(long memGb, int percent) {
    return memGb <= 0 ? 2 : (int) Math.max(1, memGb * percent / 100);
  }

  public Mode mode() {
    return modeFor(totalMemoryBytes);
  }

  public static String gb(long bytes) {
    return String.format("%.1f GB", bytes / (double) GB);
  }
}
