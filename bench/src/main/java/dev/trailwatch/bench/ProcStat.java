package dev.trailwatch.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time from Linux's {@code /proc}: per thread of this process (by thread name, which HotSpot
 * sets to the Java thread name cut to 15 characters; GC and JIT threads included), and for the
 * whole machine (user, system, iowait, steal). Clock ticks are converted with USER_HZ = 100.
 */
final class ProcStat {
  static final long NANOS_PER_TICK = 10_000_000L;

  private ProcStat() {}

  /** CPU nanoseconds (user + system) per thread name, summed over threads of the same name. */
  static Map<String, Long> threadCpu() throws IOException {
    Map<String, Long> cpu = new TreeMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (NoSuchFileException e) {
          continue; // the thread ended
        }
        String name = normalise(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
        cpu.merge(name, cpuNanos(stat), Long::sum);
      }
    }
    return cpu;
  }

  /** CPU nanoseconds (user + system) of another process, e.g. a server under load. */
  static long processCpu(long pid) throws IOException {
    return cpuNanos(Files.readString(Path.of("/proc/" + pid + "/stat")));
  }

  /** The peak resident set size of a process (VmHWM), in KiB; -1 when not shown. */
  static long peakRssKib(long pid) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (l.startsWith("VmHWM:")) {
        return Long.parseLong(l.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  /** utime + stime of a {@code stat} line, in nanoseconds. */
  private static long cpuNanos(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // After "pid (comm) ": state is field 0, utime field 11, stime field 12.
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
  }

  /** Folds numbered pool threads ("GC Thread#1", "C2 CompilerThre") into one name per pool. */
  static String normalise(String name) {
    return name.replaceAll("#\\d+$", "#*").replaceAll("\\d+$", "*");
  }

  /**
   * The machine's CPU time in nanoseconds: user(+nice), system(+irq+softirq), idle, iowait, steal.
   */
  record Machine(long user, long system, long idle, long iowait, long steal) {
    static Machine read() throws IOException {
      List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
      String[] f = lines.get(0).trim().split("\\s+");
      long[] t = new long[f.length];
      for (int i = 1; i < f.length; i++) {
        t[i] = Long.parseLong(f[i]) * NANOS_PER_TICK;
      }
      // cpu user nice system idle iowait irq softirq steal guest guest_nice
      return new Machine(t[1] + t[2], t[3] + t[6] + t[7], t[4], t[5], t[8]);
    }

    Machine minus(Machine o) {
      return new Machine(
          user - o.user, system - o.system, idle - o.idle, iowait - o.iowait, steal - o.steal);
    }
  }
}
