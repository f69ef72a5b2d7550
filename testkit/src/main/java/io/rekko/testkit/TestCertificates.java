package io.rekko.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate authority made up for one test run, and one server certificate it signed for {@code
 * 127.0.0.1} and {@code localhost}: what a TLS server needs (its certificate and PKCS#8 key) and
 * what its clients need to verify it (the CA), as PEM files in a directory of their own.
 *
 * <p>Keys are EC P-256 and signatures ECDSA with SHA-256; the server certificate is valid from an
 * hour ago for 30 days. Nothing here is a secret worth keeping: the files are removed when the JVM
 * exits, however it exits. Two instances never trust each other, which is what a test of a server
 * "signed by someone else" needs.
 */
public final class TestCertificates {
  private static final String EC_SHA256 = "1.2.840.10045.4.3.2";
  private static final String COMMON_NAME = "2.5.4.3";
  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String KEY_USAGE = "2.5.29.15";
  private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
  private static final String SUBJECT_ALT_NAME = "2.5.29.17";
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final X509Certificate ca;
  private volatile SSLContext clientContext;

  private TestCertificates(Path dir, X509Certificate ca) {
    this.dir = dir;
    this.ca = ca;
  }

  /** Makes a new CA and a server certificate signed by it; {@code name} goes into both subjects. */
  public static TestCertificates create(String name) {
    Path dir = TempDirs.create("tls");
    ProcessGuard.deleteAtExit(dir);
    try {
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0);
      KeyPair caKeys = newKeyPair();
      byte[] caName = name("rekko test CA " + name);
      byte[] caCertificate =
          sign(
              caKeys.getPrivate(),
              tbs(
                  caName,
                  caName,
                  caKeys,
                  now.minusHours(1),
                  now.plusDays(31),
                  extension(BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true))),
                  // keyCertSign and cRLSign.
                  extension(KEY_USAGE, true, Der.bitString(1, new byte[] {0x06}))));
      KeyPair serverKeys = newKeyPair();
      byte[] serverCertificate =
          sign(
              caKeys.getPrivate(),
              tbs(
                  caName,
                  name("rekko test server " + name),
                  serverKeys,
                  now.minusHours(1),
                  now.plusDays(30),
                  extension(BASIC_CONSTRAINTS, true, Der.sequence()),
                  // digitalSignature.
                  extension(KEY_USAGE, true, Der.bitString(7, new byte[] {(byte) 0x80})),
                  extension(EXTENDED_KEY_USAGE, false, Der.sequence(Der.oid(SERVER_AUTH))),
                  extension(
                      SUBJECT_ALT_NAME,
                      false,
                      Der.sequence(
                          Der.implicitPrimitive(2, "localhost".getBytes(StandardCharsets.US_ASCII)),
                          Der.implicitPrimitive(
                              7, InetAddress.getLoopbackAddress().getAddress())))));
      writePem(dir.resolve("ca.crt"), "CERTIFICATE", caCertificate);
      writePem(dir.resolve("server.crt"), "CERTIFICATE", serverCertificate);
      writePem(dir.resolve("server.key"), "PRIVATE KEY", serverKeys.getPrivate().getEncoded());
      return new TestCertificates(dir, parse(caCertificate));
    } catch (GeneralSecurityException e) {
      throw new TestServerException("could not make test certificates for " + name, e);
    }
  }

  /** The CA's certificate (PEM): what a client trusts. */
  public Path caFile() {
    return dir.resolve("ca.crt");
  }

  /** The server's certificate (PEM), for {@code 127.0.0.1} and {@code localhost}. */
  public Path serverCertificateFile() {
    return dir.resolve("server.crt");
  }

  /** The server's private key (PEM, PKCS#8, unencrypted). */
  public Path serverKeyFile() {
    return dir.resolve("server.key");
  }

  public X509Certificate ca() {
    return ca;
  }

  /** A TLS client context that trusts this CA and nothing else. */
  public SSLContext clientContext() {
    SSLContext context = clientContext;
    if (context == null) {
      context = newClientContext();
      clientContext = context;
    }
    return context;
  }

  private SSLContext newClientContext() {
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      trusted.setCertificateEntry("ca", ca);
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), RANDOM);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new TestServerException("could not build a TLS context trusting " + this, e);
    }
  }

  @Override
  public String toString() {
    return "test CA " + ca.getSubjectX500Principal().getName();
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static byte[] name(String commonName) {
    return Der.sequence(Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8String(commonName))));
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical
        ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
        : Der.sequence(Der.oid(oid), Der.octetString(value));
  }

  private static byte[] tbs(
      byte[] issuer,
      byte[] subject,
      KeyPair subjectKeys,
      ZonedDateTime notBefore,
      ZonedDateTime notAfter,
      byte[]... extensions) {
    return Der.sequence(
        Der.explicit(0, Der.integer(BigInteger.TWO)),
        Der.integer(new BigInteger(127, RANDOM).add(BigInteger.ONE)),
        Der.sequence(Der.oid(EC_SHA256)),
        issuer,
        Der.sequence(Der.utcTime(notBefore), Der.utcTime(notAfter)),
        subject,
        subjectKeys.getPublic().getEncoded(),
        Der.explicit(3, Der.sequence(extensions)));
  }

  private static byte[] sign(PrivateKey issuerKey, byte[] tbs) throws GeneralSecurityException {
    Signature signature = Signature.getInstance("SHA256withECDSA");
    signature.initSign(issuerKey, RANDOM);
    signature.update(tbs);
    return Der.sequence(tbs, Der.sequence(Der.oid(EC_SHA256)), Der.bitString(0, signature.sign()));
  }

  private static X509Certificate parse(byte[] der) throws GeneralSecurityException {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new java.io.ByteArrayInputStream(der));
  }

  private static void writePem(Path file, String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    String pem = "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    try {
      Files.writeString(file, pem, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }
}
