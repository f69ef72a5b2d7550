package io.rekko.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy in front of an echo server on loopback: plain sockets, no server of the testkit. */
class TcpProxyTest {
  private ServerSocket echo;
  private TcpProxy proxy;

  @BeforeEach
  void start() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::serveEcho);
    proxy = TcpProxy.start("test", "127.0.0.1", echo.getLocalPort());
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echo.close();
  }

  @Test
  void bytesGoThroughBothWays() throws IOException {
    try (Socket client = connect()) {
      assertEquals("hello", roundTrip(client, "hello"));
    }
  }

  @Test
  void aBlackholeAnswersNothingAndClosesNothingUntilItPassesAgain() throws IOException {
    try (Socket client = connect()) {
      assertEquals("before", roundTrip(client, "before"));

      proxy.blackhole();
      send(client, "held");
      client.setSoTimeout(500);
      assertThrows(SocketTimeoutException.class, () -> client.getInputStream().read());
      assertTrue(!client.isClosed() && proxy.openSockets() == 2, "the connection stays open");

      proxy.pass();
      client.setSoTimeout(5_000);
      assertEquals("held", read(client, 4));
    }
  }

  @Test
  void aCutClosesEveryConnectionAndEachNewOneUntilItPassesAgain() throws IOException {
    try (Socket client = connect()) {
      assertEquals("before", roundTrip(client, "before"));

      proxy.cut();
      client.setSoTimeout(5_000);
      assertEquals(-1, client.getInputStream().read(), "the connection is closed");
      try (Socket late = connect()) {
        late.setSoTimeout(5_000);
        assertEquals(-1, late.getInputStream().read(), "a new connection is closed at once");
      }
    }
    proxy.pass();
    try (Socket client = connect()) {
      assertEquals("after", roundTrip(client, "after"));
    }
  }

  @Test
  void aConnectionOpenedWhileBlackholedIsAcceptedAndLeftSilent() throws IOException {
    proxy.blackhole();
    try (Socket client = connect()) {
      send(client, "late");
      client.setSoTimeout(500);
      assertThrows(SocketTimeoutException.class, () -> client.getInputStream().read());

      proxy.pass();
      client.setSoTimeout(5_000);
      assertEquals("late", read(client, 4));
    }
  }

  @Test
  void aDelayHoldsEachWayThatLong() throws IOException {
    proxy.delay(Duration.ofMillis(200));
    try (Socket client = connect()) {
      long started = System.nanoTime();
      assertEquals("slow", roundTrip(client, "slow"));
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertTrue(took.compareTo(Duration.ofMillis(400)) >= 0, took.toString());
    }
  }

  @Test
  void closingTheProxyClosesItsConnections() throws IOException {
    try (Socket client = connect()) {
      assertEquals("x", roundTrip(client, "x"));

      proxy.close();

      client.setSoTimeout(5_000);
      int read;
      try {
        read = client.getInputStream().read();
      } catch (IOException reset) {
        read = -1;
      }
      assertEquals(-1, read);
    }
  }

  private Socket connect() throws IOException {
    Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    client.setSoTimeout(5_000);
    return client;
  }

  private static String roundTrip(Socket client, String text) throws IOException {
    send(client, text);
    return read(client, text.length());
  }

  private static void send(Socket client, String text) throws IOException {
    OutputStream out = client.getOutputStream();
    out.write(text.getBytes(UTF_8));
    out.flush();
  }

  private static String read(Socket client, int length) throws IOException {
    byte[] bytes = client.getInputStream().readNBytes(length);
    return new String(bytes, UTF_8);
  }

  private void serveEcho() {
    while (!echo.isClosed()) {
      try {
        Socket connection = echo.accept();
        Thread.ofVirtual().start(() -> echoOn(connection));
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void echoOn(Socket connection) {
    try (connection;
        InputStream in = connection.getInputStream();
        OutputStream out = connection.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // The client went away.
    }
  }
}
