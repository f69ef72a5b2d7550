package io.rekko.worker.engine;

/**
 * Decides when to pause and resume consumption so that polled-but-unfinished records stay bounded:
 * pause above the high-water mark, resume below the low-water mark. The gap between the marks keeps
 * the consumer from flapping between the two on every record. Confined to the consumer thread.
 */
final class Backpressure {
  enum Change {
    NONE,
    PAUSE,
    RESUME
  }

  private final int highWater;
  private final int lowWater;
  private boolean paused;

  Backpressure(int highWater, int lowWater) {
    if (lowWater >= highWater) {
      throw new IllegalArgumentException(
          "low-water mark " + lowWater + " must be below high-water mark " + highWater);
    }
    this.highWater = highWater;
    this.lowWater = lowWater;
  }

  /** The change to make now that {@code unfinished} records are buffered. */
  Change update(int unfinished) {
    if (!paused && unfinished > highWater) {
      paused = true;
      return Change.PAUSE;
    }
    if (paused && unfinished < lowWater) {
      paused = false;
      return Change.RESUME;
    }
    return Change.NONE;
  }

  boolean paused() {
    return paused;
  }
}
