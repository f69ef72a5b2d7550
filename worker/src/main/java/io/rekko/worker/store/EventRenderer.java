package io.rekko.worker.store;

/**
 * Turns the outcome the store decided into the event to publish. Supplied by the command handler,
 * which knows the command and the contract; the store knows neither.
 *
 * <p>Called inside the unit's transaction, once the outcome is known, so it must be quick and must
 * not do I/O. It may be called for an outcome that is then discarded (the unit fails later, or
 * another copy of the same command won the race), so it must have no side effects.
 */
@FunctionalInterface
public interface EventRenderer {

  /** The event for {@code outcome}; never null. */
  PendingEvent render(Outcome outcome);
}
