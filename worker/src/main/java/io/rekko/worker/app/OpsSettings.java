package io.rekko.worker.app;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Settings of the operations endpoint.
 *
 * @param bindAddress the local address to serve on: {@code 0.0.0.0} (every interface, as an
 *     orchestrator's probes from outside a container need), or one interface's, e.g. {@code
 *     127.0.0.1} for the machine alone
 * @param httpPort port of {@code /health/live}, {@code /health/ready} and {@code /metrics}; 0 picks
 *     a free port (tests, several workers on one machine)
 */
public record OpsSettings(InetAddress bindAddress, int httpPort) {
  public OpsSettings {
    Objects.requireNonNull(bindAddress, "bindAddress");
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException(
          "httpPort must be between 0 and 65535 (0 = any free port), was " + httpPort);
    }
  }

  /** Where to bind. */
  public InetSocketAddress address() {
    return new InetSocketAddress(bindAddress, httpPort);
  }
}
