package io.rekko.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredKafkaIT {
  private SecuredKafka kafka;

  @BeforeAll
  void startBroker() {
    kafka = SecuredKafka.start();
  }

  @AfterAll
  void stopBroker() {
    kafka.close();
  }

  @Test
  void aProducerAllowedToWriteOneTopicIsRefusedOnAnother() throws Exception {
    String commands = kafka.uniqueTopic("commands");
    String admin = kafka.uniqueTopic("admin");
    kafka.createTopic(commands, 1);
    kafka.createTopic(admin, 1);
    KafkaLogin faceApi = kafka.addUser("face-api");
    kafka.allow(faceApi, ResourceType.TOPIC, commands, AclOperation.WRITE, AclOperation.DESCRIBE);

    try (KafkaProducer<String, String> producer = producer(faceApi)) {
      RecordMetadata accepted = send(producer, commands).get(30, TimeUnit.SECONDS);
      assertEquals(commands, accepted.topic());

      ExecutionException refused =
          assertThrows(
              ExecutionException.class, () -> send(producer, admin).get(30, TimeUnit.SECONDS));
      TopicAuthorizationException cause =
          assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
      assertEquals(Set.of(admin), cause.unauthorizedTopics());
    }
  }

  @Test
  void aLoginWithAWrongPasswordIsRefused() {
    KafkaLogin user = kafka.addUser("someone");
    KafkaLogin impostor = new KafkaLogin(user.user(), user.password() + "0");

    ExecutionException refused = assertThrows(ExecutionException.class, () -> clusterId(impostor));
    assertInstanceOf(SaslAuthenticationException.class, refused.getCause());
  }

  @Test
  void aClientThatDoesNotTrustTheBrokersCertificateIsRefused() {
    Map<String, String> untrusting = new HashMap<>(kafka.clientProperties(kafka.superUser()));
    untrusting.remove("ssl.truststore.location");
    untrusting.remove("ssl.truststore.password");
    untrusting.remove("ssl.truststore.type");

    ExecutionException refused =
        assertThrows(ExecutionException.class, () -> clusterId(untrusting));
    assertInstanceOf(SslAuthenticationException.class, refused.getCause());
  }

  @Test
  void theSuperUserMayDoAnythingAndItsPasswordIsNotShown() throws Exception {
    assertFalse(clusterId(kafka.superUser()).isEmpty());
    assertFalse(kafka.superUser().toString().contains(kafka.superUser().password()));
  }

  private KafkaProducer<String, String> producer(KafkaLogin login) {
    Map<String, Object> config = new HashMap<>(kafka.clientProperties(login));
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    return new KafkaProducer<>(config);
  }

  private static Future<RecordMetadata> send(KafkaProducer<String, String> producer, String topic) {
    return producer.send(new ProducerRecord<>(topic, "tenant-a", "{}"));
  }

  private String clusterId(KafkaLogin login) throws Exception {
    return clusterId(kafka.clientProperties(login));
  }

  private String clusterId(Map<String, String> clientProperties) throws Exception {
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    try (Admin admin = Admin.create(config)) {
      return admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
    }
  }
}
