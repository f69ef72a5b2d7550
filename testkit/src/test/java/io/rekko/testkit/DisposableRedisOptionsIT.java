package io.rekko.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DisposableRedisOptionsIT {

  private static final RedisUser READER =
      new RedisUser("reader", "reader-secret", List.of("~app:*", "-@all", "+get", "+ping"));

  private final TestCertificates certificates = TestCertificates.create("options-it");
  private final DisposableRedis tls =
      DisposableRedis.start(RedisOptions.plain().withTls(certificates).withUser(READER));

  @AfterAll
  void close() {
    tls.close();
  }

  @Test
  void tlsServerAnswersAClientThatVerifiesItAgainstTheCa() throws IOException {
    assertEquals("rediss://127.0.0.1:" + tls.port(), tls.uri());
    assertEquals("PONG", RedisEndpoint.loopbackTls(tls.port(), certificates).call("PING"));
  }

  @Test
  void tlsServerHasNoPlainTextPort() {
    assertThrows(IOException.class, () -> RedisEndpoint.loopback(tls.port()).call("PING"));
  }

  @Test
  void clientTrustingAnotherCaRefusesTheServer() {
    TestCertificates stranger = TestCertificates.create("stranger");

    assertThrows(
        SSLException.class, () -> RedisEndpoint.loopbackTls(tls.port(), stranger).call("PING"));
  }

  @Test
  void userOfTheOptionsMayRunOnlyWhatItsRulesAllow() throws IOException {
    tls.command("SET", "app:k", "v", "EX", "60");
    tls.command("SET", "other:k", "v", "EX", "60");

    try (RespClient reader = loggedIn(READER)) {
      assertEquals("v", reader.call("GET", "app:k"));
      assertNoPermission(() -> reader.call("GET", "other:k"));
      assertNoPermission(() -> reader.call("SET", "app:k", "w"));
      assertNoPermission(() -> reader.call("FLUSHALL"));
    }
  }

  @Test
  void usersOfTheOptionsAreThereAgainAfterARestart() throws IOException {
    tls.restart();

    try (RespClient reader = loggedIn(READER)) {
      assertEquals("PONG", reader.call("PING"));
    }
  }

  @Test
  void setUserReplacesAUsersRulesAtRunTime() throws IOException {
    RedisUser writer =
        new RedisUser("writer", "writer-secret", List.of("~app:*", "-@all", "+set", "+get"));
    tls.setUser(writer);
    tls.setUser(new RedisUser("writer", "writer-secret", List.of("~app:*", "-@all", "+get")));

    try (RespClient client = loggedIn(writer)) {
      assertNoPermission(() -> client.call("SET", "app:w", "v", "EX", "60"));
    }
  }

  @Test
  void userPasswordIsLeftOutOfItsDescription() {
    assertFalse(READER.toString().contains("reader-secret"), READER.toString());
  }

  private RespClient loggedIn(RedisUser user) throws IOException {
    RespClient client = RedisEndpoint.loopbackTls(tls.port(), certificates).connect();
    client.call("AUTH", user.name(), user.password());
    return client;
  }

  private static void assertNoPermission(Executable call) {
    IOException e = assertThrows(IOException.class, call);
    assertTrue(e.getMessage().contains("NOPERM"), e.getMessage());
  }
}
