package io.rekko.bench.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaultSuiteMainTest {

  @Test
  void byDefaultEveryFaultStrikesOnceAgainstTheWorkersDefaultTimeouts() {
    FaultSettings settings = FaultSuiteMain.parse(new String[0]);

    assertEquals(List.of(FaultKind.values()), settings.faults());
    assertEquals(50_000, settings.commands());
    assertEquals(WorkerTimeouts.DEFAULTS, settings.timeouts());
  }

  @Test
  void shortTimeoutsAndChosenFaultsAreTakenAsGiven() {
    FaultSettings settings =
        FaultSuiteMain.parse(
            new String[] {
              "--commands", "3000", "--short-timeouts", "--faults", "kafka-blackhole,redis-master"
            });

    assertEquals(WorkerTimeouts.SHORT, settings.timeouts());
    assertEquals(List.of(FaultKind.KAFKA_BLACKHOLE, FaultKind.REDIS_MASTER), settings.faults());
    assertEquals(3000, settings.commands());
  }

  @Test
  void anUnknownFaultIsRefusedNamingTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FaultSuiteMain.parse(new String[] {"--faults", "kill,flood"}));

    assertTrue(e.getMessage().contains("'flood'"), e.getMessage());
    assertTrue(e.getMessage().contains("postgres-blackhole"), e.getMessage());
  }

  @Test
  void eachBlackholeOutlastsTheTimeoutItIsAbout() {
    for (WorkerTimeouts timeouts : List.of(WorkerTimeouts.DEFAULTS, WorkerTimeouts.SHORT)) {
      assertTrue(
          FaultKind.POSTGRES_BLACKHOLE.longest(timeouts).compareTo(timeouts.statement()) > 0);
      assertTrue(FaultKind.KAFKA_BLACKHOLE.longest(timeouts).compareTo(timeouts.session()) > 0);
      assertTrue(FaultKind.KILL.recovery(timeouts).compareTo(timeouts.session()) > 0);
    }
  }

  @Test
  void theWorkersAreGivenTheTimeoutsInTheirOwnSettingsNames() {
    assertEquals("5000ms", WorkerTimeouts.SHORT.environment().get("REKKO_STORE_STATEMENT_TIMEOUT"));
    assertEquals("10000ms", WorkerTimeouts.SHORT.environment().get("REKKO_ENGINE_SESSION_TIMEOUT"));
    assertEquals("1000ms", WorkerTimeouts.SHORT.environment().get("REKKO_REDIS_COMMAND_TIMEOUT"));
  }
}
