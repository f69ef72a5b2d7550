package io.rekko.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A minimal, blocking Redis connection for starting, checking and flushing servers.
 *
 * <p>The testkit deliberately speaks RESP itself rather than through Lettuce: health checks during
 * start-up need no event loop, no client resources to close, and fail fast with a plain {@link
 * IOException}. Replies map to {@code String} (simple and bulk strings), {@code Long}, {@code List}
 * or {@code null}; an error reply throws {@link IOException} with the server's message.
 */
final class RespClient implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RespClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  static RespClient connect(RedisEndpoint endpoint, Duration timeout) throws IOException {
    Socket socket = new Socket();
    try {
      int millis = (int) timeout.toMillis();
      socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), millis);
      socket.setSoTimeout(millis);
      if (endpoint.tls() != null) {
        socket = startTls(socket, endpoint);
      }
      RespClient client = new RespClient(socket);
      if (endpoint.password() != null) {
        client.call("AUTH", endpoint.password());
      }
      return client;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Wraps a connected socket in TLS, verifying the server's chain against the endpoint's CA and its
   * certificate's names against the host, as a client with peer verification does.
   */
  private static Socket startTls(Socket plain, RedisEndpoint endpoint) throws IOException {
    SSLSocket tls =
        (SSLSocket)
            endpoint
                .tls()
                .clientContext()
                .getSocketFactory()
                .createSocket(plain, endpoint.host(), endpoint.port(), true);
    SSLParameters parameters = tls.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    tls.setSSLParameters(parameters);
    tls.startHandshake();
    return tls;
  }

  Object call(String... command) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(("*" + command.length + "\r\n").getBytes(StandardCharsets.UTF_8));
    for (String argument : command) {
      byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
      request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      request.writeBytes(bytes);
      request.writeBytes(new byte[] {'\r', '\n'});
    }
    out.write(request.toByteArray());
    out.flush();
    return readReply();
  }

  private Object readReply() throws IOException {
    int type = in.read();
    String line = readLine();
    return switch (type) {
      case '+' -> line;
      case '-' -> throw new IOException("Redis replied: " + line);
      case ':' -> Long.parseLong(line);
      case '$' -> readBulk(Integer.parseInt(line));
      case '*' -> readArray(Integer.parseInt(line));
      case -1 -> throw new EOFException("Redis closed the connection");
      default -> throw new IOException("unexpected RESP reply type " + (char) type + line);
    };
  }

  private String readBulk(int length) throws IOException {
    if (length < 0) {
      return null;
    }
    byte[] bytes = in.readNBytes(length + 2);
    if (bytes.length != length + 2) {
      throw new EOFException("Redis closed the connection inside a reply");
    }
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }

  private List<Object> readArray(int count) throws IOException {
    if (count < 0) {
      return null;
    }
    List<Object> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      items.add(readReply());
    }
    return items;
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    while (true) {
      int next = in.read();
      if (next == -1) {
        return line.toString(StandardCharsets.UTF_8);
      }
      if (previous == '\r' && next == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      line.write(next);
      previous = next;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
