package io.rekko.testkit;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Just enough ASN.1 DER encoding to write an X.509 v3 certificate: each method returns one complete
 * element (tag, length, contents). {@link TestCertificates} is its only user.
 *
 * <p>Written by hand rather than borrowed: the JDK's encoder is internal ({@code sun.security}),
 * and a cryptography library would be a dependency of every test module for some fifty lines.
 */
final class Der {
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  private Der() {}

  static byte[] sequence(byte[]... elements) {
    return element(0x30, concat(elements));
  }

  static byte[] set(byte[]... elements) {
    return element(0x31, concat(elements));
  }

  static byte[] integer(BigInteger value) {
    return element(0x02, value.toByteArray());
  }

  static byte[] bool(boolean value) {
    return element(0x01, new byte[] {(byte) (value ? 0xff : 0x00)});
  }

  static byte[] octetString(byte[] contents) {
    return element(0x04, contents);
  }

  /** A BIT STRING of whole bytes, or with {@code unusedBits} trailing bits of the last one. */
  static byte[] bitString(int unusedBits, byte[] bits) {
    byte[] contents = new byte[bits.length + 1];
    contents[0] = (byte) unusedBits;
    System.arraycopy(bits, 0, contents, 1, bits.length);
    return element(0x03, contents);
  }

  static byte[] utf8String(String value) {
    return element(0x0c, value.getBytes(StandardCharsets.UTF_8));
  }

  /** UTCTime: valid for years 1950-2049, which covers any certificate a test makes. */
  static byte[] utcTime(ZonedDateTime time) {
    return element(0x17, UTC_TIME.format(time).getBytes(StandardCharsets.US_ASCII));
  }

  /** An OBJECT IDENTIFIER from its dotted form, e.g. {@code 2.5.4.3}. */
  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      base128(out, Long.parseLong(arcs[i]));
    }
    return element(0x06, out.toByteArray());
  }

  /** A context-specific constructed element, {@code [tag] EXPLICIT}. */
  static byte[] explicit(int tag, byte[] element) {
    return element(0xa0 | tag, element);
  }

  /** A context-specific primitive element, {@code [tag] IMPLICIT} of a primitive type. */
  static byte[] implicitPrimitive(int tag, byte[] contents) {
    return element(0x80 | tag, contents);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] element(int tag, byte[] contents) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = contents.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      byte[] size = BigInteger.valueOf(length).toByteArray();
      int skip = size[0] == 0 ? 1 : 0;
      out.write(0x80 | (size.length - skip));
      out.write(size, skip, size.length - skip);
    }
    out.writeBytes(contents);
    return out.toByteArray();
  }

  private static void base128(ByteArrayOutputStream out, long value) {
    int groups = 1;
    while ((value >>> (7 * groups)) != 0) {
      groups++;
    }
    for (int i = groups - 1; i >= 0; i--) {
      int group = (int) ((value >>> (7 * i)) & 0x7f);
      out.write(i == 0 ? group : group | 0x80);
    }
  }
}
