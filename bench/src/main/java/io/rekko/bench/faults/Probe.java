package io.rekko.bench.faults;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Asks a server, through the path the workers take, whether it answers and how fast: the fault
 * injector's proof that a fault has taken hold (and has ended), so that a run whose proxy did
 * nothing cannot pass for a run under faults.
 */
final class Probe {
  /** PostgreSQL's SSLRequest: any server answers it with one byte, before any login. */
  private static final byte[] POSTGRES_SSL_REQUEST =
      ByteBuffer.allocate(8).putInt(8).putInt(80877103).array();

  private static final byte[] REDIS_PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);

  private Probe() {}

  /** How long PostgreSQL at {@code port} took to answer, or empty if not within {@code within}. */
  static Optional<Duration> postgres(int port, Duration within) {
    return answer(port, POSTGRES_SSL_REQUEST, 1, within);
  }

  /**
   * How long the Redis node at {@code port} took to answer {@code PING} ({@code +PONG}), or empty
   * if not within {@code within}.
   */
  static Optional<Duration> redis(int port, Duration within) {
    return answer(port, REDIS_PING, "+PONG\r\n".length(), within);
  }

  /**
   * Whether the Kafka broker at {@code bootstrapServers} describes its cluster within {@code
   * within}.
   */
  static boolean kafka(String bootstrapServers, Duration within) {
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) within.toMillis());
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) within.toMillis());
    Admin admin = Admin.create(properties);
    try {
      admin.describeCluster().nodes().get(within.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      admin.close(Duration.ofSeconds(1));
    }
  }

  /**
   * Sends {@code request} to loopback {@code port} and reads {@code replyBytes} back; the time that
   * took, or empty if the connection was refused or closed, or the reply did not come within {@code
   * within}.
   */
  private static Optional<Duration> answer(
      int port, byte[] request, int replyBytes, Duration within) {
    long start = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) within.toMillis());
      socket.setSoTimeout((int) within.toMillis());
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      for (int read = 0; read < replyBytes; read++) {
        if (in.read() < 0) {
          return Optional.empty();
        }
      }
      return Optional.of(Duration.ofNanos(System.nanoTime() - start));
    } catch (IOException e) {
      // Refused, reset, or timed out: no answer.
      return Optional.empty();
    }
  }
}
