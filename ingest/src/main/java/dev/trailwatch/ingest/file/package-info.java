/**
 * Following log files as they grow, like Filebeat's {@code filestream} or Fluent Bit's {@code tail}
 * input: {@link dev.trailwatch.ingest.file.FileTailer} reads appended lines, survives rename and
 * copytruncate rotation, and remembers where it stopped in a {@link
 * dev.trailwatch.ingest.file.PositionStore}. Every event carries the file and byte offset it came
 * from ({@code log.file.*}, {@code log.offset}), which lets a restart after a crash resume exactly
 * after the last stored line ({@link dev.trailwatch.ingest.file.FileTailer#fromStoredEvents}).
 */
package dev.trailwatch.ingest.file;
