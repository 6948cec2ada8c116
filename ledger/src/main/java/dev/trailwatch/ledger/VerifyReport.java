package dev.trailwatch.ledger;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What {@link Verifier} found.
 *
 * @param entries how many entries were read and rehashed
 * @param checkpoints how many checkpoints the log holds (each one's signature was checked)
 * @param witnessed how many of this ledger's checkpoints the witness holds
 * @param latest the latest checkpoint that verified, if any
 * @param keySource which public key the signatures were checked with
 * @param problems every difference found, the most telling first
 * @param notes facts worth telling that are not differences (a torn tail, a running writer)
 */
public record VerifyReport(
    long entries,
    long checkpoints,
    long witnessed,
    Optional<SignedCheckpoint> latest,
    String keySource,
    List<LedgerProblem> problems,
    List<String> notes) {

  public VerifyReport {
    problems =
        problems.stream()
            .sorted(
                Comparator.comparingLong(
                    (LedgerProblem p) -> p.seq() < 0 ? Long.MAX_VALUE : p.seq()))
            .toList();
    notes = List.copyOf(notes);
  }

  /** True when nothing was found that makes the ledger untrustworthy. */
  public boolean intact() {
    return problems.stream().noneMatch(p -> p.kind().isTampering());
  }

  /** The difference with the lowest sequence number: where the ledger first differs. */
  public Optional<LedgerProblem> first() {
    return problems.stream().filter(p -> p.kind().isTampering()).findFirst();
  }
}
