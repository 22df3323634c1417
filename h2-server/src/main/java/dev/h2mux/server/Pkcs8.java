package dev.h2mux.server;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Wraps the older private key forms in a PKCS#8 PrivateKeyInfo (RFC 5208), which the JDK's key
 * factories read: PKCS#1 RSA keys (RFC 8017) and SEC 1 EC keys (RFC 5915), with just enough DER.
 */
final class Pkcs8 {
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };
  private static final byte[] EC_PUBLIC_KEY_OID = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };
  private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

  private Pkcs8() {}

  static byte[] fromRsaPkcs1(byte[] pkcs1) {
    return tlv(0x30, VERSION_0, RSA_ALGORITHM, tlv(0x04, pkcs1));
  }

  /** SEC 1 ECPrivateKey: SEQUENCE { INTEGER 1, OCTET STRING, [0] curve OID, [1] BIT STRING }. */
  static byte[] fromSec1(byte[] sec1) {
    int[] seq = header(sec1, 0, 0x30);
    int pos = seq[0];
    int end = seq[0] + seq[1];
    byte[] curve = null;
    while (pos < end) {
      int[] element = header(sec1, pos, -1);
      if ((sec1[pos] & 0xff) == 0xa0) {
        int[] oid = header(sec1, element[0], 0x06);
        curve = Arrays.copyOfRange(sec1, element[0], oid[0] + oid[1]);
      }
      pos = element[0] + element[1];
    }
    if (curve == null) {
      throw new IllegalArgumentException("EC key without named curve parameters");
    }
    return tlv(0x30, VERSION_0, tlv(0x30, EC_PUBLIC_KEY_OID, curve), tlv(0x04, sec1));
  }

  /** Returns {contentStart, contentLength} of the element at {@code pos}. */
  private static int[] header(byte[] der, int pos, int expectedTag) {
    if (pos + 2 > der.length || (expectedTag >= 0 && (der[pos] & 0xff) != expectedTag)) {
      throw new IllegalArgumentException("unexpected DER structure");
    }
    int len = der[pos + 1] & 0xff;
    int start = pos + 2;
    if (len >= 0x80) {
      int count = len & 0x7f;
      if (count == 0 || count > 3 || start + count > der.length) {
        throw new IllegalArgumentException("unsupported DER length");
      }
      len = 0;
      for (int i = 0; i < count; i++) {
        len = (len << 8) | (der[start++] & 0xff);
      }
    }
    if (start + len > der.length) {
      throw new IllegalArgumentException("truncated DER");
    }
    return new int[] {start, len};
  }

  private static byte[] tlv(int tag, byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      content.writeBytes(part);
    }
    int len = content.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream(len + 6);
    out.write(tag);
    if (len < 0x80) {
      out.write(len);
    } else if (len < 0x100) {
      out.write(0x81);
      out.write(len);
    } else if (len < 0x10000) {
      out.write(0x82);
      out.write(len >> 8);
      out.write(len);
    } else {
      out.write(0x83);
      out.write(len >> 16);
      out.write(len >> 8);
      out.write(len);
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }
}
