/**
 * The timeline of an entity: every event that involves a user, an address or a host in a window of
 * time, plus the events of the addresses and sessions seen in those, in time order, each with why
 * it is there. {@link dev.trailwatch.search.timeline.TimelineQuery} reads the parameters, {@link
 * dev.trailwatch.search.timeline.Timeline} runs them over the search index.
 */
package dev.trailwatch.search.timeline;
