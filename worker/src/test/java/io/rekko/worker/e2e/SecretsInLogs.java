package io.rekko.worker.e2e;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails when a configured secret appears in a captured log line ({@link LogCapture}): a password, a
 * key, a SASL JAAS configuration, or the password inside one.
 *
 * <p>A secret shorter than {@value #MIN_SEARCHABLE_LENGTH} characters is not searched for: it would
 * match ordinary words ({@code postgres} is a user, a database and a driver, too), so a hit would
 * prove nothing. Such secrets are named in a warning; tests that mean to prove a secret is not
 * logged give it a long random value.
 */
final class SecretsInLogs {
  static final int MIN_SEARCHABLE_LENGTH = 12;

  private static final Logger log = LoggerFactory.getLogger(SecretsInLogs.class);
  private static final Pattern JAAS_PASSWORD = Pattern.compile("password=\"([^\"]*)\"");

  /** Where one secret was found. */
  record Leak(String secret, int lines, String example) {}

  private SecretsInLogs() {}

  /**
   * Fails, naming the secret and showing a line with the value masked, if any of {@code secrets}
   * (by name) appears in any line captured so far; fails too if nothing is being captured, so the
   * check cannot pass by seeing nothing.
   */
  static void assertNoneLogged(Map<String, String> secrets) {
    if (!LogCapture.isAttached() || LogCapture.lines().isEmpty()) {
      throw new AssertionError(
          "no log line was captured: is LogCapture still attached to the root logger in"
              + " logback-test.xml?");
    }
    List<Leak> leaks = find(secrets, LogCapture.lines());
    if (!leaks.isEmpty()) {
      throw new AssertionError("secrets appear in the logs: " + leaks);
    }
  }

  /** The secrets among {@code secrets} (by name) that appear in {@code lines}. */
  static List<Leak> find(Map<String, String> secrets, Collection<String> lines) {
    Map<String, String> searched = searchable(secrets);
    List<Leak> leaks = new ArrayList<>();
    searched.forEach(
        (name, value) -> {
          List<String> hits = lines.stream().filter(line -> line.contains(value)).toList();
          if (!hits.isEmpty()) {
            leaks.add(new Leak(name, hits.size(), masked(hits.getFirst(), searched.values())));
          }
        });
    return leaks;
  }

  /**
   * The values to search for, by name: each long enough secret, and the password inside a JAAS
   * configuration (which would leak on its own, e.g. from a parsed login).
   */
  static Map<String, String> searchable(Map<String, String> secrets) {
    Map<String, String> searched = new LinkedHashMap<>();
    List<String> tooShort = new ArrayList<>();
    secrets.forEach(
        (name, value) -> {
          add(searched, tooShort, name, value);
          Matcher password = JAAS_PASSWORD.matcher(value);
          while (password.find()) {
            add(searched, tooShort, name + " (its password)", password.group(1));
          }
        });
    if (!tooShort.isEmpty()) {
      log.warn(
          "not searching the logs for {}: shorter than {} characters, they would match ordinary"
              + " words",
          tooShort,
          MIN_SEARCHABLE_LENGTH);
    }
    return searched;
  }

  private static void add(
      Map<String, String> searched, List<String> tooShort, String name, String value) {
    if (value.length() >= MIN_SEARCHABLE_LENGTH) {
      searched.put(name, value);
    } else if (!value.isEmpty()) {
      tooShort.add(name);
    }
  }

  private static String masked(String line, Collection<String> secrets) {
    String shown = line;
    for (String secret : secrets) {
      shown = shown.replace(secret, "******");
    }
    int end = shown.indexOf('\n');
    return end < 0 ? shown : shown.substring(0, end) + " ...";
  }
}
