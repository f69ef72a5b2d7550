package io.rekko.bench;

import static io.rekko.bench.ResultsFixture.baselineRun;
import static io.rekko.bench.ResultsFixture.results;
import static io.rekko.bench.ResultsFixture.soak;
import static io.rekko.bench.ResultsFixture.timeline;
import static io.rekko.bench.ResultsFixture.withCommand;
import static io.rekko.bench.ResultsFixture.withJfr;
import static io.rekko.bench.ResultsFixture.withLatency;
import static io.rekko.bench.ResultsFixture.withSoak;
import static io.rekko.bench.ResultsFixture.withThroughput;
import static io.rekko.bench.ResultsFixture.workerRun;
import static io.rekko.bench.ResultsFixture.workerRunWithCpu;
import static io.rekko.bench.ResultsFixture.workerRunWithTimeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.bench.Results.JfrSummary;
import io.rekko.bench.Results.ProcessCpu;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportWriterTest {
  private static final String CHART = "latency.svg";

  @Test
  void sectionsFollowTheReportsFixedOrder() {
    String report = markdown(withSoak(soak(100, 101)));
    List<String> headings =
        report.lines().filter(line -> line.startsWith("#") && !line.startsWith("###")).toList();
    assertEquals(
        List.of(
            "# Rekko worker benchmark",
            "## How it was run",
            "## Machine",
            "## Workload",
            "## Capacity",
            "## Outcomes",
            "## CPU per command",
            "## Scaling past one machine",
            "## Memory",
            "## Commit gap",
            "## Latency",
            "## Where the worker's time goes (JDK Flight Recorder)",
            "## Soak"),
        headings);
  }

  @Test
  void howItWasRunShowsTheExactCommandInACodeBlock() {
    String section = section(markdown(results()), "How it was run");
    assertTrue(section.contains("```\n" + ResultsFixture.COMMAND + "\n```\n"), section);
  }

  @Test
  void aCommandHoldingBackticksGetsALongerFence() {
    String command = "bench/run --note '```quoted```'";
    String section = section(markdown(withCommand(command)), "How it was run");
    assertTrue(section.contains("````\n" + command + "\n````\n"), section);
  }

  @Test
  void howItWasRunShowsWhenItStartedHowLongItTookItsFormAndHowWorkersStart() {
    String section = section(markdown(results()), "How it was run");
    assertTrue(section.contains("- Started: 2025-06-01 10:15:30 UTC"), section);
    assertTrue(section.contains("- Took: 12 min 3 s"), section);
    assertTrue(section.contains("- Form: quick"), section);
    assertTrue(
        section.contains("- Workers start with: the image's JVM options, no AOT cache"), section);
  }

  @Test
  void machineShowsMemoryInGibibytesAndEachServerOnItsOwnLine() {
    String section = section(markdown(results()), "Machine");
    assertTrue(section.contains("- CPUs: 2 logical processors"), section);
    assertTrue(section.contains("- Memory: 8.0 GiB"), section);
    assertTrue(section.contains("  - Kafka 4.1 (KRaft, one broker)\n"), section);
    assertTrue(section.contains("  - PostgreSQL 17 (fsync on)\n"), section);
  }

  @Test
  void workloadShowsTenantsDimensionMixAndSeed() {
    String section = section(markdown(results()), "Workload");
    assertTrue(section.contains("- Tenants: 200"), section);
    assertTrue(section.contains("- Embedding dimension: 512"), section);
    assertTrue(section.contains("- Mix: 60 % verify, 30 % register, 10 % delete"), section);
    assertTrue(section.contains("- Seed: 7"), section);
  }

  @Test
  void capacityRowShowsCountsWithSeparatorsAndWholeRates() {
    String report = markdown(results());
    assertEquals(
        "| worker ×1 mixed | 100,000 | 10.0 | 10,000 | 12,000 | 2.5 | 9,950 | 6,000 (0.5 s) |",
        row(section(report, "Capacity"), "worker ×1 mixed"));
  }

  @Test
  void missingSteadyRateShowsADash() {
    String row = row(section(markdown(results()), "Capacity"), "B1 decode only");
    assertEquals("| B1 decode only | 40,000 | 2.0 | 20,000 | — | — | 0 | 0 (0.0 s) |", row);
  }

  @Test
  void uncommittedSecondsUseTheWholeRateWhenThereIsNoSteadyRate() {
    String report =
        markdown(
            withThroughput(
                ResultsFixture.workerRun("short", 30_000, 3.0, Optional.empty(), 5_000)));
    assertTrue(row(section(report, "Capacity"), "short").endsWith("| 5,000 (0.5 s) |"));
  }

  @Test
  void eachRunsDescriptionIsListedUnderTheCapacityTable() {
    String section = section(markdown(results()), "Capacity");
    assertTrue(
        section.contains("- **worker ×1 mixed**: one worker, standard mix, preloaded topic\n"),
        section);
    assertTrue(section.contains("- **B1 decode only**: a consumer that only decodes\n"), section);
  }

  @Test
  void aPipeInARunNameIsEscapedInsideTables() {
    String report =
        markdown(withThroughput(workerRun("fast | slow", 1_000, 1.0, Optional.empty(), 0)));
    assertTrue(section(report, "Capacity").contains("\n| fast \\| slow | 1,000 |"), report);
    assertTrue(section(report, "CPU per command").contains("\n| fast \\| slow | "), report);
  }

  @Test
  void outcomesShowEveryEventWithItsShareOfTheRunsTotal() {
    String section = section(markdown(results()), "Outcomes");
    assertTrue(section.contains("| `face.verified` | 600 | 60.0 % |"), section);
    assertTrue(section.contains("| `face.registered` | 300 | 30.0 % |"), section);
    assertTrue(
        section.contains("| `command.rejected:already_registered` | 100 | 10.0 % |"), section);
    assertTrue(section.contains("| Total | 1,000 | 100.0 % |"), section);
  }

  @Test
  void outcomesLeaveOutARunThatCountedNoEvents() {
    String section = section(markdown(results()), "Outcomes");
    assertTrue(section.contains("### worker ×1 mixed"), section);
    assertFalse(section.contains("B1 decode only"), section);
  }

  @Test
  void cpuPerCommandDividesEachProcessCpuByTheRunsCommands() {
    String report =
        markdown(
            withThroughput(
                workerRunWithCpu(
                    10_000, new ProcessCpu("worker-1", 2.5), new ProcessCpu("postgresql", 0.05))));
    String section = section(report, "CPU per command");
    assertTrue(section.contains("| Run | worker-1 | postgresql | Total |"), section);
    assertEquals("| worker ×1 mixed | 250 | 5.0 | 255 |", row(section, "worker ×1 mixed"));
  }

  @Test
  void cpuPerCommandShowsADashWhereAProcessTookNoPart() {
    String section = section(markdown(results()), "CPU per command");
    assertTrue(
        section.contains("| Run | worker-1 | kafka | bench (generator and subscriber) | Total |"),
        section);
    assertEquals("| worker ×1 mixed | 50 | 25 | — | 75 |", row(section, "worker ×1 mixed"));
    assertEquals("| B1 decode only | — | 25 | 10 | 35 |", row(section, "B1 decode only"));
  }

  @Test
  void cpuPerCommandNamesTheLargestShareOfTheFirstRun() {
    String section = section(markdown(results()), "CPU per command");
    assertTrue(
        section.contains(
            "In worker ×1 mixed, worker-1 spends the largest share of the CPU: 66.7 % (50 of 75 µs"
                + " per command)."),
        section);
  }

  @Test
  void memoryShowsOnlyRunsWithAWorkerJvmInMebibytes() {
    String section = section(markdown(results()), "Memory");
    assertEquals("| worker ×1 mixed | 512 | 96 |", row(section, "worker ×1 mixed"));
    assertFalse(section.contains("B1 decode only"), section);
  }

  @Test
  void commitGapIsAnsweredMinusCommittedEachSecond() {
    String section = section(markdown(results()), "Commit gap");
    assertEquals("| 3 | 3,000 | 2,000 | 1,000 |", row(section, "3"));
    assertEquals(10, tableRows(section), section);
  }

  @Test
  void aLongTimelineIsThinnedToAtMostThirtyRows() {
    String section =
        section(markdown(withThroughput(workerRunWithTimeline(timeline(95)))), "Commit gap");
    assertEquals(24, tableRows(section), section);
    assertTrue(section.contains("One row every 4 samples, of 95."), section);
    assertEquals("| 5 | 5,000 | 4,000 | 1,000 |", row(section, "5"));
  }

  @Test
  void latencyRowShowsMillisecondsWithOneDecimal() {
    String section = section(markdown(results()), "Latency");
    assertEquals(
        "| 50.0 % | 5,000 | 5,000 | 300,000 | 2.0 | 8.0 | 40.0 | 80.0 |", row(section, "50.0 %"));
  }

  @Test
  void latencySectionSaysItIsCorrectedForCoordinatedOmissionAndEmbedsTheChart() {
    String section = section(markdown(results()), "Latency");
    assertTrue(section.contains("scheduled send time"), section);
    assertTrue(section.contains("coordinated omission"), section);
    assertTrue(section.contains("![throughput versus latency](" + CHART + ")"), section);
  }

  @Test
  void latencyWithoutRunsSaysSoAndEmbedsNoChart() {
    String section = section(markdown(withLatency()), "Latency");
    assertTrue(section.contains("No fixed-rate run took place."), section);
    assertFalse(section.contains("!["), section);
  }

  @Test
  void profileShowsHotMethodsAndAllocationsAsCodeBlocks() {
    String section =
        section(markdown(results()), "Where the worker's time goes (JDK Flight Recorder)");
    assertTrue(
        section.contains(
            "### Hot methods\n\n"
                + "```\n"
                + "12.5 %  FaceMatcher.score()\n"
                + "4.2 %  CommandDecoder.decode()\n"
                + "```"),
        section);
    assertTrue(
        section.contains("### Allocations\n\n```\n30.0 %  float[]\n10.0 %  byte[]\n```"), section);
  }

  @Test
  void profileWithoutSamplesShowsTheRecordingsNote() {
    String report = markdown(withJfr(JfrSummary.none("JFR was off for this run.")));
    String section = section(report, "Where the worker's time goes (JDK Flight Recorder)");
    assertTrue(section.contains("JFR was off for this run."), section);
    assertFalse(section.contains("```"), section);
  }

  @Test
  void soakSectionAppearsOnlyWhenASoakRan() {
    assertFalse(markdown(results()).contains("## Soak"));
    String section = section(markdown(withSoak(soak(100, 104))), "Soak");
    assertTrue(section.contains("The worker ran for 30.0 minutes at 6,000 commands/s"), section);
    assertTrue(section.contains("- Heap after the first minute: 100 MiB"), section);
    assertTrue(section.contains("- Heap at the end: 104 MiB"), section);
    assertTrue(
        section.contains(
            "- Latency after the first minute: p50 2.5 ms, p99 9.0 ms, p99.9 30.0 ms, max 60.0 ms"
                + " over 360,000 commands"),
        section);
    assertTrue(section.contains("+2,048 KiB  byte[]\n+512 KiB  java.lang.String"), section);
  }

  @Test
  void soakHeapGrowthOverTenPercentIsCalledGrowth() {
    String section = section(markdown(withSoak(soak(100, 111))), "Soak");
    assertTrue(section.contains("- Growth: +11.0 %, grew"), section);
  }

  @Test
  void soakHeapGrowthOfTenPercentOrLessIsCalledFlat() {
    String section = section(markdown(withSoak(soak(100, 110))), "Soak");
    assertTrue(section.contains("- Growth: +10.0 %, flat"), section);
  }

  @Test
  void soakHeapThatFellByMoreThanTenPercentIsCalledShrunkNotGrown() {
    String section = section(markdown(withSoak(soak(100, 80))), "Soak");
    assertTrue(section.contains("- Growth: -20.0 %, shrank"), section);
  }

  @Test
  void runsWithoutMeasurementsSaySoInsteadOfShowingEmptyTables() {
    String report = markdown(withThroughput(baselineRun()));
    assertTrue(section(report, "Outcomes").contains("No run counted its events."));
    assertTrue(section(report, "Memory").contains("No run measured a worker JVM."));
    assertTrue(section(report, "Commit gap").contains("No run sampled its commits."));
  }

  private static String markdown(Results results) {
    return ReportWriter.markdown(results, CHART);
  }

  /** From a level-two heading to the next one. */
  private static String section(String report, String heading) {
    int start = report.indexOf("\n## " + heading + "\n");
    assertTrue(start >= 0, "no section " + heading + " in\n" + report);
    int end = report.indexOf("\n## ", start + 1);
    return report.substring(start + 1, end < 0 ? report.length() : end);
  }

  /** The table row whose first cell is the given text. */
  private static String row(String section, String firstCell) {
    return section
        .lines()
        .filter(line -> line.startsWith("| " + firstCell + " |"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row " + firstCell + " in\n" + section));
  }

  /** Rows of the section's tables, without header and rule. */
  private static long tableRows(String section) {
    return section.lines().filter(line -> line.startsWith("| ")).count() - 2;
  }
}
