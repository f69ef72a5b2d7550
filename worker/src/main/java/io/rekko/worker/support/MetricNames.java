package io.rekko.worker.support;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Every metric the worker exports, in one place, so that dashboards and alerts have one list to
 * read and names cannot drift between the code that records and the code that reads.
 *
 * <p>Tags are lower-case words: {@code topic}, {@code partition}, {@code outcome}, {@code reason},
 * {@code command_type}, {@code block}, {@code kind}, {@code change}, {@code path}. Never tag with a
 * tenant, external or command id: their number is unbounded.
 */
public final class MetricNames {

  // The Kafka engine.
  public static final MetricName RECORDS_IN =
      new MetricName(
          "rekko.engine.polled.records", "Records polled from the input topics.", "records");
  public static final MetricName RECORDS_DONE =
      new MetricName(
          "rekko.engine.finished.records",
          "Records finished, tagged by outcome (done, dead_letter).",
          "records");
  public static final MetricName PROCESSING_LATENCY =
      new MetricName(
          "rekko.engine.processing.latency",
          "Time from a record's dispatch to the handler's final answer, retries included.",
          "seconds");
  public static final MetricName BATCH_SIZE =
      new MetricName(
          "rekko.engine.batch.size", "Records handed to the handler in one batch.", "records");
  public static final MetricName IN_FLIGHT =
      new MetricName(
          "rekko.engine.in_flight",
          "Records polled and not yet finished (buffered or being handled).",
          "records");
  public static final MetricName RETRIES =
      new MetricName(
          "rekko.engine.retries",
          "Retries scheduled, tagged by kind (retriable, unexpected, dead_letter for a failed"
              + " dead-letter write).",
          "retries");
  public static final MetricName DEAD_LETTERS =
      new MetricName(
          "rekko.engine.dead_lettered.records",
          "Records written to the dead-letter topic.",
          "records");
  public static final MetricName DEAD_LETTER_STUBS =
      new MetricName(
          "rekko.engine.dead_letter_stubs.records",
          "Records whose dead letter the dead-letter topic refused for good (too large, not"
              + " authorised), written as a stub: error headers and the value's digest only.",
          "records");
  public static final MetricName UNWRITABLE_DEAD_LETTERS =
      new MetricName(
          "rekko.engine.unwritable_dead_letters.records",
          "Records given up because even their stub dead letter was refused for good: their"
              + " offsets were committed without a dead letter (the log names each one).",
          "records");
  public static final MetricName LAG =
      new MetricName(
          "rekko.engine.lag",
          "Records between the committed offset and the log end, over assigned partitions.",
          "records");
  public static final MetricName PAUSES =
      new MetricName(
          "rekko.engine.pauses",
          "Times partitions were paused because buffered work passed the high-water mark.",
          "pauses");
  public static final MetricName COMMIT_LATENCY =
      new MetricName("rekko.engine.commit.latency", "Time taken by one offset commit.", "seconds");
  public static final MetricName DEGRADED =
      new MetricName(
          "rekko.engine.degraded",
          "1 while some key is retrying after an infrastructure failure, else 0.",
          "boolean");
  public static final MetricName RETRYING_UNTIL_DONE =
      new MetricName(
          "rekko.engine.retrying_until_done",
          "Records that failed and wait to be retried until they take effect, never"
              + " dead-lettered: face.delete commands (the command layer asks it for them). Above"
              + " 0, deletes are pending; /health/ready says so too.",
          "records");
  public static final MetricName RECORDS_SKIPPED =
      new MetricName(
          "rekko.engine.skipped.records",
          "Polled records not handled because the partition's previous owner had finished them.",
          "records");
  public static final MetricName ABANDONED =
      new MetricName(
          "rekko.engine.abandoned",
          "Records still being handled when their partition was revoked or lost, or when the"
              + " shutdown deadline passed; their results are discarded and they are handled"
              + " again.",
          "records");
  public static final MetricName PARTITION_CHANGES =
      new MetricName(
          "rekko.engine.changed.partitions",
          "Partitions assigned, revoked or lost by rebalances, tagged by change.",
          "partitions");

  // Redis (package io.rekko.worker.redis).
  public static final MetricName REDIS_FAILURES =
      new MetricName(
          "rekko.redis.failed.calls",
          "Redis calls that failed (unreachable, timed out, refused), tagged by block (cache,"
              + " limiter, lock, publish, counters); each took its block's documented fallback.",
          "calls");
  public static final MetricName REDIS_REFUSALS =
      new MetricName(
          "rekko.redis.refused.calls",
          "Redis calls the server refused for a reason only an operator can fix, tagged by reason"
              + " (out_of_memory: maxmemory reached under noeviction; no_permission: the ACL user"
              + " lacks a command, key or channel; wrong_type: a key of the worker holds another"
              + " type of value; script_error: a worker script failed inside Redis). Each took its"
              + " block's fallback, as when Redis is unreachable.",
          "calls");
  public static final MetricName REDIS_LIMITER_FAILED_OPEN =
      new MetricName(
          "rekko.redis.limiter.failed_open",
          "Rate-limit decisions admitted without Redis because it could not be asked.",
          "decisions");
  public static final MetricName REDIS_LOCK_RENEWALS =
      new MetricName(
          "rekko.redis.lock.renewals",
          "Lock renewals sent while a lock was held, tagged by outcome (extended, lost, failed).",
          "renewals");
  public static final MetricName REDIS_CACHE_LOOKUPS =
      new MetricName(
          "rekko.redis.cache.lookups",
          "Read-through cache lookups, tagged by cache (face, tenant_config, api_key, face_count)"
              + " and outcome (hit, miss, unavailable).",
          "lookups");

  // The command handlers (package io.rekko.worker.command).
  public static final MetricName COMMANDS =
      new MetricName(
          "rekko.commands",
          "Commands handled, tagged by command_type and outcome (applied, rejected, replayed,"
              + " verified, dead_letter, retry).",
          "commands");
  public static final MetricName COMMANDS_REJECTED =
      new MetricName(
          "rekko.rejected.commands",
          "command.rejected outcomes decided (not replayed), tagged by command_type and reason.",
          "commands");
  public static final MetricName DEAD_LETTER_VALUES =
      new MetricName(
          "rekko.dead_letter.values",
          "Values of dead letters as written, tagged by form: as_read (no embedding in the clear),"
              + " sealed (its embedding sealed, the rest as read: can be sent again), digest (only"
              + " the value's length and SHA-256: it could not be sealed).",
          "values");
  public static final MetricName VERIFY_LATENCY =
      new MetricName(
          "rekko.commands.verify.latency",
          "Time to carry out one face.verify: tenant checks, face lookup, comparison, publication.",
          "seconds");
  public static final MetricName LOCKS_BUSY =
      new MetricName(
          "rekko.commands.busy_lock.retries",
          "Face commands handed back to the engine because another holder kept the face's lock.",
          "retries");
  public static final MetricName LOCK_FALLBACKS =
      new MetricName(
          "rekko.commands.advisory_lock.fallbacks",
          "Face mutations guarded by the PostgreSQL advisory lock because Redis could not lock.",
          "fallbacks");

  // The outbox relay (package io.rekko.worker.command).
  public static final MetricName CACHE_BYPASSED_READS =
      new MetricName(
          "rekko.cache.bypassed.reads",
          "Cache reads sent straight to PostgreSQL: an invalidation of the tenant may not have"
              + " reached Redis yet, or this worker's link to Redis was disrupted since its last"
              + " invalidation check.",
          "reads");
  public static final MetricName CACHE_UNAPPLIED_INVALIDATIONS =
      new MetricName(
          "rekko.cache.unapplied_invalidations",
          "Pending outbox events whose cache invalidation this worker could not apply to Redis, as"
              + " of its last invalidation check.",
          "events");
  public static final MetricName OUTBOX_PENDING =
      new MetricName(
          "rekko.outbox.pending",
          "Outbox events not yet published, as counted by the relay's last sweep.",
          "events");
  public static final MetricName OUTBOX_OLDEST_PENDING_AGE =
      new MetricName(
          "rekko.outbox.oldest_pending.age",
          "Age of the oldest outbox event not yet published (0 when none), as seen by the relay's"
              + " last sweep: an event that cannot be published shows here.",
          "seconds");
  public static final MetricName OUTBOX_PUBLISHED =
      new MetricName(
          "rekko.outbox.published",
          "Outbox events published and marked, tagged by path (direct after commit, sweeper).",
          "events");

  // The store (package io.rekko.worker.store).
  public static final MetricName STORE_BATCHES =
      new MetricName(
          "rekko.store.batches",
          "Batch transactions committed or tried, tagged by path (set_based: one statement per"
              + " step for the whole batch; unit_by_unit: a savepoint and statements per unit, for"
              + " tenant commands and for batches the set-based attempt could not decide).",
          "batches");

  // The worker process (package io.rekko.worker.app).
  public static final MetricName RETENTION_PURGED =
      new MetricName(
          "rekko.store.retention.purged",
          "Rows deleted by the retention purge because they were older than store.retention,"
              + " tagged by kind (ledger, outbox).",
          "rows");
  public static final MetricName RETENTION_RUNS =
      new MetricName(
          "rekko.store.retention.runs",
          "Runs of the retention purge, tagged by outcome (done, failed).",
          "runs");

  private MetricNames() {}

  /** Every declared metric, in declaration order. */
  public static List<MetricName> all() {
    List<MetricName> all = new ArrayList<>();
    for (Field field : MetricNames.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == MetricName.class) {
        try {
          all.add((MetricName) field.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("cannot read metric constant " + field.getName(), e);
        }
      }
    }
    return List.copyOf(all);
  }
}
