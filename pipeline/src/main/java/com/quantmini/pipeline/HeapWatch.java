package com.quantmini.pipeline;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The heap a run really needed: the largest heap in use right after a garbage collection (what
 * was live then), not the pools' peaks, which include garbage and exceed -Xmx when summed.
 */
final class HeapWatch {
  private static final AtomicLong MAX_LIVE = new AtomicLong();
  private static volatile boolean listening;
  private static final Set<String> HEAP_POOLS = new HashSet<>();

  static {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        HEAP_POOLS.add(p.getName());
      }
    }
  }

  private HeapWatch() {}

  /** Starts (or restarts) the watch for the next run. */
  static synchronized void reset() {
    MAX_LIVE.set(0);
    if (listening) {
      return;
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter) {
        ((NotificationEmitter) gc).addNotificationListener((n, handback) -> {
          if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
          }
          GarbageCollectionNotificationInfo info =
              GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
          long used = 0;
          for (Map.Entry<String, MemoryUsage> u : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (HEAP_POOLS.contains(u.getKey())) {
              used += u.getValue().getUsed();
            }
          }
          MAX_LIVE.accumulateAndGet(used, Math::max);
        }, null, null);
      }
    }
    listening = true;
  }

  /** Largest heap in use after a collection since {@link #reset}. */
  static long maxLiveBytes() {
    return MAX_LIVE.get();
  }
}
