package io.rekko.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RedisEndpointTest {

  @Test
  void plainUriGivesHostAndPortWithoutPassword() {
    RedisEndpoint endpoint = RedisEndpoint.parse("redis://10.0.0.7:6390");

    assertEquals("10.0.0.7", endpoint.host());
    assertEquals(6390, endpoint.port());
    assertNull(endpoint.password());
  }

  @Test
  void passwordIsTakenFromTheUserInfoButLeftOutOfTheLoggableUri() {
    RedisEndpoint endpoint = RedisEndpoint.parse("redis://default:s3cret@127.0.0.1:7000");

    assertEquals("s3cret", endpoint.password());
    assertEquals("redis://127.0.0.1:7000", endpoint.uri());
  }

  @Test
  void uriWithoutPortIsRejectedWithoutEchoingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> RedisEndpoint.parse("redis://:hidden@localhost"));

    assertEquals(
        "a Redis URI must look like redis://host:port or redis://:password@host:port",
        e.getMessage());
    assertFalse(e.getMessage().contains("hidden"));
  }
}
