package io.rekko.worker.app;

import io.rekko.worker.support.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The merged key/value view of the configuration, and the typed reads that turn it into settings.
 *
 * <p>Layers, later ones winning: the defaults file, an optional operator file, then environment
 * variables {@code REKKO_<KEY IN UPPER SNAKE CASE>} ({@code redis.url} is {@code REKKO_REDIS_URL};
 * dots and dashes become underscores). Only keys present in the defaults exist: a file that sets an
 * unknown key is a problem (it is almost always a typo that would otherwise be ignored). The one
 * exception is a key family ({@link #family}), whose members the operator names: {@code
 * store.kek.<id>}, set as {@code store.kek.k1} in a file or {@code REKKO_STORE_KEK_K1} in the
 * environment (underscores in the id become dashes).
 *
 * <p>Reads never throw for a bad value: they record a problem (key, origin, rule, and the value
 * unless the key is secret) and return a harmless placeholder, so that one start-up reports every
 * problem. {@link #check()} throws them all together.
 */
public final class ConfigSource {
  /** Environment variables with this prefix configure the worker. */
  public static final String ENV_PREFIX = "REKKO_";

  /** Prefixes of the keys the operator names ({@code store.kek.<id>}); see {@link #family}. */
  static final Set<String> FAMILIES = Set.of("store.kek.");

  private final Map<String, Entry> entries;
  private final Set<String> declared;
  private final List<String> problems = new ArrayList<>();
  private final Set<String> read = new TreeSet<>();
  private final Set<String> secretKeys = new TreeSet<>();

  private record Entry(String value, String origin) {}

  private ConfigSource(Map<String, Entry> entries, Set<String> declared, List<String> problems) {
    this.entries = entries;
    this.declared = Set.copyOf(declared);
    this.problems.addAll(problems);
  }

  /**
   * Layers {@code overlay} (may be null) and the environment over {@code defaults}.
   *
   * @param defaults the documented defaults; they define which keys exist
   * @param defaultsName how to name the defaults in messages
   * @param overlay an operator file, or null
   * @param environment usually {@code System.getenv()}
   */
  public static ConfigSource layered(
      Properties defaults, String defaultsName, Path overlay, Map<String, String> environment) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String key : new TreeSet<>(defaults.stringPropertyNames())) {
      entries.put(key, new Entry(defaults.getProperty(key).strip(), defaultsName));
    }
    Set<String> declared = Set.copyOf(entries.keySet());
    if (overlay != null) {
      Properties file = read(overlay);
      for (String key : new TreeSet<>(file.stringPropertyNames())) {
        if (!entries.containsKey(key) && familyOf(key) == null) {
          problems.add(key + " (from " + overlay + ") is not a configuration key");
        } else {
          entries.put(key, new Entry(file.getProperty(key).strip(), overlay.toString()));
        }
      }
    }
    for (String key : declared) {
      String value = environment.get(envName(key));
      if (value != null) {
        entries.put(key, new Entry(value.strip(), envName(key)));
      }
    }
    for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
      String key = familyKey(variable.getKey());
      if (key != null && !declared.contains(key)) {
        entries.put(key, new Entry(variable.getValue().strip(), variable.getKey()));
      }
    }
    return new ConfigSource(entries, declared, problems);
  }

  /** The family {@code key} belongs to, or null. */
  private static String familyOf(String key) {
    for (String prefix : FAMILIES) {
      if (key.startsWith(prefix)) {
        return prefix;
      }
    }
    return null;
  }

  /**
   * The family key an environment variable sets ({@code REKKO_STORE_KEK_K1} is {@code
   * store.kek.k1}), or null: the id is the rest of the name in lower case, underscores as dashes.
   */
  private static String familyKey(String variable) {
    for (String prefix : FAMILIES) {
      String envPrefix = envName(prefix);
      if (variable.startsWith(envPrefix)) {
        return prefix
            + variable.substring(envPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '-');
      }
    }
    return null;
  }

  /** Reads properties from a file as UTF-8. */
  public static Properties read(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Properties properties = new Properties();
      properties.load(reader);
      return properties;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read configuration file " + file, e);
    }
  }

  /** Reads properties from a classpath resource as UTF-8. */
  public static Properties readResource(String name) {
    try (InputStream in = ConfigSource.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("configuration resource " + name + " is missing");
      }
      Properties properties = new Properties();
      properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      return properties;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read configuration resource " + name, e);
    }
  }

  /** The environment variable that overrides {@code key}. */
  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  public String string(String key) {
    return entry(key).value();
  }

  /** A value that must not be empty. */
  public String required(String key) {
    String value = string(key);
    if (value.isEmpty()) {
      problem(key, "must be set");
    }
    return value;
  }

  /** A value that is never echoed in any message; its key joins {@link #secretKeys()}. */
  public Secret secret(String key) {
    secretKeys.add(key);
    return new Secret(string(key));
  }

  /**
   * Every member of the key family {@code prefix} (one of {@link #FAMILIES}) that a file or the
   * environment sets, by the rest of its name, each read as a {@link #secret}; keys of the family
   * that the defaults declare ({@code store.kek.current}) are not members.
   */
  public Map<String, Secret> secretFamily(String prefix) {
    if (!FAMILIES.contains(prefix)) {
      throw new IllegalArgumentException(prefix + " is not a key family");
    }
    Map<String, Secret> members = new TreeMap<>();
    for (String key : entries.keySet()) {
      if (key.startsWith(prefix) && !declared.contains(key)) {
        members.put(key.substring(prefix.length()), secret(key));
      }
    }
    return members;
  }

  /**
   * The keys read as secrets so far: what an audit of the logs must never find the values of. The
   * readers decide which keys are secret, so a new secret key is covered as soon as it is read.
   */
  public Set<String> secretKeys() {
    return Set.copyOf(secretKeys);
  }

  public boolean bool(String key) {
    String value = string(key).toLowerCase(Locale.ROOT);
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> {
        invalid(key, "must be true or false");
        yield false;
      }
    };
  }

  public int integer(String key, int min, int max) {
    return parse(key, Integer::parseInt, "an integer", min, max, min);
  }

  /**
   * A duration, written {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d} or in
   * ISO-8601 ({@code PT30S}).
   */
  public Duration duration(String key, Duration min, Duration max) {
    return parse(
        key, ConfigSource::parseDuration, "a duration (250ms, 30s, 5m, 1h, 7d)", min, max, min);
  }

  /** A comma-separated list of non-empty values. */
  public List<String> list(String key) {
    List<String> values = new ArrayList<>();
    for (String part : string(key).split(",")) {
      if (!part.isBlank()) {
        values.add(part.strip());
      }
    }
    if (values.isEmpty()) {
      problem(key, "must list at least one value");
    }
    return List.copyOf(values);
  }

  /**
   * Builds a settings record, turning a rejection by its compact constructor into a problem. The
   * readers check every value first and name its key; a rejection here means a reader missed a
   * rule, and is reported as the record states it.
   */
  public <T> T build(String concern, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      problems.add(concern + ": " + e.getMessage());
      return null;
    }
  }

  /**
   * {@link #build}, but only if no problem was recorded since {@code mark}: a value already
   * reported, replaced by its placeholder, must not cause a second, misleading problem.
   *
   * @param mark {@link #mark()} taken before the concern's keys were read
   * @return the record, or null if it was not built
   */
  public <T> T buildIfClean(String concern, int mark, Supplier<T> constructor) {
    return problems.size() > mark ? null : build(concern, constructor);
  }

  /** The number of problems recorded so far; see {@link #buildIfClean}. */
  public int mark() {
    return problems.size();
  }

  /**
   * Records a rule across keys that {@code key}'s value breaks, when {@code holds} is false; the
   * message ends with the value, as the typed reads' do, so never use it for a secret key.
   */
  public void expect(boolean holds, String key, String rule) {
    if (!holds) {
      invalid(key, rule);
    }
  }

  /** Records a problem found outside the typed reads (a rule across several keys). */
  public void problem(String key, String rule) {
    problems.add(key + " (from " + entry(key).origin() + ") " + rule);
  }

  /** Throws every recorded problem at once, if any. */
  public void check() {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  public List<String> problems() {
    return List.copyOf(problems);
  }

  static Duration parseDuration(String text) {
    String value = text.strip();
    if (value.startsWith("P") || value.startsWith("p")) {
      return Duration.parse(value);
    }
    int split = 0;
    while (split < value.length() && Character.isDigit(value.charAt(split))) {
      split++;
    }
    if (split == 0 || split == value.length()) {
      throw new IllegalArgumentException(text);
    }
    long amount = Long.parseLong(value.substring(0, split));
    return switch (value.substring(split)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      case "d" -> Duration.ofDays(amount);
      default -> throw new IllegalArgumentException(text);
    };
  }

  /** Keys that exist but were never read: a documented key that configures nothing. */
  public Set<String> unreadKeys() {
    Set<String> unread = new TreeSet<>(entries.keySet());
    unread.removeAll(read);
    return unread;
  }

  private Entry entry(String key) {
    read.add(key);
    Entry entry = entries.get(key);
    if (entry == null) {
      throw new IllegalArgumentException(
          "configuration key " + key + " is read but has no default in rekko-worker.properties");
    }
    return entry;
  }

  private <T extends Comparable<T>> T parse(
      String key, Function<String, T> parser, String kind, T min, T max, T fallback) {
    Objects.requireNonNull(min, "min");
    T value;
    try {
      value = parser.apply(string(key));
    } catch (RuntimeException e) {
      invalid(key, "must be " + kind + " between " + show(min) + " and " + show(max));
      return fallback;
    }
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      invalid(key, "must be between " + show(min) + " and " + show(max));
      return fallback;
    }
    return value;
  }

  private void invalid(String key, String rule) {
    problem(key, rule + ", was '" + string(key) + "'");
  }

  static String show(Object bound) {
    if (bound instanceof Duration d) {
      return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }
    return String.valueOf(bound);
  }
}
