/**
 * The RFC 6962 / RFC 9162 Merkle tree of the ledger, as pure code.
 *
 * <ul>
 *   <li>{@link dev.trailwatch.ledger.merkle.Rfc6962Hasher}: leaf and interior hashes over SHA-256.
 *   <li>{@link dev.trailwatch.ledger.merkle.CompactRange}: the right edge of the growing tree; the
 *       writer appends leaf hashes to it and learns, through a {@link
 *       dev.trailwatch.ledger.merkle.NodeSink}, every perfect subtree as it completes.
 *   <li>{@link dev.trailwatch.ledger.merkle.Proofs}: roots, inclusion and consistency proofs built
 *       from stored subtree hashes that a {@link dev.trailwatch.ledger.merkle.NodeReader} serves.
 *   <li>{@link dev.trailwatch.ledger.merkle.ProofVerifier}: checks those proofs.
 *   <li>{@link dev.trailwatch.ledger.merkle.TilePath}: C2SP tlog-tiles coordinates and paths.
 * </ul>
 *
 * <p>Addressing: node (level, index) is the root of the perfect subtree over leaves {@code [index *
 * 2^level, (index + 1) * 2^level)}; level 0 holds the leaf hashes. Every hash is 32 bytes.
 *
 * <p>Pure: nothing here reads a clock, a file or a random source, and there is no static mutable
 * state. The only I/O is what a caller's {@code NodeReader} does. Threads: {@code Rfc6962Hasher}
 * and {@code CompactRange} are not thread-safe (a hasher owns a {@code MessageDigest}); every
 * method that takes a hasher uses it, so a thread must own the hasher it passes. The static methods
 * are otherwise safe to call from any thread. Nulls are never accepted nor returned.
 */
package dev.trailwatch.ledger.merkle;
