/**
 * The Java client of the Rekko worker: a typed command producer, which sends face commands to the
 * commands topic and tenant commands to the admin topic under the right record key, and a
 * per-tenant event subscriber, which hears the tenant's channel, replays what it missed from the
 * tenant's event stream, and drops repeats by event id.
 */
package io.rekko.client;
