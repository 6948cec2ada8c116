package dev.trailwatch.ledger;

/** Every {@link LedgerTest}, with segments written through the page cache instead of direct I/O. */
class BufferedLedgerTest extends LedgerTest {
  @Override
  LedgerConfig config() {
    return super.config().withDirectIo(false);
  }
}
