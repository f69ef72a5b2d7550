package io.rekko.worker.app;

import io.rekko.worker.support.RekkoException;
import java.util.List;

/** The configuration cannot start a worker; the message lists every problem, one per line. */
public final class ConfigException extends RekkoException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(
        "Invalid configuration ("
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + "):\n  - "
            + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem names the key, where its value came from, and the rule it broke. */
  public List<String> problems() {
    return problems;
  }
}
