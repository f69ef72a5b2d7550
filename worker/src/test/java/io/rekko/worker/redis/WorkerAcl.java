package io.rekko.worker.redis;

import io.rekko.testkit.RedisServer;
import io.rekko.testkit.RedisUser;
import io.rekko.worker.support.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The worker's minimal Redis ACL as the tests apply it: the rules of {@code
 * config/redis-worker.acl} (on the test class path), a user name and one password for the whole
 * test JVM. Every test that runs a worker as this user proves the file grants enough; {@code
 * WorkerAclIT} proves it grants little.
 *
 * <p>The password is the same for every class of the run, so setting the user again on the shared
 * server (which replaces it) never locks out a worker of another class that logged in before.
 */
public final class WorkerAcl {
  public static final String USERNAME = "rekko-worker";
  static final String RESOURCE = "/redis-worker.acl";

  private static final String PASSWORD = newPassword();
  private static final List<String> RULES = readRules();

  private WorkerAcl() {}

  /** The rules of the file, in order, comments left out. */
  public static List<String> rules() {
    return RULES;
  }

  /** The worker's user, for a server that starts with it or gets it later. */
  public static RedisUser user() {
    return new RedisUser(USERNAME, PASSWORD, RULES);
  }

  /** Creates the worker's user on {@code server}, or sets it again (harmless). */
  public static void createOn(RedisServer server) {
    server.setUser(user());
  }

  /** The password the worker logs in with ({@code redis.password}). */
  public static String password() {
    return PASSWORD;
  }

  /** The worker's credentials as its Redis settings hold them. */
  public static RedisCredentials credentials() {
    return new RedisCredentials(USERNAME, new Secret(PASSWORD));
  }

  private static List<String> readRules() {
    try (InputStream in = WorkerAcl.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE + " is not on the test class path (worker/pom.xml copies config/ there)");
      }
      List<String> rules = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String rule = line.strip();
        if (!rule.isEmpty() && !rule.startsWith("#")) {
          rules.addAll(List.of(rule.split("\\s+")));
        }
      }
      return List.copyOf(rules);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + RESOURCE, e);
    }
  }

  private static String newPassword() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
