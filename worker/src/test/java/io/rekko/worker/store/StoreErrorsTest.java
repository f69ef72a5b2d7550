package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.worker.support.Retriable;
import io.rekko.worker.support.RetriableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoreErrorsTest {

  /** As Jdbi and Flyway deliver them: the SQLException a few causes down. */
  private static RuntimeException wrapped(SQLException e) {
    return new IllegalStateException("statement failed", new RuntimeException(e));
  }

  @ParameterizedTest
  @ValueSource(strings = {"08000", "08001", "08003", "08006", "57P01", "57P02", "57P03"})
  void connectionAndShutdownStatesAreRetriableAndLoseTheTransaction(String state) {
    var failure = wrapped(new SQLException("gone", state));
    var translated = StoreErrors.translate("applying a batch", failure);
    assertInstanceOf(StoreUnavailableException.class, translated);
    assertTrue(Retriable.isRetriable(translated));
    assertTrue(StoreErrors.losesTransaction(failure));
  }

  @ParameterizedTest
  @ValueSource(strings = {"40001", "40P01", "57014", "55P03", "53300", "53200"})
  void conflictsTimeoutsAndResourceShortagesAreRetriableButLeaveTheTransaction(String state) {
    var failure = wrapped(new SQLException("try again", state));
    assertInstanceOf(StoreUnavailableException.class, StoreErrors.translate("x", failure));
    assertFalse(StoreErrors.losesTransaction(failure));
  }

  @ParameterizedTest
  @ValueSource(strings = {"23505", "23514", "22P02", "42601", "42P01"})
  void constraintDataAndSqlErrorsAreNotRetriable(String state) {
    var translated = StoreErrors.translate("x", wrapped(new SQLException("bad", state)));
    assertInstanceOf(StoreException.class, translated);
    assertFalse(Retriable.isRetriable(translated));
  }

  @Test
  void aPoolThatGivesNoConnectionInTimeIsRetriable() {
    var timeout =
        new SQLTransientConnectionException(
            "rekko-store - Connection is not available, request timed out after 1000ms");
    var translated = StoreErrors.translate("reading tenant t1", wrapped(timeout));
    assertInstanceOf(StoreUnavailableException.class, translated);
    assertTrue(translated.getMessage().contains("no database connection could be had in time"));
    assertTrue(StoreErrors.losesTransaction(timeout));
  }

  @Test
  void theMessageSaysWhatWasBeingDoneWhatFailedAndTheState() {
    var translated =
        StoreErrors.translate(
            "face.delete 1234 for t1/alice",
            wrapped(
                new SQLException("terminating connection due to administrator command", "57P01")));
    String message = translated.getMessage();
    assertTrue(message.startsWith("face.delete 1234 for t1/alice failed:"), message);
    assertTrue(message.contains("PostgreSQL is shutting down (SQLState 57P01)"), message);
    assertTrue(message.contains("terminating connection"), message);
  }

  @Test
  void aRetriableCauseFromTheCallerStaysRetriable() {
    var translated = StoreErrors.translate("x", new RetriableException("redis down"));
    assertInstanceOf(StoreUnavailableException.class, translated);
  }

  @Test
  void anUnexpectedNonSqlFailureIsNotRetriable() {
    var translated = StoreErrors.translate("x", new IllegalStateException("bug"));
    assertInstanceOf(StoreException.class, translated);
    assertTrue(translated.getMessage().contains("unexpected IllegalStateException: bug"));
  }

  @Test
  void anAlreadyTranslatedFailureIsKeptAsItIs() {
    var original = new StoreUnavailableException("batch failed", null);
    assertSame(original, StoreErrors.translate("again", original));
  }

  @Test
  void aClosedPoolIsNotRetriable() {
    var closed =
        new SQLException("HikariDataSource HikariDataSource (rekko-store) has been closed.");
    assertInstanceOf(StoreException.class, StoreErrors.translate("x", wrapped(closed)));
    assertFalse(StoreErrors.losesTransaction(closed));
  }
}
