package dev.trailwatch.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing and RFC 5952 normalisation of IP address literals. */
class IpAddressTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // RFC 5952 section 4 and its examples
        "2001:db8:0:0:0:0:2:1 | 2001:db8::2:1",
        "2001:0db8::0001 | 2001:db8::1",
        "2001:db8::0:1 | 2001:db8::1",
        "2001:db8:0000:1:1:1:1:1 | 2001:db8:0:1:1:1:1:1",
        "2001:db8::1:1:1:1:1 | 2001:db8:0:1:1:1:1:1",
        "2001:db8:0:0:1:0:0:1 | 2001:db8::1:0:0:1",
        "2001:0:0:1:0:0:0:1 | 2001:0:0:1::1",
        "2001:DB8::AAAA:BBBB | 2001:db8::aaaa:bbbb",
        "2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa | 2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa",
        "2001:db8:0:0:0::1 | 2001:db8::1",
        "2001:db8::1:0:0:0 | 2001:db8:0:0:1::",
        "::0:0:1 | ::1",
        "0:0:0:0:0:0:0:0 | ::",
        "::1 | ::1",
        "1:: | 1::",
        "fe80::0:0:1 | fe80::1",
        "1:0:1:0:1:0:1:0 | 1:0:1:0:1:0:1:0",
        // embedded IPv4; IPv4-mapped becomes IPv4
        "::ffff:1.2.3.4 | 1.2.3.4",
        "::FFFF:192.0.2.128 | 192.0.2.128",
        "0:0:0:0:0:ffff:c000:0280 | 192.0.2.128",
        "::1.2.3.4 | ::102:304",
        "64:ff9b::192.0.2.33 | 64:ff9b::c000:221",
        "1:2:3:4:5:6:1.2.3.4 | 1:2:3:4:5:6:102:304",
        // IPv4
        "0.0.0.0 | 0.0.0.0",
        "192.0.2.1 | 192.0.2.1",
        "255.255.255.255 | 255.255.255.255",
        "10.0.0.255 | 10.0.0.255",
      })
  void normalises(String literal, String expected) {
    IpAddress ip = IpAddress.parse(literal);
    assertThat(ip.toString()).isEqualTo(expected);
    assertThat(IpAddress.parse(expected)).isEqualTo(ip);
    assertThat(ip.isIpv4()).isEqualTo(expected.indexOf(':') < 0);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "abc | 'abc' is not an IPv4 or IPv6 address",
        "localhost | 'localhost' is not an IPv4 or IPv6 address",
        "example.com | 'example.com' is not an IPv4 or IPv6 address",
        "\"\" | '' is not an IPv4 or IPv6 address (the text is empty)",
        "\" 1.2.3.4\" | ' 1.2.3.4' is not an IPv4 or IPv6 address",
        "256.1.1.1 | '256.1.1.1' is not an IPv4 address: part 256 is larger than 255",
        "1.2.3 | '1.2.3' is not an IPv4 address: it has 3 parts, an IPv4 address has 4",
        "1.2.3.4.5 | '1.2.3.4.5' is not an IPv4 address: it has more than 4 parts",
        "1.2..4 | '1.2..4' is not an IPv4 address: unexpected character '.' where a number was"
            + " expected",
        "1.2.3. | '1.2.3.' is not an IPv4 address: it ends where a number was expected",
        "010.1.2.3 | '010.1.2.3' is not an IPv4 address: part '010' has a leading zero, which"
            + " some tools read as octal",
        "1.2.3.1000 | '1.2.3.1000' is not an IPv4 address: part '1000' is larger than 255",
        "1.2.3.4/24 | '1.2.3.4/24' is not an IPv4 or IPv6 address",
        ":: 1 | ':: 1' is not an IPv6 address: unexpected character ' '",
        "::: | ':::' is not an IPv6 address: it has ':::' or an empty group",
        "1:::2 | '1:::2' is not an IPv6 address: it has ':::' or an empty group",
        "1::2::3 | '1::2::3' is not an IPv6 address: '::' may appear only once",
        ":1::2 | ':1::2' is not an IPv6 address: it starts with a single ':'",
        "1::2: | '1::2:' is not an IPv6 address: it ends with a single ':'",
        "1:2:3:4:5:6:7 | '1:2:3:4:5:6:7' is not an IPv6 address: it has 7 groups, an IPv6 address"
            + " without '::' has 8",
        "1:2:3:4:5:6:7:8:9 | '1:2:3:4:5:6:7:8:9' is not an IPv6 address: it has more than 8 groups",
        "1:2:3:4::5:6:7:8 | '1:2:3:4::5:6:7:8' is not an IPv6 address: '::' must stand for at"
            + " least one zero group, but 8 groups are given",
        "12345::1 | '12345::1' is not an IPv6 address: group '12345' has more than 4 hex digits",
        "fe80::1%eth0 | 'fe80::1%eth0' is not an IPv6 address: zone ids ('%...') are not supported",
        "2001:db8::g | '2001:db8::g' is not an IPv6 address: unexpected character 'g'",
        "[::1] | '[::1]' is not an IPv6 address: unexpected character '['",
        "::ffff:1.2.3.256 | '::ffff:1.2.3.256' is not an IPv6 address: part 256 is larger than 255",
        "::ffff:01.2.3.4 | '::ffff:01.2.3.4' is not an IPv6 address: part '01' has a leading zero,"
            + " which some tools read as octal",
        "1:2:3:4:5:6:7:1.2.3.4 | '1:2:3:4:5:6:7:1.2.3.4' is not an IPv6 address: it has too many"
            + " groups before the embedded IPv4 address",
      })
  void rejectsWithAMessageThatSaysWhy(String literal, String message) {
    assertThatThrownBy(() -> IpAddress.parse(literal))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThat(IpAddress.tryParse(literal)).isEmpty();
  }

  @Test
  void longInputIsCutInTheMessage() {
    String long1 = "1".repeat(200);
    assertThatThrownBy(() -> IpAddress.parse(long1))
        .hasMessageStartingWith("'" + "1".repeat(Texts.MAX_QUOTED) + "…' (200 characters)")
        .hasMessageContaining("too long");
  }

  @Test
  void bytesAndInetAddressAgree() throws Exception {
    IpAddress v6 = IpAddress.parse("2001:db8::1");
    assertThat(v6.bytes()).hasSize(16);
    assertThat(v6.toInetAddress()).isEqualTo(InetAddress.getByName("2001:db8::1"));
    assertThat(IpAddress.of(InetAddress.getByAddress(v6.bytes()))).isEqualTo(v6);
    assertThat(IpAddress.parse("::ffff:0:0").toString()).isEqualTo("0.0.0.0");
    byte[] mappedBytes = new byte[16];
    mappedBytes[10] = (byte) 0xff;
    mappedBytes[11] = (byte) 0xff;
    mappedBytes[12] = 10;
    mappedBytes[15] = 1;
    assertThat(IpAddress.ofBytes(mappedBytes).toString()).isEqualTo("10.0.0.1");
    assertThatThrownBy(() -> IpAddress.ofBytes(new byte[5]))
        .hasMessage("an IP address has 4 or 16 bytes, not 5 bytes");
    byte[] copy = v6.bytes();
    copy[0] = 0;
    assertThat(v6.bytes()[0]).as("bytes() is a copy").isEqualTo((byte) 0x20);
  }

  @Test
  void ordersIpv4BeforeIpv6ThenByUnsignedBytes() {
    List<IpAddress> sorted =
        new ArrayList<>(
            List.of(
                IpAddress.parse("::1"),
                IpAddress.parse("200.0.0.1"),
                IpAddress.parse("10.0.0.1"),
                IpAddress.parse("ff02::1"),
                IpAddress.parse("2001:db8::1")));
    sorted.sort(null);
    assertThat(sorted)
        .extracting(IpAddress::toString)
        .containsExactly("10.0.0.1", "200.0.0.1", "::1", "2001:db8::1", "ff02::1");
  }

  /**
   * Random addresses written in random legal spellings (upper case, leading zeros, any zero run
   * compressed or none, embedded dotted quad) all parse to the same address, whose text is the RFC
   * 5952 form computed by a simple reference here.
   */
  @Test
  void anySpellingNormalisesToTheReference() throws Exception {
    long seed = TestSeeds.seed("ip-spellings");
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 20_000; i++) {
      int[] groups = new int[8];
      for (int g = 0; g < 8; g++) {
        int kind = random.nextInt(4);
        groups[g] = kind == 0 ? 0 : kind == 1 ? random.nextInt(16) : random.nextInt(0x10000);
      }
      boolean mapped = random.nextInt(10) == 0;
      if (mapped) {
        groups =
            new int[] {0, 0, 0, 0, 0, 0xffff, random.nextInt(0x10000), random.nextInt(0x10000)};
      }
      String spelling = spell(groups, random);
      String expected = mapped ? dotted(groups) : reference(groups);
      IpAddress ip = IpAddress.parse(spelling);
      assertThat(ip.toString())
          .as("%s (seed %d, %s)", spelling, seed, TestSeeds.reproduce())
          .isEqualTo(expected);
      byte[] bytes = new byte[16];
      for (int g = 0; g < 8; g++) {
        bytes[2 * g] = (byte) (groups[g] >>> 8);
        bytes[2 * g + 1] = (byte) groups[g];
      }
      if (!mapped) {
        assertThat(ip.bytes()).isEqualTo(bytes);
        // The JDK agrees on the bytes (it writes a different, uncompressed text).
        assertThat(InetAddress.getByAddress(bytes).getAddress()).isEqualTo(ip.bytes());
      }
    }
  }

  /** RFC 5952 written plainly: longest zero run of length >= 2, first on ties. */
  private static String reference(int[] g) {
    int bestStart = -1;
    int bestLength = 0;
    for (int start = 0; start < 8; start++) {
      int length = 0;
      while (start + length < 8 && g[start + length] == 0) {
        length++;
      }
      if (length >= 2 && length > bestLength) {
        bestStart = start;
        bestLength = length;
      }
    }
    List<String> parts = new ArrayList<>();
    for (int k = 0; k < 8; k++) {
      parts.add(Integer.toHexString(g[k]));
    }
    if (bestStart < 0) {
      return String.join(":", parts);
    }
    String head = String.join(":", parts.subList(0, bestStart));
    String tail = String.join(":", parts.subList(bestStart + bestLength, 8));
    return head + "::" + tail;
  }

  private static String dotted(int[] g) {
    return (g[6] >>> 8) + "." + (g[6] & 0xff) + "." + (g[7] >>> 8) + "." + (g[7] & 0xff);
  }

  /** One legal but arbitrary spelling of the groups. */
  private static String spell(int[] g, SplittableRandom random) {
    List<String> parts = new ArrayList<>();
    for (int k = 0; k < 8; k++) {
      String hex = Integer.toHexString(g[k]);
      if (random.nextBoolean()) {
        hex = "0".repeat(random.nextInt(5 - hex.length())) + hex;
      }
      parts.add(random.nextBoolean() ? hex.toUpperCase(Locale.ROOT) : hex);
    }
    boolean embedV4 = random.nextInt(4) == 0;
    if (embedV4) {
      parts = new ArrayList<>(parts.subList(0, 6));
      parts.add(dotted(g));
    }
    // Optionally compress one run of zero groups (not necessarily the longest).
    List<int[]> runs = new ArrayList<>();
    int limit = embedV4 ? 6 : 8;
    for (int start = 0; start < limit; start++) {
      for (int end = start + 1; end <= limit; end++) {
        boolean zeros = true;
        for (int k = start; k < end; k++) {
          zeros &= g[k] == 0;
        }
        if (zeros) {
          runs.add(new int[] {start, end});
        }
      }
    }
    if (!runs.isEmpty() && random.nextBoolean()) {
      int[] run = runs.get(random.nextInt(runs.size()));
      String head = String.join(":", parts.subList(0, run[0]));
      String tail = String.join(":", parts.subList(run[1], parts.size()));
      return head + "::" + tail;
    }
    return String.join(":", parts);
  }
}
