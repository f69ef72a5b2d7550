package io.rekko.worker.outbox;

/**
 * Whether the relay leaves events to its sweeper, and the bookkeeping that lets the sweeper end
 * that mode without ever letting an event overtake an older one of its key.
 *
 * <p>Once a publish has failed the relay is backlogged: every event is left in the outbox (a
 * <em>deferral</em>) and the sweeper drains the outbox in id order. A drain may end the backlog
 * only if no event was deferred since it started: an event deferred meanwhile was written before it
 * was counted, so the drain reads the outbox again and publishes it first. The decision and the
 * count are taken under one monitor, so an event is either deferred (and drained) or published
 * directly after every older one left.
 */
final class Backlog {
  private boolean backlogged;
  private long deferrals;

  synchronized boolean isBacklogged() {
    return backlogged;
  }

  /** While backlogged, counts one more deferred event and answers true; else false. */
  synchronized boolean deferIfBacklogged() {
    if (backlogged) {
      deferrals++;
    }
    return backlogged;
  }

  /** A publish failed: from now on events are deferred; this one counts as deferred. */
  synchronized void enter() {
    backlogged = true;
    deferrals++;
  }

  /** A drain starts: events are deferred until it ends; returns the mark to end it with. */
  synchronized long drainStarts() {
    backlogged = true;
    return deferrals;
  }

  /**
   * The drain found the outbox empty: ends the backlog if nothing was deferred since {@code mark}
   * and returns -1; else returns a new mark, and the drain reads the outbox again.
   */
  synchronized long drainedUpTo(long mark) {
    if (deferrals == mark) {
      backlogged = false;
      return -1;
    }
    return deferrals;
  }
}
