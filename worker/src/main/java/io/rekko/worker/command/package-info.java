/**
 * One handler per command type: the only place that combines the contract ({@code
 * io.rekko.schema}), the store, the Redis blocks and the clock into the flow the design describes
 * (decode, ledger, tenant checks, lock, unit of work, publish).
 */
package io.rekko.worker.command;
