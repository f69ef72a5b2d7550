package io.rekko.bench.faults;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** The faults the suite injects, by the names {@code --faults} takes. */
enum FaultKind {
  /** SIGKILL a worker; a new one takes its name 3 to 6 s later. */
  KILL("kill", Duration.ofSeconds(6)),
  /** Stop Redis for 10 to 30 s; it comes back empty. */
  REDIS("redis", Duration.ofSeconds(30)),
  /** Stop PostgreSQL (fast shutdown: connections cut) for 3 to 8 s; its data is kept. */
  POSTGRES("postgres", Duration.ofSeconds(8)),
  /** A fourth worker joins for 15 to 20 s and leaves with SIGTERM: two rebalances. */
  REBALANCE("rebalance", Duration.ofSeconds(20)),
  /**
   * A worker is stopped (SIGTERM) and started again with failpoint {@code after-store-commit}
   * armed: it halts, as SIGKILL would, between a batch's PostgreSQL commit and the publication of
   * its events; then it is started again unarmed.
   */
  CRASH_AFTER_COMMIT("crash-after-commit", Duration.ofSeconds(30)),
  /**
   * As {@link #CRASH_AFTER_COMMIT}, at failpoint {@code before-offset-commit}: between the commit
   * of records' effects and the commit of their offsets.
   */
  CRASH_BEFORE_OFFSETS("crash-before-offsets", Duration.ofSeconds(30));

  private final String wireName;
  private final Duration longest;

  FaultKind(String wireName, Duration longest) {
    this.wireName = wireName;
    this.longest = longest;
  }

  String wireName() {
    return wireName;
  }

  /** The longest the fault lasts, for scheduling. */
  Duration longest() {
    return longest;
  }

  /**
   * The kinds a comma-separated list names.
   *
   * @throws IllegalArgumentException naming an unknown kind and the known ones
   */
  static List<FaultKind> parse(String names) {
    return Arrays.stream(names.split(","))
        .map(String::trim)
        .filter(name -> !name.isEmpty())
        .map(FaultKind::named)
        .toList();
  }

  private static FaultKind named(String name) {
    return Arrays.stream(values())
        .filter(kind -> kind.wireName.equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown fault '"
                        + name
                        + "'; known: "
                        + Arrays.stream(values()).map(FaultKind::wireName).toList()));
  }
}
