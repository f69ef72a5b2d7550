package io.rekko.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CommitMetadataTest {

  @Test
  void finishedOffsetsSurviveTheRoundTrip() {
    BitSet finished = new BitSet();
    finished.set(0);
    finished.set(5, 9);
    finished.set(700);
    String metadata = CommitMetadata.encode(finished);
    assertTrue(metadata.startsWith(CommitMetadata.PREFIX));
    assertEquals(finished, CommitMetadata.decode(metadata));
  }

  @Test
  void nothingFinishedEncodesAsEmptyMetadata() {
    assertEquals("", CommitMetadata.encode(new BitSet()));
    assertEquals(new BitSet(), CommitMetadata.decode(""));
    assertEquals(new BitSet(), CommitMetadata.decode(null));
  }

  @Test
  void metadataThatIsNotOursMeansNothingFinished() {
    assertEquals(new BitSet(), CommitMetadata.decode("hello"));
    assertEquals(new BitSet(), CommitMetadata.decode(CommitMetadata.PREFIX + "!!not base64!!"));
  }

  @Test
  void aLongBitmapIsCutToTheBoundKeepingItsLowOffsets() {
    BitSet finished = new BitSet();
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < CommitMetadata.MAX_BITS * 3; i++) {
      if (random.nextBoolean()) {
        finished.set(i);
      }
    }
    String metadata = CommitMetadata.encode(finished);
    assertTrue(metadata.length() <= CommitMetadata.MAX_CHARS, "length " + metadata.length());
    assertEquals(finished.get(0, CommitMetadata.MAX_BITS), CommitMetadata.decode(metadata));
  }
}
