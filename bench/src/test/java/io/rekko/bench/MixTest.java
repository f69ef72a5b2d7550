package io.rekko.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rekko.schema.CommandType;
import org.junit.jupiter.api.Test;

class MixTest {

  @Test
  void drawsSplitTheUnitIntervalByShare() {
    assertEquals(CommandType.FACE_VERIFY, Mix.STANDARD.draw(0.0));
    assertEquals(CommandType.FACE_VERIFY, Mix.STANDARD.draw(0.599));
    assertEquals(CommandType.FACE_REGISTER, Mix.STANDARD.draw(0.6));
    assertEquals(CommandType.FACE_REGISTER, Mix.STANDARD.draw(0.899));
    assertEquals(CommandType.FACE_DELETE, Mix.STANDARD.draw(0.9));
  }

  @Test
  void registrationsOnlyNeverDrawsAnythingElse() {
    for (double u = 0; u < 1; u += 0.01) {
      assertEquals(CommandType.FACE_REGISTER, Mix.REGISTRATIONS.draw(u));
    }
  }

  @Test
  void sharesThatDoNotAddUpToOneAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Mix(0.5, 0.3, 0.1));
  }
}
