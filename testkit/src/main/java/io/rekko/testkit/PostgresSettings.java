package io.rekko.testkit;

/**
 * How durable an embedded PostgreSQL server is.
 *
 * <p>Tests run with {@link #forTests()}: no {@code fsync}, no synchronous commit, so a commit costs
 * no disk flush and the suite stays fast; a crash of the test machine loses nothing that matters.
 * Benchmarks that measure commit cost use {@link #durable()}. {@code full_page_writes} follows
 * {@code fsync}: without flushes, torn-page protection buys nothing.
 *
 * @param fsync PostgreSQL's {@code fsync}: flush written data to disk
 * @param synchronousCommit PostgreSQL's {@code synchronous_commit}: a commit waits for its WAL
 *     flush
 */
public record PostgresSettings(boolean fsync, boolean synchronousCommit) {

  /** {@code fsync=off}, {@code synchronous_commit=off}. */
  public static PostgresSettings forTests() {
    return new PostgresSettings(false, false);
  }

  /** {@code fsync=on}, {@code synchronous_commit=on}, as in production. */
  public static PostgresSettings durable() {
    return new PostgresSettings(true, true);
  }
}
