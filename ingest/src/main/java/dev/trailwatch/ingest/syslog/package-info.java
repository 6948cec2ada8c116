/**
 * The syslog receiver (transport): TCP with RFC 6587 framing, UDP, and TLS (RFC 5425). It turns
 * bytes into messages and hands them, parsed by {@link dev.trailwatch.ingest.parse.SyslogFormat},
 * to an {@link dev.trailwatch.ingest.EventSink} in batches. Entry point: {@link SyslogServer}.
 */
package dev.trailwatch.ingest.syslog;
