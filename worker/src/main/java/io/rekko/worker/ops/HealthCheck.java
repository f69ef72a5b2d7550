package io.rekko.worker.ops;

/**
 * One named condition of readiness, e.g. "engine" (consuming, not degraded) or "postgres"
 * (reachable). Implementations must answer quickly and never throw: they read state that the
 * component keeps current, rather than doing I/O per probe.
 */
public interface HealthCheck {

  /** A short lower-case name, shown in the readiness body. */
  String name();

  /** The current state. */
  Status check();

  /** Whether the condition holds, and a one-line reason either way. */
  record Status(boolean up, String detail) {
    public static Status up(String detail) {
      return new Status(true, detail);
    }

    public static Status down(String detail) {
      return new Status(false, detail);
    }
  }

  /** A check from a name and a supplier of status. */
  static HealthCheck of(String name, java.util.function.Supplier<Status> status) {
    return new HealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Status check() {
        return status.get();
      }
    };
  }
}
