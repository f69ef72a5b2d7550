package io.rekko.worker.store;

import io.rekko.worker.support.Causes;
import io.rekko.worker.support.RekkoException;
import io.rekko.worker.support.Retriable;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

/**
 * The one place that decides what a database failure means: retriable or not, and whether it
 * spoiled the whole transaction or only the statement (and so only the unit of work) that failed.
 *
 * <p>Classification is by SQLState, the stable contract of PostgreSQL, never by message text:
 *
 * <ul>
 *   <li>class 08 (connection exception), 57P01/57P02/57P03 (administrator or crash shutdown, cannot
 *       connect now), and a pool that gave no connection in time: retriable, and the transaction is
 *       gone;
 *   <li>class 53 (insufficient resources, e.g. 53300 too many connections), 40001 (serialization
 *       failure), 40P01 (deadlock), 57014 (statement timeout) and 55P03 (lock not available):
 *       retriable; only the failed statement is lost, a savepoint recovers the transaction;
 *   <li>everything else (constraint and data errors, SQL mistakes): not retriable.
 * </ul>
 */
final class StoreErrors {
  private static final int MAX_DEPTH = 32;

  private StoreErrors() {}

  /** What went wrong, as the store reports it: retriable or not, saying what was being done. */
  static RekkoException translate(String operation, Throwable failure) {
    if (failure instanceof StoreUnavailableException || failure instanceof StoreException) {
      return (RekkoException) failure;
    }
    Optional<SQLException> sql = sqlException(failure);
    String state = sql.map(SQLException::getSQLState).orElse(null);
    String reason = reason(failure, state);
    String detail = sql.<Throwable>map(e -> e).orElse(failure).getMessage();
    String message =
        operation
            + " failed: "
            + reason
            + (state == null ? "" : " (SQLState " + state + ")")
            + (detail == null ? "" : ": " + detail);
    return isRetriable(failure)
        ? new StoreUnavailableException(message, failure)
        : new StoreException(message, failure);
  }

  /** True when trying the same work again may succeed. */
  static boolean isRetriable(Throwable failure) {
    if (Retriable.isRetriable(failure) || losesTransaction(failure)) {
      return true;
    }
    String state = sqlException(failure).map(SQLException::getSQLState).orElse(null);
    return state != null
        && (state.startsWith("53")
            || state.equals("40001")
            || state.equals("40P01")
            || state.equals("57014")
            || state.equals("55P03"));
  }

  /**
   * True when the failure took the connection, and so the open transaction, with it: no savepoint
   * can recover, the whole batch fails (and may be retried).
   */
  static boolean losesTransaction(Throwable failure) {
    return Causes.anyMatch(
        failure,
        t ->
            t instanceof SQLTransientConnectionException
                || t instanceof SQLNonTransientConnectionException
                || t instanceof SQLRecoverableException
                || (t instanceof SQLException sql && isConnectionState(sql.getSQLState())));
  }

  private static boolean isConnectionState(String state) {
    return state != null
        && (state.startsWith("08")
            || state.equals("57P01")
            || state.equals("57P02")
            || state.equals("57P03"));
  }

  private static String reason(Throwable failure, String state) {
    if (hasCause(failure, SQLTransientConnectionException.class)) {
      return "no database connection could be had in time";
    }
    if (state == null) {
      return sqlException(failure).isPresent()
          ? "database error"
          : "unexpected " + failure.getClass().getSimpleName();
    }
    if (state.startsWith("08")) {
      return "the connection to PostgreSQL was lost or refused";
    }
    return switch (state) {
      case "57P01", "57P02" -> "PostgreSQL is shutting down";
      case "57P03" -> "PostgreSQL is starting up and does not accept connections yet";
      case "53300" -> "PostgreSQL has no free connection slot";
      case "40001" -> "serialization failure";
      case "40P01" -> "deadlock detected";
      case "57014" -> "statement timed out or was cancelled";
      case "55P03" -> "lock not available";
      default -> state.startsWith("53") ? "PostgreSQL is out of resources" : "database error";
    };
  }

  /** The outermost SQL exception that carries a state, else the innermost one. */
  private static Optional<SQLException> sqlException(Throwable failure) {
    SQLException found = null;
    int depth = 0;
    for (Throwable t = failure; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
      if (t instanceof SQLException sql) {
        found = sql;
        if (sql.getSQLState() != null) {
          return Optional.of(sql);
        }
      }
    }
    return Optional.ofNullable(found);
  }

  private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
    return Causes.anyMatch(failure, type::isInstance);
  }
}
