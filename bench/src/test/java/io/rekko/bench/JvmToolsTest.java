package io.rekko.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JvmToolsTest {

  @Test
  void heapInUseAddsTheYoungAndOldGenerationsOfSerialGc() {
    String info = """
        12345:
         def new generation   total 78656K, used 1000K [0x00000000ec000000, 0x00000000f1550000)
          eden space 69952K,   1% used [0x00000000ec000000, 0x00000000ec0fa000, 0x00000000f0450000)
         tenured generation   total 174784K, used 20000K [0x00000000f1550000, 0x0000000100000000)
         Metaspace       used 40000K, committed 40448K, reserved 1114112K
          class space    used 5000K, committed 5248K, reserved 1048576K
        """;
    assertEquals(21_000L * 1024, JvmTools.heapUsed(info));
  }

  @Test
  void heapInUseOfG1IsItsOneHeapLine() {
    String info = """
         garbage-first heap   total 262144K, used 21345K [0x0000000080000000, 0x0000000100000000)
          region size 1024K, 3 young (3072K), 0 survivors (0K)
         Metaspace       used 40000K, committed 40448K, reserved 1114112K
        """;
    assertEquals(21_345L * 1024, JvmTools.heapUsed(info));
  }

  @Test
  void theClassesWhoseLiveBytesGrewMostComeFirst() {
    String before = """
        12345:
         num     #instances         #bytes  class name (module)
        -------------------------------------------------------
           1:         10000        4096000  [B (java.base@25)
           2:          5000         120000  java.lang.String (java.base@25)
           3:           100           4096  io.rekko.Thing
        Total         15100        4220096
        """;
    String after = """
           1:         12000        6144000  [B (java.base@25)
           2:          5000         120000  java.lang.String (java.base@25)
           3:           300          12288  io.rekko.Thing
        """;
    assertEquals(
        List.of("+2,000 KiB  [B", "+8 KiB  io.rekko.Thing"),
        JvmTools.growth(JvmTools.histogram(before), JvmTools.histogram(after), 10));
  }

  @Test
  void anAnswerWithoutHeapLinesIsUnknown() {
    assertEquals(-1, JvmTools.heapUsed("12345:\nNo such process\n"));
  }
}
