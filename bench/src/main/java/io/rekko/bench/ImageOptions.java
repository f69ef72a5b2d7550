package io.rekko.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM options the worker image runs with, read from the image's own {@code Dockerfile} (its
 * {@code ENV JAVA_TOOL_OPTIONS="..."} line), so that the benchmark's workers run as deployed ones
 * do and follow any change to the image.
 */
public final class ImageOptions {
  private static final Pattern LINE =
      Pattern.compile("^ENV\\s+JAVA_TOOL_OPTIONS\\s*=\\s*\"([^\"]*)\"\\s*$", Pattern.MULTILINE);

  private ImageOptions() {}

  public static List<String> fromDockerfile(Path dockerfile) {
    try {
      return parse(Files.readString(dockerfile));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + dockerfile, e);
    }
  }

  /** The options of the image's JAVA_TOOL_OPTIONS line. */
  static List<String> parse(String dockerfile) {
    Matcher matcher = LINE.matcher(dockerfile);
    if (!matcher.find()) {
      throw new IllegalArgumentException(
          "the Dockerfile has no ENV JAVA_TOOL_OPTIONS=\"...\" line");
    }
    String options = matcher.group(1).trim();
    return options.isEmpty() ? List.of() : Arrays.asList(options.split("\\s+"));
  }
}
