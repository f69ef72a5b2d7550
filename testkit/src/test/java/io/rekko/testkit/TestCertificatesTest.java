package io.rekko.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

class TestCertificatesTest {

  private final TestCertificates certificates = TestCertificates.create("unit");

  @Test
  void serverCertificateIsSignedByTheCa() throws Exception {
    X509Certificate server = read(certificates.serverCertificateFile());

    server.verify(certificates.ca().getPublicKey());
    assertEquals(certificates.ca().getSubjectX500Principal(), server.getIssuerX500Principal());
  }

  @Test
  void serverCertificateNamesTheLoopbackAddressAndLocalhost() throws Exception {
    X509Certificate server = read(certificates.serverCertificateFile());

    assertEquals(
        List.of(List.of(2, "localhost"), List.of(7, "127.0.0.1")),
        server.getSubjectAlternativeNames().stream().toList());
  }

  @Test
  void caIsACertificateAuthorityAndTheServerIsNot() throws Exception {
    X509Certificate server = read(certificates.serverCertificateFile());

    assertTrue(certificates.ca().getBasicConstraints() >= 0, "the CA may sign certificates");
    assertEquals(-1, server.getBasicConstraints(), "the server certificate may not");
  }

  @Test
  void aClientTrustingTheCaAcceptsTheServer() throws Exception {
    X509Certificate server = read(certificates.serverCertificateFile());

    trusting(certificates.caFile())
        .checkServerTrusted(new X509Certificate[] {server}, "ECDHE_ECDSA");
  }

  @Test
  void aClientTrustingAnotherCaRejectsTheServer() throws Exception {
    X509Certificate server = read(certificates.serverCertificateFile());
    X509TrustManager other = trusting(TestCertificates.create("other").caFile());

    assertThrows(
        CertificateException.class,
        () -> other.checkServerTrusted(new X509Certificate[] {server}, "ECDHE_ECDSA"));
  }

  @Test
  void keyIsAnUnencryptedPkcs8Pem() throws IOException {
    String key = Files.readString(certificates.serverKeyFile());

    assertTrue(key.startsWith("-----BEGIN PRIVATE KEY-----\n"), key);
    assertTrue(key.endsWith("-----END PRIVATE KEY-----\n"), key);
  }

  private static X509Certificate read(Path pem) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static X509TrustManager trusting(Path caPem)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("ca", read(caPem));
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return (X509TrustManager) factory.getTrustManagers()[0];
  }
}
