package io.rekko.testkit;

/**
 * A private embedded Kafka broker that a fault test may take away for good mid-test ({@link
 * #close}): its clients then find nothing at its address, as when a cluster becomes unreachable.
 * The shared broker ({@link TestServers#kafka()}) is never touched. The JVM's exit closes it too.
 */
public final class DisposableKafka implements KafkaBroker, AutoCloseable {

  private final EmbeddedKafka broker;
  private boolean closed;

  private DisposableKafka(EmbeddedKafka broker) {
    this.broker = broker;
  }

  /** Starts a broker on free ports and returns once it answers. */
  public static DisposableKafka start() {
    return new DisposableKafka(EmbeddedKafka.start());
  }

  /**
   * Starts a broker that its clients reach only through a {@link #proxy()}: it advertises the
   * proxy's address, so a blackhole of the proxy silences every client of the broker.
   */
  public static DisposableKafka startBehindProxy() {
    return new DisposableKafka(EmbeddedKafka.startBehindProxy());
  }

  /**
   * The proxy in front of the broker ({@link #startBehindProxy}).
   *
   * @throws IllegalStateException for a broker started without one
   */
  public TcpProxy proxy() {
    TcpProxy proxy = broker.proxy();
    if (proxy == null) {
      throw new IllegalStateException("this broker was started without a proxy");
    }
    return proxy;
  }

  @Override
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  @Override
  public void createTopic(String name, int partitions) {
    broker.createTopic(name, partitions);
  }

  @Override
  public String uniqueTopic(String prefix) {
    return broker.uniqueTopic(prefix);
  }

  /** Stops the broker, waits for it, and removes its logs. Idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      broker.close();
    }
  }

  @Override
  public String toString() {
    return "disposable " + broker;
  }
}
