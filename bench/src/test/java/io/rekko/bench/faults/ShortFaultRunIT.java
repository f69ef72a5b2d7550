package io.rekko.bench.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fault suite's short form, as part of the build: three workers started as the image starts
 * them, 3,000 commands, every fault once (a worker killed; the Redis Cluster lost and back empty,
 * one of its masters killed and back empty, and slow; PostgreSQL restarted and silent; the Kafka
 * broker silent; the group rebalanced; a worker halted at each failpoint), under the short timeouts
 * that let a blackhole outlast them in seconds, and the checker finds nothing lost, doubled or out
 * of order.
 */
class ShortFaultRunIT {
  private static final int COMMANDS = 3_000;

  @Test
  void threeWorkersUnderEveryFaultLoseNothingDoubleNothingAndKeepOrder() throws Exception {
    List<FaultKind> every = Arrays.asList(FaultKind.values());
    FaultRun run =
        new FaultRun(
            new FaultSettings(
                COMMANDS,
                1,
                every,
                WorkerTimeouts.SHORT,
                Path.of("target", "faults"),
                Path.of("..", "worker", "target"),
                Path.of("..", "worker", "Dockerfile")));

    Findings findings = run.run();

    Map<String, Integer> once = new HashMap<>();
    every.forEach(kind -> once.put(kind.wireName(), 1));
    assertEquals(once, findings.faultsByKind(), "every fault injected once");
    assertFalse(findings.failed(), () -> findings.report() + "\nrun directory: " + run.runDir());
  }
}
