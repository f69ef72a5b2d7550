package io.rekko.worker.engine;

/**
 * The backpressure marks: polled-but-unfinished records (and their key and value bytes) above which
 * every partition is paused, and below which paused partitions resume. The byte marks keep large
 * records from filling the heap before their count passes its mark.
 *
 * @param highWater records above which every partition is paused
 * @param lowWater records below which paused partitions resume
 * @param highWaterBytes bytes above which every partition is paused
 * @param lowWaterBytes bytes below which paused partitions resume (with the records below {@code
 *     lowWater})
 */
public record BufferSettings(int highWater, int lowWater, long highWaterBytes, long lowWaterBytes) {

  public static final BufferSettings DEFAULTS =
      new BufferSettings(2_000, 1_000, 16L << 20, 8L << 20);

  public BufferSettings {
    if (lowWater < 0) {
      throw new IllegalArgumentException("lowWater must not be negative, was " + lowWater);
    }
    if (highWater <= lowWater) {
      throw new IllegalArgumentException(
          "highWater must exceed lowWater (" + lowWater + "), was " + highWater);
    }
    if (lowWaterBytes < 0) {
      throw new IllegalArgumentException(
          "lowWaterBytes must not be negative, was " + lowWaterBytes);
    }
    if (highWaterBytes <= lowWaterBytes) {
      throw new IllegalArgumentException(
          "highWaterBytes must exceed lowWaterBytes ("
              + lowWaterBytes
              + "), was "
              + highWaterBytes);
    }
  }
}
