package io.rekko.worker.engine;

import io.rekko.worker.support.RekkoException;

/** The engine cannot start: a topic is missing, Kafka is unreachable, or a setting is refused. */
public final class EngineStartupException extends RekkoException {
  private static final long serialVersionUID = 1L;

  public EngineStartupException(String message) {
    super(message);
  }

  public EngineStartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
