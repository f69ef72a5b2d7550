/**
 * The published contract between Rekko's producers, the worker and event subscribers: command and
 * event records, the codec that turns bytes into them (or into a precise decode error), the id value
 * types, topic and channel names, and the dead-letter header names.
 *
 * <p>The JSON Schema files under {@code /io/rekko/schema/} in this jar are the contract; the Java
 * types implement it.
 */
package io.rekko.schema;
