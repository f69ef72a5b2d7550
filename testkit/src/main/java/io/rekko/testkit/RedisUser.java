package io.rekko.testkit;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A Redis ACL user besides {@code default}: its name, password and rules in {@code ACL SETUSER}
 * syntax (e.g. {@code ~app:*}, {@code -@all}, {@code +get}). The user is always enabled ({@code
 * on}) and has exactly this one password; {@link #toString()} leaves the password out.
 *
 * @param name the user name
 * @param password the password, non-empty
 * @param rules key, channel and command rules; applied after a {@code reset}, so a rule not given
 *     is not granted
 */
public record RedisUser(String name, String password, List<String> rules) {

  public RedisUser {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(password, "password");
    rules = List.copyOf(Objects.requireNonNull(rules, "rules"));
    if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("a Redis user name is one word, was '" + name + "'");
    }
    if (password.isEmpty() || password.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("a Redis user's password is one non-empty word");
    }
    for (String rule : rules) {
      if (rule.isEmpty() || rule.startsWith(">") || rule.startsWith("<") || rule.equals("nopass")) {
        throw new IllegalArgumentException(
            "rules set keys, channels and commands; the password is given apart, was: " + rule);
      }
    }
  }

  /** The arguments after {@code ACL SETUSER}: the name, {@code reset on >password}, the rules. */
  List<String> setUserArguments() {
    return Stream.concat(Stream.of(name, "reset", "on", ">" + password), rules.stream()).toList();
  }

  @Override
  public String toString() {
    return "Redis user " + name + " " + rules;
  }
}
