/**
 * The benchmark: how many commands a second the worker carries out on one machine, how long a
 * command takes from send to event at fixed offered rates, and how both compare with baselines that
 * show the machine's limits (a consumer that only decodes, the worker's SQL through plain JDBC, a
 * plain one-record-at-a-time worker).
 *
 * <p>Every server, worker and baseline runs in its own process, so that the CPU each one spends per
 * command can be read from {@code /proc}; PostgreSQL runs with {@code fsync} and {@code
 * synchronous_commit} on. {@link io.rekko.bench.BenchMain} runs it all and writes {@code
 * bench/REPORT.md}; nothing here runs during the build's tests except the unit tests of its own
 * logic.
 *
 * <p>What starts servers and workers as deployed ({@link io.rekko.bench.Servers}, {@link
 * io.rekko.bench.WorkerLauncher}, {@link io.rekko.bench.ChildJvm}, {@link
 * io.rekko.bench.ImageOptions}, and topic creation in {@link io.rekko.bench.Kafka}) is public: the
 * fault suite ({@code io.rekko.bench.faults}) runs its workers on the same pieces.
 */
package io.rekko.bench;
