package io.rekko.testkit;

/** A standalone Redis server for tests; each test class uses keys under a prefix of its own. */
public interface RedisServer {

  String host();

  int port();

  /** {@code "redis://127.0.0.1:<port>"} for the embedded server. */
  String uri();

  /** Removes every key on the server: a test that calls it must own the whole server. */
  void flushAll();

  /**
   * Creates {@code user}, or replaces the user of that name with exactly this password and these
   * rules (so calling it again with the same user is harmless, also while that user is connected).
   * The default user keeps its access.
   */
  void setUser(RedisUser user);
}
