package dev.trailwatch.bench;

import dev.trailwatch.event.IpAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a system answered to a {@link Probe}, in a form both systems can be compared in: for hits,
 * the total and the sequence numbers of the newest events in order; for a table, its rows as text,
 * with IP addresses in one spelling and an absent value as {@code (absent)}.
 *
 * @param total the number of matching events (hits), or the number of rows (tables)
 * @param seqs the hits' sequence numbers, newest first; empty for a table
 * @param rows the table's rows; empty for hits
 */
record Answer(long total, List<Long> seqs, List<List<String>> rows) {
  static final String ABSENT = "(absent)";

  Answer {
    seqs = List.copyOf(seqs);
    rows = rows.stream().map(List::copyOf).toList();
  }

  static Answer hits(long total, List<Long> seqs) {
    return new Answer(total, seqs, List.of());
  }

  /** A table; its cells normalised with {@link #cell}. */
  static Answer table(List<List<String>> rows) {
    List<List<String>> normalised = new ArrayList<>();
    for (List<String> row : rows) {
      normalised.add(row.stream().map(Answer::cell).toList());
    }
    return new Answer(rows.size(), List.of(), normalised);
  }

  /** A cell as text: null or empty is {@code (absent)}, an IP address in its usual spelling. */
  static String cell(String value) {
    if (value == null || value.isEmpty()) {
      return ABSENT;
    }
    Optional<IpAddress> ip =
        value.contains(".") || value.contains(":") ? IpAddress.tryParse(value) : Optional.empty();
    return ip.map(IpAddress::toString).orElse(value);
  }

  /** The same answer with its rows sorted, for tables whose row order is not defined. */
  Answer unordered() {
    List<List<String>> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparing(row -> String.join("\t", row)));
    return new Answer(total, seqs, sorted);
  }

  /** A short description for an error message: the total and the first few hits or rows. */
  String brief() {
    return seqs.isEmpty()
        ? rows.size() + " rows " + rows.subList(0, Math.min(12, rows.size()))
        : total + " hits, first " + seqs.subList(0, Math.min(10, seqs.size()));
  }
}
