/**
 * The ledger: an append-only, tamper-evident store of opaque byte records.
 *
 * <p>Records live in segment files ({@link dev.trailwatch.ledger.SegmentFormat}); every record is a
 * leaf of an RFC 6962 Merkle tree whose interior hashes are kept as tiles (C2SP tlog-tiles
 * coordinates, packed one file per level); the tree is published as Ed25519-signed checkpoints in
 * the C2SP signed-note format. {@link dev.trailwatch.ledger.Ledger} is the single writer; {@link
 * dev.trailwatch.ledger.LedgerReader} reads a data directory, with or without a running writer;
 * {@link dev.trailwatch.ledger.Verifier} recomputes everything from the records.
 *
 * <p>This module knows nothing about access events: it stores and proves bytes. It depends on the
 * JDK only.
 */
package dev.trailwatch.ledger;
