package io.rekko.bench.faults;

import java.nio.file.Path;
import java.util.List;

/**
 * The fault suite's entry point ({@code faults/run}): three workers on real Kafka, PostgreSQL and
 * Redis, mixed traffic, faults injected, and an independent check of the outcome. Exits 0 when the
 * checker finds nothing, 1 when it finds lost, doubled or misordered outcomes (or outcomes the
 * sequential model cannot explain, or a broken tenant invariant), 2 on a bad argument or a run that
 * could not be carried out.
 *
 * <pre>
 * --commands N       commands after the tenants' set-up (default 50000)
 * --seed S           traffic, fault moments and lengths (default 1)
 * --faults a,b       of kill, redis, redis-master, slow-redis, postgres, postgres-blackhole,
 *                    kafka-blackhole, rebalance, crash-after-commit, crash-before-offsets
 *                    (default all), each once
 * --short-timeouts   workers with store.statement-timeout 5s and engine.session-timeout 10s
 *                    (default: the worker's defaults, 30s and 45s), so blackholes last seconds
 * --out DIR          where the run's directory goes (default bench/target/faults)
 * --worker-target D  the worker's target directory (default worker/target)
 * --dockerfile F     the worker image's Dockerfile (default worker/Dockerfile)
 * </pre>
 */
public final class FaultSuiteMain {
  private FaultSuiteMain() {}

  public static void main(String[] args) {
    FaultSettings settings;
    try {
      settings = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    System.out.println(
        "fault suite: "
            + settings.commands()
            + " commands, seed "
            + settings.seed()
            + ", faults "
            + settings.faults().stream().map(FaultKind::wireName).toList()
            + ", worker timeouts "
            + settings.timeouts());
    FaultRun run = new FaultRun(settings);
    int exit;
    try {
      Findings findings = run.run();
      exit = findings.failed() ? 1 : 0;
    } catch (Exception e) {
      System.err.println("the fault run could not be carried out: " + e);
      e.printStackTrace();
      exit = 2;
    }
    System.out.println("run directory: " + run.runDir());
    System.exit(exit);
  }

  static FaultSettings parse(String[] args) {
    int commands = 50_000;
    long seed = 1;
    List<FaultKind> faults = List.of(FaultKind.values());
    Path out = Path.of("bench/target/faults");
    Path workerTarget = Path.of("worker/target");
    Path dockerfile = Path.of("worker/Dockerfile");
    WorkerTimeouts timeouts = WorkerTimeouts.DEFAULTS;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--short-timeouts")) {
        timeouts = WorkerTimeouts.SHORT;
        continue;
      }
      String value = i + 1 < args.length ? args[i + 1] : null;
      if (value == null) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      switch (args[i]) {
        case "--commands" -> commands = Integer.parseInt(value);
        case "--seed" -> seed = Long.parseLong(value);
        case "--faults" -> faults = FaultKind.parse(value);
        case "--out" -> out = Path.of(value);
        case "--worker-target" -> workerTarget = Path.of(value);
        case "--dockerfile" -> dockerfile = Path.of(value);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
      i++;
    }
    return new FaultSettings(commands, seed, faults, timeouts, out, workerTarget, dockerfile);
  }
}
