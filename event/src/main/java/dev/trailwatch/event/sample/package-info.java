/**
 * Realistic, deterministic sample access events for demos, import tests and benchmarks: {@link
 * dev.trailwatch.event.sample.EventGenerator}. Same seed and configuration, same events, byte for
 * byte in canonical form, on every JVM (the generator uses its own SplitMix64 and no JDK random
 * algorithm or default locale). No method returns null.
 */
package dev.trailwatch.event.sample;
