/**
 * The access event schema of Trailwatch: {@link dev.trailwatch.event.AccessEvent} and its parts,
 * the schema table ({@link dev.trailwatch.event.Field}), its JSON codec ({@link
 * dev.trailwatch.event.EventJson}, {@link dev.trailwatch.event.NdjsonDecoder}) and validation.
 *
 * <h2>Absent values: never null</h2>
 *
 * <p>No method of this package returns {@code null} and no record component is ever {@code null}.
 * An optional schema field is an {@link java.util.Optional} ({@link java.util.OptionalInt} for
 * ports and status codes); an absent list or map is empty; an absent group of fields is the group's
 * {@code NONE} constant (for example {@link dev.trailwatch.event.Endpoint#NONE}), whose components
 * are all empty. An empty list, an empty map and an absent field are the same thing: the JSON codec
 * omits all three and reads all three back as empty. Record constructors reject {@code null} with a
 * {@link java.lang.NullPointerException} naming the component. The one place that accepts {@code
 * null} as input is {@link dev.trailwatch.event.AccessEvent.Builder}, whose setters treat it as
 * "clear this field" so that parsers can pass what they found.
 *
 * <h2>Thread safety</h2>
 *
 * <p>Every record, {@link dev.trailwatch.event.IpAddress} and {@link
 * dev.trailwatch.event.EventJson} are immutable and safe to share between threads. {@link
 * dev.trailwatch.event.AccessEvent.Builder}, {@link dev.trailwatch.event.CanonicalEncoder} and
 * {@link dev.trailwatch.event.NdjsonDecoder} are not thread-safe: one per thread.
 */
package dev.trailwatch.event;
