package io.rekko.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * What Linux's {@code /proc} says about a process: CPU time, resident memory, parent, command line.
 * Every read tolerates a process that has just exited (it answers empty).
 *
 * <p>CPU times in {@code /proc/<pid>/stat} are in clock ticks of {@code USER_HZ}, which the kernel
 * fixes at 100 per second for this interface on every architecture the benchmark runs on.
 */
final class Procs {
  private static final Path PROC = Path.of("/proc");
  private static final double TICKS_PER_SECOND = 100.0;

  private Procs() {}

  /**
   * User plus system CPU seconds of a process; with {@code reapedChildren}, plus those of its
   * children that have exited and been waited for.
   */
  static OptionalLong cpuTicks(long pid, boolean reapedChildren) {
    Optional<String[]> stat = stat(pid);
    if (stat.isEmpty()) {
      return OptionalLong.empty();
    }
    String[] fields = stat.get();
    // Fields after the command name, numbered as in proc(5) minus 3: utime 14, stime 15,
    // cutime 16, cstime 17.
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    if (reapedChildren) {
      ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    }
    return OptionalLong.of(ticks);
  }

  static double seconds(long ticks) {
    return ticks / TICKS_PER_SECOND;
  }

  /** The parent's pid, if the process still exists. */
  static OptionalLong parent(long pid) {
    return stat(pid)
        .map(fields -> OptionalLong.of(Long.parseLong(fields[1])))
        .orElse(OptionalLong.empty());
  }

  /** Resident set size in bytes (0 once the process has gone). */
  static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(PROC.resolve(pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
      return 0;
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The command line's arguments, empty for a process that has gone (or a kernel thread). */
  static List<String> commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(PROC.resolve(pid + "/cmdline"));
      if (raw.length == 0) {
        return List.of();
      }
      return Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Every live process whose command line matches. */
  static List<Long> find(Predicate<List<String>> commandLine) {
    List<Long> pids = new ArrayList<>();
    for (long pid : all()) {
      if (commandLine.test(commandLine(pid))) {
        pids.add(pid);
      }
    }
    return pids;
  }

  /** The live children of a process. */
  static List<Long> children(long parent) {
    List<Long> pids = new ArrayList<>();
    for (long pid : all()) {
      if (parent(pid).orElse(-1) == parent) {
        pids.add(pid);
      }
    }
    return pids;
  }

  private static List<Long> all() {
    List<Long> pids = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
          pids.add(Long.parseLong(name));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pids;
  }

  /** The fields of {@code /proc/<pid>/stat} after the command name (which may hold spaces). */
  private static Optional<String[]> stat(long pid) {
    try {
      String line = Files.readString(PROC.resolve(pid + "/stat"));
      return Optional.of(line.substring(line.lastIndexOf(')') + 2).trim().split(" "));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
