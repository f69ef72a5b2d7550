package io.rekko.worker.e2e;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.event.KeyValuePair;

/**
 * Keeps every line the test JVM logs, rendered with everything a log line can carry: logger, level,
 * thread, the formatted message, the MDC, key-value pairs and the stack trace with every cause's
 * message. {@link SecretsInLogs} searches them.
 *
 * <p>{@code logback-test.xml} attaches it to the root logger, so it sees lines from the first one
 * on, servers and clients included, at the levels configured there. Lines are kept for the whole
 * run (a few megabytes for the end-to-end suite), since a secret may be registered after the line
 * that leaked it.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> {
  private static final Queue<String> LINES = new ConcurrentLinkedQueue<>();
  private static volatile boolean started;

  @Override
  public void start() {
    super.start();
    started = true;
  }

  @Override
  protected void append(ILoggingEvent event) {
    LINES.add(render(event));
  }

  /** Whether logback started the appender: without it, {@link #lines()} stays empty. */
  static boolean isAttached() {
    return started;
  }

  /** Every line captured so far, oldest first. */
  static List<String> lines() {
    return List.copyOf(LINES);
  }

  static String render(ILoggingEvent event) {
    StringBuilder line =
        new StringBuilder()
            .append(event.getLevel())
            .append(" [")
            .append(event.getThreadName())
            .append("] ")
            .append(event.getLoggerName())
            .append(" - ")
            .append(event.getFormattedMessage());
    if (!event.getMDCPropertyMap().isEmpty()) {
      line.append(' ').append(event.getMDCPropertyMap());
    }
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null) {
      for (KeyValuePair pair : pairs) {
        line.append(' ').append(pair.key).append('=').append(pair.value);
      }
    }
    if (event.getThrowableProxy() != null) {
      line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
    }
    return line.toString();
  }
}
