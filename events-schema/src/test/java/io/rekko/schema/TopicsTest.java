package io.rekko.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void faceCommandsGoToTheCommandsTopicAndTheRestToTheAdminTopic() {
    for (CommandType type : CommandType.values()) {
      String expected =
          List.of(CommandType.FACE_REGISTER, CommandType.FACE_VERIFY, CommandType.FACE_DELETE)
                  .contains(type)
              ? "rekko.commands"
              : "rekko.admin";
      assertEquals(expected, Topics.topicFor(type), type.wireName());
      assertEquals(!type.isFaceKeyed(), type.isAdmin(), type.wireName());
    }
  }

  @Test
  void aCommandOnTheWrongTopicIsAnErrorThatNamesBothTopicsAndReachesItsTenant() {
    Command command = SampleCommands.tenantUpsert();
    DecodeError error = DecodeError.wrongTopic(command, "rekko.commands", "rekko.admin");

    assertEquals(DecodeErrorCode.WRONG_TOPIC, error.code());
    assertEquals("type", error.field());
    assertEquals("topic", error.rule());
    assertEquals(
        "tenant.upsert is an admin command: it is taken from topic 'rekko.admin' only, not from"
            + " 'rekko.commands'",
        error.message());
    Event rejection = error.rejection(Instant.EPOCH).orElseThrow();
    CommandRejected payload = (CommandRejected) rejection.payload();
    assertEquals(command.tenantId(), rejection.tenantId());
    assertEquals(command.commandId(), rejection.commandId());
    assertEquals(RejectionReason.INVALID_COMMAND, payload.reason());
    assertEquals(Optional.of(CommandType.TENANT_UPSERT), payload.commandType());
    assertTrue(payload.message().startsWith("wrong_topic at type (topic): "), payload.message());
  }

  @Test
  void aFaceCommandOnTheAdminTopicIsAnErrorThatNamesTheAdminTopic() {
    DecodeError error =
        DecodeError.wrongTopic(SampleCommands.faceRegister(), "rekko.admin", "rekko.admin");

    assertEquals(DecodeErrorCode.WRONG_TOPIC, error.code());
    assertEquals(
        "face.register is a face command: it is not taken from the admin topic 'rekko.admin'",
        error.message());
  }

  @Test
  void theEventStreamIsTaggedWithTheChannelSoBothShareAClusterSlot() {
    TenantId tenant = TenantId.of("acme");
    String stream = Topics.eventStream(tenant);
    assertEquals("rekko:acme:events:{rekko:events:acme}", stream);
    String tag = stream.substring(stream.indexOf('{') + 1, stream.indexOf('}'));
    assertEquals(Topics.eventsChannel(tenant), tag, "the slot is decided by the channel's name");
  }
}
