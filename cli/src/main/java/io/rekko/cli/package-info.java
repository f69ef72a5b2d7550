/**
 * The {@code rekko} command line: {@link io.rekko.cli.Rekko} and one class per command family
 * ({@code produce}, {@code tenant}, {@code api-key}, {@code face}, {@code dlq}, {@code usage}).
 *
 * <p>Every leaf command is an {@link io.rekko.cli.Action}: it returns 0 when done and 1 when
 * refused or failed, printing one line that says why on stderr; picocli answers a usage error with
 * 2. Commands that send take {@link io.rekko.cli.ConnectionOptions} and {@link
 * io.rekko.cli.EnvelopeOptions} and extend {@link io.rekko.cli.SendingCommand}, the one place that
 * sends and reports command ids.
 */
package io.rekko.cli;
