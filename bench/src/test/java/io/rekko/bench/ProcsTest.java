package io.rekko.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcsTest {
  private final long self = ProcessHandle.current().pid();

  @Test
  void thisJvmHasSpentCpuAndHoldsMemory() {
    assertTrue(Procs.cpuTicks(self, true).orElseThrow() > 0);
    assertTrue(Procs.rssBytes(self) > 1024 * 1024);
  }

  @Test
  void aChildIsFoundUnderItsParentAndByItsCommandLine() throws Exception {
    Process child = new ProcessBuilder("sleep", "30").start();
    try {
      assertTrue(Procs.children(self).contains(child.pid()));
      List<Long> found = Procs.find(args -> args.equals(List.of("sleep", "30")));
      assertTrue(found.contains(child.pid()), found.toString());
      assertEquals(self, Procs.parent(child.pid()).orElseThrow());
    } finally {
      child.destroyForcibly().waitFor();
    }
  }

  @Test
  void aProcessThatIsGoneAnswersEmpty() throws Exception {
    Process child = new ProcessBuilder("true").start();
    child.waitFor();
    assertTrue(Procs.cpuTicks(child.pid(), false).isEmpty());
    assertEquals(0, Procs.rssBytes(child.pid()));
  }
}
