package dev.trailwatch.event.sample;

import java.time.Instant;

/**
 * Event times: non-decreasing, with a daily and weekly rhythm (busy office hours, quiet nights and
 * weekends, in UTC). Time is cut into hour buckets from the start; bucket h gets floor(E·W(h+1)/W)
 * − floor(E·W(h)/W) events, where W(h) is the summed weight of the buckets before h and W the
 * weight of the whole configured duration, so exactly E events fall inside the duration; after it,
 * buckets continue at the same rate. Within a bucket, the k-th of n events is at (k + u)/n of the
 * bucket (u uniform), which keeps times ordered.
 */
final class Timeline {
  private static final long HOUR_NANOS = 3_600_000_000_000L;

  /** Relative activity per UTC hour of day. */
  private static final double[] HOURLY = {
    0.25, 0.2, 0.2, 0.2, 0.25, 0.35, 0.55, 0.8, 1.1, 1.4, 1.6, 1.65, 1.5, 1.6, 1.65, 1.6, 1.45, 1.2,
    0.95, 0.75, 0.6, 0.5, 0.4, 0.3
  };

  private static final double WEEKEND = 0.45;

  private final Instant start;
  private final long durationNanos;
  private final double eventsPerWeight;

  private long bucket = -1;
  private double weightBefore; // W(bucket)
  private long inBucket; // events in the current bucket
  private long nextInBucket; // index of the next event in it
  private long bucketStart; // nanos from start
  private long bucketLength; // nanos

  Timeline(Instant start, long durationNanos, long events) {
    this.start = start;
    this.durationNanos = durationNanos;
    double total = 0;
    for (long h = 0; h * HOUR_NANOS < durationNanos; h++) {
      total += weight(h) * (double) length(h) / HOUR_NANOS;
    }
    this.eventsPerWeight = events / total;
  }

  Instant next(SplitMix64 rng) {
    while (nextInBucket >= inBucket) {
      double before = weightBefore;
      if (bucket >= 0) {
        before += weight(bucket) * (double) bucketLength / HOUR_NANOS;
      }
      bucket++;
      bucketStart = bucket * HOUR_NANOS;
      bucketLength = length(bucket);
      double after = before + weight(bucket) * (double) bucketLength / HOUR_NANOS;
      inBucket =
          (long) Math.floor(after * eventsPerWeight) - (long) Math.floor(before * eventsPerWeight);
      weightBefore = before;
      nextInBucket = 0;
    }
    double fraction = (nextInBucket + rng.nextDouble()) / inBucket;
    nextInBucket++;
    long offset = bucketStart + (long) (fraction * bucketLength);
    return start.plusNanos(offset);
  }

  /** Length of bucket h in nanos: a full hour, except the last one inside the duration. */
  private long length(long h) {
    long from = h * HOUR_NANOS;
    if (from < durationNanos && durationNanos - from < HOUR_NANOS) {
      return durationNanos - from;
    }
    return HOUR_NANOS;
  }

  private double weight(long h) {
    Instant at = start.plusNanos(h * HOUR_NANOS);
    long epochSecond = at.getEpochSecond();
    int hourOfDay = (int) Math.floorMod(Math.floorDiv(epochSecond, 3600L), 24L);
    long epochDay = Math.floorDiv(epochSecond, 86_400L);
    int dayOfWeek = (int) Math.floorMod(epochDay + 3, 7L); // 0 = Monday
    return HOURLY[hourOfDay] * (dayOfWeek >= 5 ? WEEKEND : 1);
  }
}
