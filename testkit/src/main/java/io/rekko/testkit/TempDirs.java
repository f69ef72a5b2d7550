package io.rekko.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary directories for servers, named {@code rekko-<kind>-*} so a stray one is traceable. */
final class TempDirs {

  private TempDirs() {}

  static Path create(String kind) {
    try {
      return Files.createTempDirectory("rekko-" + kind + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temporary directory for " + kind, e);
    }
  }

  /** Deletes the directory and everything in it; a directory already gone is not an error. */
  static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(TempDirs::deleteOne);
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dir, e);
    }
  }

  private static void deleteOne(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (NoSuchFileException e) {
      // Removed concurrently (a server tidying its own files): the goal is met.
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + path, e);
    }
  }
}
