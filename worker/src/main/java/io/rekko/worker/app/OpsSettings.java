package io.rekko.worker.app;

/**
 * Settings of the operations endpoint.
 *
 * @param httpPort port of {@code /health/live}, {@code /health/ready} and {@code /metrics}; 0 picks
 *     a free port (tests, several workers on one machine)
 */
public record OpsSettings(int httpPort) {
  public OpsSettings {
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException(
          "httpPort must be between 0 and 65535 (0 = any free port), was " + httpPort);
    }
  }
}
