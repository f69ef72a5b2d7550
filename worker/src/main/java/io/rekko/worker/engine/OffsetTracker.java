package io.rekko.worker.engine;

import java.util.BitSet;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * Which offsets of one partition are finished, exactly, so that a commit never passes unfinished
 * work.
 *
 * <p>It keeps the sorted set of polled-but-unfinished offsets and the end of what was polled. The
 * committable offset is the lowest unfinished one, or the end when all are finished. Offsets above
 * it that are already finished travel in the commit metadata ({@link CommitMetadata}); a tracker
 * built from such a commit ({@link #inheriting}) reports those offsets as finished when they are
 * polled again, so they are not handled twice.
 *
 * <p>Confined to the consumer thread.
 */
final class OffsetTracker {
  private final TreeSet<Long> unfinished = new TreeSet<>();

  /** One past the highest offset polled, or -1 before the first. */
  private long end = -1;

  /** The offset committed when this tracker was made, or -1. */
  private final long inheritedBase;

  /** Bit i: offset {@code inheritedBase + 1 + i} was finished by the previous owner. */
  private final BitSet inheritedFinished;

  OffsetTracker() {
    this(-1, new BitSet());
  }

  private OffsetTracker(long inheritedBase, BitSet inheritedFinished) {
    this.inheritedBase = inheritedBase;
    this.inheritedFinished = inheritedFinished;
  }

  /** A tracker that knows what the last commit (possibly by another process) said was finished. */
  static OffsetTracker inheriting(OffsetAndMetadata committed) {
    if (committed == null) {
      return new OffsetTracker();
    }
    return new OffsetTracker(committed.offset(), CommitMetadata.decode(committed.metadata()));
  }

  /**
   * Notes that {@code offset} was polled. Returns false when the record needs no handling: a
   * previous owner finished it, or it was polled before (a fetch that went back).
   */
  boolean track(long offset) {
    if (offset < end) {
      return false;
    }
    end = offset + 1;
    if (inheritedAsFinished(offset)) {
      return false;
    }
    unfinished.add(offset);
    return true;
  }

  void finish(long offset) {
    unfinished.remove(offset);
  }

  int unfinishedCount() {
    return unfinished.size();
  }

  /** The offset below which everything is finished; empty before the first poll. */
  OptionalLong committable() {
    if (end < 0) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(unfinished.isEmpty() ? end : unfinished.first());
  }

  /** One past the highest offset polled, or -1 before the first. */
  long end() {
    return end;
  }

  /** What to commit now: the committable offset and the finished offsets above it; or null. */
  OffsetAndMetadata commitPosition() {
    OptionalLong committable = committable();
    if (committable.isEmpty()) {
      return null;
    }
    long committed = committable.getAsLong();
    return new OffsetAndMetadata(committed, CommitMetadata.encode(finishedAbove(committed)));
  }

  /** Bit i set when offset {@code committed + 1 + i} is finished, up to the metadata's bound. */
  private BitSet finishedAbove(long committed) {
    long first = committed + 1;
    BitSet bits = new BitSet();
    int polledSpan = (int) Math.min(Math.max(end - first, 0), CommitMetadata.MAX_BITS);
    bits.set(0, polledSpan);
    for (long offset : unfinished.tailSet(first)) {
      if (offset - first >= polledSpan) {
        break;
      }
      bits.clear((int) (offset - first));
    }
    if (inheritedBase >= 0) {
      int from = (int) Math.max(0, Math.min(end - inheritedBase - 1, Integer.MAX_VALUE));
      for (int i = inheritedFinished.nextSetBit(from);
          i >= 0;
          i = inheritedFinished.nextSetBit(i + 1)) {
        long bit = inheritedBase + 1 + i - first;
        if (bit >= CommitMetadata.MAX_BITS) {
          break;
        }
        if (bit >= 0) {
          bits.set((int) bit);
        }
      }
    }
    return bits;
  }

  private boolean inheritedAsFinished(long offset) {
    long bit = offset - inheritedBase - 1;
    return inheritedBase >= 0
        && bit >= 0
        && bit < Integer.MAX_VALUE
        && inheritedFinished.get((int) bit);
  }
}
