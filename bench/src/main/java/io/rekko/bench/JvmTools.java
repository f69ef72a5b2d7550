package io.rekko.bench;

import io.rekko.bench.Results.JfrSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDK's own tools pointed at a running worker: {@code jcmd} for a full collection and the heap
 * in use after it, for a Flight Recorder dump; {@code jfr view} to summarise the dump.
 */
final class JvmTools {
  private static final int SUMMARY_LINES = 15;
  private static final Pattern HISTOGRAM_ROW =
      Pattern.compile("(?m)^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)");

  private JvmTools() {}

  /**
   * Live heap bytes, as the class histogram counts them during the full collection it starts; -1
   * when jcmd cannot tell. (Reading {@code GC.heap_info} after {@code GC.run} instead would also
   * count what the worker allocated between the two commands: tens of MB under load.)
   */
  static long heapAfterGc(long pid) {
    return liveTotal(liveBytesByClass(pid));
  }

  /** The bytes of every class together; -1 for an empty histogram (jcmd could not tell). */
  static long liveTotal(Map<String, Long> liveBytesByClass) {
    return liveBytesByClass.isEmpty()
        ? -1
        : liveBytesByClass.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Live bytes per class after a full collection ({@code jcmd GC.class_histogram}, which collects
   * first), by class name; empty when jcmd cannot tell.
   */
  static Map<String, Long> liveBytesByClass(long pid) {
    return histogram(run(List.of(tool("jcmd"), Long.toString(pid), "GC.class_histogram")));
  }

  /**
   * Parses the rows {@code " 1: 1234 56789 java.lang.String (java.base@25)"}, leaving out the JVM's
   * filler arrays: they pad unused heap space so that the heap can be walked, hold nothing, and
   * come and go by megabytes with the collector's bookkeeping.
   */
  static Map<String, Long> histogram(String text) {
    Map<String, Long> bytes = new HashMap<>();
    Matcher row = HISTOGRAM_ROW.matcher(text);
    while (row.find()) {
      if (!row.group(2).contains("jdk.internal.vm.Filler")) {
        bytes.merge(row.group(2), Long.parseLong(row.group(1)), Long::sum);
      }
    }
    return bytes;
  }

  /** The {@code top} classes whose live bytes grew most from {@code before} to {@code after}. */
  static List<String> growth(Map<String, Long> before, Map<String, Long> after, int top) {
    return after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(top)
        .map(e -> String.format("%+,d KiB  %s", e.getValue() / 1024, e.getKey()))
        .toList();
  }

  /** Dumps the recording the worker started with and summarises it. */
  static JfrSummary flightRecording(long pid, Path file) {
    String dump =
        run(
            List.of(
                tool("jcmd"), Long.toString(pid), "JFR.dump", "filename=" + file.toAbsolutePath()));
    if (!dump.contains("Dumped recording")) {
      return JfrSummary.none("no recording: " + dump.trim());
    }
    return new JfrSummary(
        view("hot-methods", file), view("allocation-by-class", file), file.toString());
  }

  /** The first lines of {@code jfr view <name>}, blank lines and rulers left out. */
  static List<String> view(String name, Path file) {
    String out = run(List.of(tool("jfr"), "view", "--width", "140", name, file.toString()));
    List<String> lines = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank() && !line.startsWith("---") && lines.size() < SUMMARY_LINES + 2) {
        lines.add(line.stripTrailing());
      }
    }
    return lines;
  }

  private static String tool(String name) {
    return Path.of(System.getProperty("java.home"), "bin", name).toString();
  }

  private static String run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(" + command.get(0) + " failed: " + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }
}
