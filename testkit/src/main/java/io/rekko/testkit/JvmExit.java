package io.rekko.testkit;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the servers still open when the JVM exits in order: last started, first stopped.
 *
 * <p>One shutdown hook thread, {@code rekko-testkit-shutdown}, serves every server. It covers an
 * orderly exit (end of the test run, {@code System.exit}, {@code SIGTERM}); {@link ProcessGuard}
 * covers a JVM that dies without running hooks.
 */
final class JvmExit {

  private static final Logger LOG = LoggerFactory.getLogger(JvmExit.class);
  private static final List<AutoCloseable> OPEN = new ArrayList<>();
  private static boolean hookInstalled;

  private JvmExit() {}

  static synchronized void closeAtExit(AutoCloseable resource) {
    if (!hookInstalled) {
      Runtime.getRuntime().addShutdownHook(new Thread(JvmExit::closeAll, "rekko-testkit-shutdown"));
      hookInstalled = true;
    }
    OPEN.add(resource);
  }

  static synchronized void forget(AutoCloseable resource) {
    OPEN.remove(resource);
  }

  private static void closeAll() {
    List<AutoCloseable> open;
    synchronized (JvmExit.class) {
      open = new ArrayList<>(OPEN.reversed());
      OPEN.clear();
    }
    for (AutoCloseable resource : open) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("Could not stop {} at JVM exit", resource, e);
      }
    }
  }
}
