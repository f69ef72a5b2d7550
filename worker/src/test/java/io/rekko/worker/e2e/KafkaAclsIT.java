package io.rekko.worker.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.Command;
import io.rekko.schema.DeadLetterHeaders;
import io.rekko.schema.DecodeErrorCode;
import io.rekko.schema.Embedding;
import io.rekko.schema.FaceDeleted;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.TenantSuspend;
import io.rekko.testkit.KafkaBroker;
import io.rekko.testkit.KafkaLogin;
import io.rekko.testkit.SecuredKafka;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The worker needs no more of Kafka than the ACLs SECURITY.md lists: on a broker that authenticates
 * every client (SASL/SCRAM-SHA-512 over TLS) and refuses what no ACL allows, workers logged in as
 * {@code rekko-worker}, with topic creation off (the topics made beforehand, as an operator would),
 * carry out face and tenant commands and dead-letter bad input; and the rights are narrow: the
 * worker may not write commands.
 */
class KafkaAclsIT extends EndToEndTest {
  private final SecuredKafka kafka = SecuredKafka.start();
  private final KafkaLogin worker = kafka.addUser("rekko-worker");

  @Override
  String name() {
    return "acls";
  }

  @Override
  KafkaBroker kafka() {
    return kafka;
  }

  @Override
  E2eHarness.Setup setup() {
    return E2eHarness.Setup.defaults()
        .with("kafka.security-protocol", SecuredKafka.PROTOCOL)
        .with("kafka.sasl-mechanism", KafkaLogin.MECHANISM)
        .with("kafka.sasl-jaas-config", worker.jaasConfig())
        .with("kafka.ssl-truststore-location", kafka.trustStoreLocation())
        .with("kafka.ssl-truststore-password", kafka.trustStorePassword());
  }

  /**
   * The worker's rights, all of them: read its input topics and write dead letters (and describe
   * the configs of all three, for the retention check), read (join, commit in) its group. READ and
   * WRITE imply DESCRIBE; WRITE on a topic implies the idempotent producer's right.
   */
  @Override
  void beforeWorkersStart() {
    for (String input : List.of(stack.topic(), stack.adminTopic())) {
      kafka.allow(
          worker, ResourceType.TOPIC, input, AclOperation.READ, AclOperation.DESCRIBE_CONFIGS);
    }
    kafka.allow(
        worker,
        ResourceType.TOPIC,
        stack.deadLetterTopic(),
        AclOperation.WRITE,
        AclOperation.DESCRIBE_CONFIGS);
    kafka.allow(worker, ResourceType.GROUP, stack.groupId(), AclOperation.READ);
  }

  @Override
  void release() {
    kafka.close();
  }

  @Test
  void faceAndTenantCommandsRunUnderTheWorkersOwnAcls() {
    Commands tenant = onboard("faces");
    Embedding face = Vectors.random();

    Outcomes.success(stack, tenant.register("alice", face), FaceRegistered.class);
    assertTrue(Outcomes.success(stack, tenant.verify("alice", face), FaceVerified.class).matched());
    Outcomes.success(stack, tenant.delete("alice"), FaceDeleted.class);
  }

  @Test
  void badInputBecomesADeadLetterUnderTheWorkersOwnAcls() {
    Commands tenant = onboard("poison");
    byte[] poison = "{not json".getBytes(UTF_8);

    RecordMetadata sent = stack.sender().sendRaw(tenant.tenant().value(), poison);

    assertEquals(
        DecodeErrorCode.INVALID_JSON.wireName(),
        stack.deadLetters().await(sent).header(DeadLetterHeaders.ERROR_CODE));
  }

  /** The workers checked their topics' retention before they reported ready. */
  @Test
  void theWorkersReadTheRetentionOfTheirTopics() {
    for (String input : List.of(stack.topic(), stack.adminTopic(), stack.deadLetterTopic())) {
      assertFalse(
          LogCapture.lines().stream()
              .anyMatch(line -> line.contains("cannot read the retention of topic " + input + ":")),
          "the retention check may describe the configs of " + input);
    }
  }

  @Test
  void aProducerAllowedToWriteFaceCommandsIsRefusedOnTheAdminTopic() throws Exception {
    KafkaLogin faceApi = kafka.addUser("face-api");
    kafka.allow(faceApi, ResourceType.TOPIC, stack.topic(), AclOperation.WRITE);
    Commands tenant = onboard("refused");

    try (KafkaProducer<byte[], byte[]> producer = producer(faceApi)) {
      FaceRegister register = tenant.register("carol", Vectors.random());
      producer.send(record(stack.topic(), register)).get(60, TimeUnit.SECONDS);
      Outcomes.successOf(stack, register, FaceRegistered.class);

      TenantSuspend suspend = tenant.suspend("not yours to decide");
      ExecutionException refused =
          assertThrows(
              ExecutionException.class,
              () -> producer.send(record(stack.adminTopic(), suspend)).get(60, TimeUnit.SECONDS));
      TopicAuthorizationException cause =
          assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
      assertEquals(Set.of(stack.adminTopic()), cause.unauthorizedTopics());
    }
  }

  @Test
  void theWorkersLoginMayNotWriteCommands() {
    try (KafkaProducer<byte[], byte[]> producer = producer(worker)) {
      ExecutionException refused =
          assertThrows(
              ExecutionException.class,
              () ->
                  producer
                      .send(new ProducerRecord<>(stack.topic(), "{}".getBytes(UTF_8)))
                      .get(60, TimeUnit.SECONDS));

      TopicAuthorizationException cause =
          assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
      assertEquals(Set.of(stack.topic()), cause.unauthorizedTopics());
    }
  }

  private ProducerRecord<byte[], byte[]> record(String topic, Command command) {
    return new ProducerRecord<>(
        topic, command.recordKey().getBytes(UTF_8), stack.sender().encode(command));
  }

  private KafkaProducer<byte[], byte[]> producer(KafkaLogin login) {
    Map<String, Object> config = new HashMap<>(kafka.clientProperties(login));
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
    return new KafkaProducer<>(config);
  }
}
