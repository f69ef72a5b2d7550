package io.rekko.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JvmToolsTest {

  @Test
  void liveHeapAddsEveryClassButTheJvmsFillerArrays() {
    String histogram =
        """
        12345:
         num     #instances         #bytes  class name (module)
        -------------------------------------------------------
           1:            12        4481024  [Ljdk.internal.vm.FillerElement; (java.base@25)
           2:         10000        4096000  [B (java.base@25)
           3:          5000         120000  java.lang.String (java.base@25)
        Total         15012        8697024
        """;
    assertEquals(4_216_000L, JvmTools.liveTotal(JvmTools.histogram(histogram)));
  }

  @Test
  void theClassesWhoseLiveBytesGrewMostComeFirst() {
    String before =
        """
        12345:
         num     #instances         #bytes  class name (module)
        -------------------------------------------------------
           1:         10000        4096000  [B (java.base@25)
           2:          5000         120000  java.lang.String (java.base@25)
           3:           100           4096  io.rekko.Thing
        Total         15100        4220096
        """;
    String after =
        """
           1:         12000        6144000  [B (java.base@25)
           2:          5000         120000  java.lang.String (java.base@25)
           3:           300          12288  io.rekko.Thing
        """;
    assertEquals(
        List.of("+2,000 KiB  [B", "+8 KiB  io.rekko.Thing"),
        JvmTools.growth(JvmTools.histogram(before), JvmTools.histogram(after), 10));
  }

  @Test
  void anAnswerWithoutAHistogramIsUnknown() {
    assertEquals(-1, JvmTools.liveTotal(JvmTools.histogram("12345:\nNo such process\n")));
  }
}
