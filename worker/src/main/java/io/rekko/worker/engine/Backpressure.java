package io.rekko.worker.engine;

/**
 * Decides when to pause and resume consumption so that polled-but-unfinished records stay bounded,
 * in number and in bytes: pause above a high-water mark, resume below the low-water marks. The gap
 * between the marks keeps the consumer from flapping between the two on every record. Confined to
 * the consumer thread.
 */
final class Backpressure {
  enum Change {
    NONE,
    PAUSE,
    RESUME
  }

  private final int highWater;
  private final int lowWater;
  private final long highWaterBytes;
  private final long lowWaterBytes;
  private boolean paused;

  Backpressure(int highWater, int lowWater, long highWaterBytes, long lowWaterBytes) {
    if (lowWater >= highWater) {
      throw new IllegalArgumentException(
          "low-water mark " + lowWater + " must be below high-water mark " + highWater);
    }
    if (lowWaterBytes >= highWaterBytes) {
      throw new IllegalArgumentException(
          "low-water mark "
              + lowWaterBytes
              + " bytes must be below high-water mark "
              + highWaterBytes
              + " bytes");
    }
    this.highWater = highWater;
    this.lowWater = lowWater;
    this.highWaterBytes = highWaterBytes;
    this.lowWaterBytes = lowWaterBytes;
  }

  /**
   * The change to make now that {@code unfinished} records of {@code unfinishedBytes} key and value
   * bytes are buffered: pause when either passes its high-water mark, resume once both are below
   * their low-water marks.
   */
  Change update(int unfinished, long unfinishedBytes) {
    if (!paused && (unfinished > highWater || unfinishedBytes > highWaterBytes)) {
      paused = true;
      return Change.PAUSE;
    }
    if (paused && unfinished < lowWater && unfinishedBytes < lowWaterBytes) {
      paused = false;
      return Change.RESUME;
    }
    return Change.NONE;
  }

  boolean paused() {
    return paused;
  }
}
