package com.quantmini.io;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One writer per output: a run holds an operating-system lock on {@code <output>/_lock} for its
 * whole life and writes who it is into it (host, pid, start time, command). The file is never
 * deleted (deleting would let a waiting process lock a file nobody else sees): an empty file is a
 * free output. Content without a lock behind it was left by a run that died; on this host, when
 * that process is gone, it is taken over (and said so); from another host it never is. A job
 * submitted detached to a cluster outlives its launcher: its lock stays written and the job's
 * commit clears it ({@link #releaseDetached}).
 */
public final class OutputLock implements AutoCloseable {
  public static final String FILE = "_lock";

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private final String runId;
  /** What a lock left by a dead run said, when this one took it over; else null. */
  public final String tookOver;
  private boolean detached;

  /** Another run holds the output; the message names it. */
  public static final class Held extends Exception {
    Held(String message) {
      super(message);
    }
  }

  private OutputLock(Path file, FileChannel channel, FileLock lock, String runId, String tookOver) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    this.runId = runId;
    this.tookOver = tookOver;
  }

  /** Takes the output's lock for {@code command}, or throws {@link Held} having changed nothing. */
  public static OutputLock acquire(String output, String command) throws IOException, Held {
    Path dir = Paths.get(output);
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE);
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another run in this JVM
    }
    Map<String, String> holder = read(ch);
    if (lock == null) {
      ch.close();
      throw new Held(output + " is being written by another run (" + describe(holder) + "); this run changed "
          + "nothing. Wait for it to finish");
    }
    String tookOver = null;
    if (!holder.isEmpty()) {
      String why = refuse(holder);
      if (why != null) {
        lock.release();
        ch.close();
        throw new Held(output + " " + why + "; this run changed nothing");
      }
      tookOver = describe(holder);
    }
    String runId = UUID.randomUUID().toString();
    OutputLock l = new OutputLock(file, ch, lock, runId, tookOver);
    Map<String, String> me = new LinkedHashMap<>();
    me.put("host", host());
    me.put("pid", Long.toString(ProcessHandle.current().pid()));
    me.put("started", Instant.now().toString());
    me.put("command", command);
    me.put("run", runId);
    me.put("detached", "false");
    l.write(me);
    return l;
  }

  /** Why a lock nobody holds must still not be taken over, or null when its run is gone. */
  private static String refuse(Map<String, String> holder) {
    if ("true".equals(holder.get("detached"))) {
      return "is being written by a job submitted detached (" + describe(holder) + "), which clears the lock "
          + "when it commits; if that job failed, empty " + FILE + " by hand";
    }
    if (!host().equals(holder.get("host"))) {
      return "is locked by a run on another host (" + describe(holder) + "); its process cannot be checked "
          + "from here: if that run is gone, empty " + FILE + " by hand";
    }
    Optional<ProcessHandle> p = ProcessHandle.of(parsePid(holder.get("pid")));
    if (p.isPresent() && p.get().isAlive() && startedBefore(p.get(), holder.get("started"))) {
      return "is locked by a live process that holds no lock on it (" + describe(holder) + ")";
    }
    return null;
  }

  /** Whether the process existed when the lock was written (not a later one with a reused pid). */
  private static boolean startedBefore(ProcessHandle p, String started) {
    Optional<Instant> s = p.info().startInstant();
    try {
      return s.isEmpty() || started == null || !s.get().isAfter(Instant.parse(started));
    } catch (DateTimeParseException e) {
      return true;
    }
  }

  private static long parsePid(String pid) {
    try {
      return pid == null ? -1 : Long.parseLong(pid.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The lock outlives this process (a job submitted detached): the file keeps naming this run
   * until the job's commit clears it; the operating-system lock goes with the process.
   */
  public String detach() throws IOException {
    Map<String, String> m = read(channel);
    m.put("detached", "true");
    write(m);
    detached = true;
    return runId;
  }

  /** Empties the lock a detached job's launcher left, if it is still that run's. */
  public static void releaseDetached(String output, String runId) throws IOException {
    Path file = Paths.get(output, FILE);
    if (runId == null || !Files.exists(file)) {
      return;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      if (runId.equals(read(ch).get("run"))) {
        ch.truncate(0);
        ch.force(true);
      }
    }
  }

  @Override
  public void close() throws IOException {
    if (!detached) {
      channel.truncate(0);
      channel.force(true);
    }
    lock.release();
    channel.close();
  }

  private void write(Map<String, String> m) throws IOException {
    StringBuilder b = new StringBuilder();
    m.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8)), 0);
    channel.force(true);
  }

  private static Map<String, String> read(FileChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate((int) Math.min(ch.size(), 64 * 1024));
    ch.read(b, 0);
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        m.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return m;
  }

  private static String describe(Map<String, String> h) {
    if (h.isEmpty()) {
      return "holder unknown";
    }
    return "host " + h.getOrDefault("host", "?") + ", pid " + h.getOrDefault("pid", "?") + ", started "
        + h.getOrDefault("started", "?") + ", command " + h.getOrDefault("command", "?");
  }

  static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
    }
  }

  /** The file this lock lives in. */
  public Path file() {
    return file;
  }
}
