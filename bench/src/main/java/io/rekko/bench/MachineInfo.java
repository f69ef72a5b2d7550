package io.rekko.bench;

import io.rekko.bench.Results.Machine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the run ran on, from {@code /proc} and {@code /etc/os-release}. */
final class MachineInfo {
  private MachineInfo() {}

  static Machine describe(List<String> servers) {
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        field(Path.of("/proc/cpuinfo"), "model name", ":").orElse("unknown"),
        field(Path.of("/proc/meminfo"), "MemTotal", ":")
            .map(v -> Long.parseLong(v.replace("kB", "").trim()) * 1024)
            .orElse(0L),
        field(Path.of("/etc/os-release"), "PRETTY_NAME", "=")
                .map(v -> v.replace("\"", ""))
                .orElse(System.getProperty("os.name"))
            + ", Linux "
            + System.getProperty("os.version"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        servers);
  }

  private static java.util.Optional<String> field(Path file, String name, String separator) {
    try {
      for (String line : Files.readAllLines(file)) {
        int at = line.indexOf(separator);
        if (at > 0 && line.substring(0, at).trim().equals(name)) {
          return java.util.Optional.of(line.substring(at + 1).trim());
        }
      }
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.empty();
  }
}
