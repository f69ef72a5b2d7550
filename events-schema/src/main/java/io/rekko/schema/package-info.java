/**
 * The published contract between Rekko's producers, the worker and event subscribers: command and
 * event records, the codec that turns bytes into them (or into a precise decode error), the id
 * value types, topic and channel names, and the dead-letter header names.
 *
 * <p>The JSON Schema files under {@code /io/rekko/schema/} in this jar are the contract; the Java
 * types implement it. Entry points: {@link io.rekko.schema.CommandCodec} (decode a record into a
 * {@link io.rekko.schema.Command} or a {@link io.rekko.schema.DecodeError}; encode for producers),
 * {@link io.rekko.schema.EventCodec}, {@link io.rekko.schema.Event} and {@link
 * io.rekko.schema.EventIds}. The codec validates by hand, in one streaming pass; the module's tests
 * hold it to the schema files through the examples beside them.
 */
package io.rekko.schema;
