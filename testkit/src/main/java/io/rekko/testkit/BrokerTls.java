package io.rekko.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A broker's TLS material, made for one test run: a self-signed certificate for {@code 127.0.0.1}
 * and {@code localhost} with its key (a PKCS12 key store, made by the JDK's {@code keytool}), and a
 * trust store that trusts only that certificate, for the clients. Both share one random password.
 *
 * @param keyStore the broker's key and certificate
 * @param trustStore the certificate alone
 * @param password of both stores and of the key
 */
record BrokerTls(Path keyStore, Path trustStore, String password) {
  private static final String ALIAS = "broker";
  private static final String TYPE = "PKCS12";

  @Override
  public String toString() {
    return "BrokerTls[keyStore=" + keyStore + ", trustStore=" + trustStore + ", password=******]";
  }

  /** Makes the stores in {@code dir} (created if missing). */
  static BrokerTls generate(Path dir) {
    byte[] bytes = new byte[16];
    ThreadLocalRandom.current().nextBytes(bytes);
    String password = HexFormat.of().formatHex(bytes);
    try {
      Files.createDirectories(dir);
      Path keyStore = dir.resolve("broker.p12");
      Path trustStore = dir.resolve("truststore.p12");
      keytool(dir, keyStore, password);
      writeTrustStore(keyStore, trustStore, password);
      return new BrokerTls(keyStore, trustStore, password);
    } catch (IOException | GeneralSecurityException e) {
      throw new TestServerException("could not make TLS material for Kafka in " + dir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestServerException("interrupted while making TLS material for Kafka", e);
    }
  }

  /** What a client adds to trust the broker. */
  Map<String, String> clientProperties() {
    return Map.of(
        "ssl.truststore.location", trustStore.toString(),
        "ssl.truststore.password", password,
        "ssl.truststore.type", TYPE);
  }

  /** What the broker sets on a listener ({@code prefix} = {@code listener.name.<name>.}). */
  Map<String, String> listenerProperties(String prefix) {
    return Map.of(
        prefix + "ssl.keystore.location", keyStore.toString(),
        prefix + "ssl.keystore.password", password,
        prefix + "ssl.keystore.type", TYPE,
        prefix + "ssl.key.password", password,
        prefix + "ssl.truststore.location", trustStore.toString(),
        prefix + "ssl.truststore.password", password,
        prefix + "ssl.truststore.type", TYPE);
  }

  private static void keytool(Path dir, Path keyStore, String password)
      throws IOException, InterruptedException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Path log = dir.resolve("keytool.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    keytool.toString(),
                    "-genkeypair",
                    "-alias",
                    ALIAS,
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-validity",
                    "2",
                    "-dname",
                    "CN=localhost",
                    "-ext",
                    "SAN=ip:127.0.0.1,dns:localhost",
                    "-keystore",
                    keyStore.toString(),
                    "-storetype",
                    TYPE,
                    "-storepass:env",
                    "REKKO_KEYTOOL_PASSWORD",
                    "-keypass:env",
                    "REKKO_KEYTOOL_PASSWORD",
                    "-noprompt"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().put("REKKO_KEYTOOL_PASSWORD", password);
    Process started = builder.start();
    if (!started.waitFor(60, TimeUnit.SECONDS)) {
      started.destroyForcibly();
      throw new IOException("keytool did not finish within 60 s");
    }
    if (started.exitValue() != 0) {
      throw new IOException(
          "keytool failed ("
              + started.exitValue()
              + "): "
              + Files.readString(log, StandardCharsets.UTF_8).strip());
    }
  }

  private static void writeTrustStore(Path keyStore, Path trustStore, String password)
      throws IOException, GeneralSecurityException {
    KeyStore keys = KeyStore.getInstance(TYPE);
    try (InputStream in = Files.newInputStream(keyStore)) {
      keys.load(in, password.toCharArray());
    }
    Certificate certificate = keys.getCertificate(ALIAS);
    KeyStore trusted = KeyStore.getInstance(TYPE);
    trusted.load(null, password.toCharArray());
    trusted.setCertificateEntry(ALIAS, certificate);
    try (OutputStream out = Files.newOutputStream(trustStore)) {
      trusted.store(out, password.toCharArray());
    }
  }
}
