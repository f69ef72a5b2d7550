package io.rekko.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.bench.PlainWorker.Settings;
import org.junit.jupiter.api.Test;

class PlainWorkerSettingsTest {
  private static final String[] ALL = {
    "bootstrap=127.0.0.1:9092",
    "topic=rekko.commands",
    "group=plain",
    "jdbc-url=jdbc:postgresql://127.0.0.1:5432/rekko",
    "db-user=postgres",
    "db-password=secret=with=equals",
    "redis=redis://127.0.0.1:6379"
  };

  @Test
  void everyArgumentIsReadAsKeyEqualsValue() {
    Settings settings = Settings.parse(ALL);
    assertEquals("127.0.0.1:9092", settings.bootstrap());
    assertEquals("jdbc:postgresql://127.0.0.1:5432/rekko", settings.jdbcUrl());
    assertEquals("secret=with=equals", settings.dbPassword());
    assertEquals("redis://127.0.0.1:6379", settings.redis());
  }

  @Test
  void thePasswordMayBeLeftOut() {
    String[] args = new String[ALL.length - 1];
    System.arraycopy(ALL, 0, args, 0, 5);
    args[5] = ALL[6];
    assertEquals("", Settings.parse(args).dbPassword());
  }

  @Test
  void aMissingArgumentIsNamed() {
    String[] args = {"bootstrap=b", "topic=t"};
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Settings.parse(args));
    assertTrue(e.getMessage().contains("group="), e.getMessage());
  }

  @Test
  void anUnknownKeyIsRefused() {
    String[] args = ALL.clone();
    args[0] = "brokers=127.0.0.1:9092";
    assertThrows(IllegalArgumentException.class, () -> Settings.parse(args));
  }
}
