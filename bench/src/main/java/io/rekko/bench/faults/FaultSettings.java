package io.rekko.bench.faults;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A fault run's parameters.
 *
 * @param commands face and admin commands to send after the tenants' set-up
 * @param seed the seed of the traffic, of when faults strike and of how long they last
 * @param faults the kinds to inject, each once, in this order
 * @param timeouts the workers' timeouts, which blackholes outlast
 * @param out where the run's directory (logs, commands sent, report) is made
 * @param workerTarget the worker module's {@code target}, with its jar and {@code lib}
 * @param dockerfile the worker image's Dockerfile, whose JAVA_TOOL_OPTIONS the workers get
 */
record FaultSettings(
    int commands,
    long seed,
    List<FaultKind> faults,
    WorkerTimeouts timeouts,
    Path out,
    Path workerTarget,
    Path dockerfile) {

  FaultSettings {
    if (commands < 100) {
      throw new IllegalArgumentException("--commands must be at least 100, was " + commands);
    }
    faults = List.copyOf(faults);
    Objects.requireNonNull(timeouts, "timeouts");
  }
}
