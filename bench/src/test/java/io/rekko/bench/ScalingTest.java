package io.rekko.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.bench.Results.ProcessCpu;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScalingTest {

  @Test
  void theSharedServerWithTheMostCpuPerCommandSaturatesFirst() {
    // 10,000 commands: postgresql 2 s = 200 us each, redis 1 s = 100 us, kafka 0.5 s = 50 us.
    String section =
        Scaling.section(
            List.of(
                ResultsFixture.workerRunWithCpu(
                    10_000,
                    new ProcessCpu("worker or baseline", 12.0),
                    new ProcessCpu("kafka", 0.5),
                    new ProcessCpu("postgresql", 2.0),
                    new ProcessCpu("redis", 1.0))),
            2);

    assertTrue(
        section.contains(
            "**postgresql** saturates first: at 200 µs per command it fills"
                + " 2 CPUs at about 10,000 commands/s"),
        section);
    assertTrue(section.contains("| postgresql | 200 | 10,000 | 1.0 |"), section);
    assertTrue(section.contains("| worker or baseline | 1,200 | 1,667 | 6.0 |"), section);
  }

  @Test
  void withoutAMixedWorkerDrainTheSectionSaysSo() {
    assertTrue(
        Scaling.section(List.of(ResultsFixture.baselineRun()), 2)
            .contains("No mixed worker drain ran."));
  }
}
