package io.rekko.worker.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rekko.schema.Command;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class CommandContextTest {

  @Test
  void theCommandIsInTheLoggingContextOnlyWhileItsWorkRuns() {
    Command command = Commands.register("acme", "alice", 1);

    Map<String, String> during = CommandContext.within(command, MDC::getCopyOfContextMap);

    assertEquals("acme", during.get(CommandContext.TENANT));
    assertEquals(command.commandId().toString(), during.get(CommandContext.COMMAND_ID));
    assertEquals("face.register", during.get(CommandContext.COMMAND_TYPE));
    assertEquals(3, during.size(), "ids and the type only: " + during);
    assertNull(MDC.get(CommandContext.TENANT));
    assertNull(MDC.get(CommandContext.COMMAND_ID));
  }
}
