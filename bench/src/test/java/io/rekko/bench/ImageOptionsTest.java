package io.rekko.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageOptionsTest {

  @Test
  void optionsComeFromTheJavaToolOptionsLine() {
    String dockerfile =
        """
        FROM eclipse-temurin:25-jre
        ENV JAVA_TOOL_OPTIONS="-Xmx300m  -XX:+ExitOnOutOfMemoryError"
        ENTRYPOINT ["java"]
        """;
    assertEquals(
        List.of("-Xmx300m", "-XX:+ExitOnOutOfMemoryError"), ImageOptions.parse(dockerfile));
  }

  @Test
  void aDockerfileWithoutTheLineIsRefusedByName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImageOptions.parse("FROM scratch\n"));
    assertTrue(e.getMessage().contains("JAVA_TOOL_OPTIONS"), e.getMessage());
  }

  @Test
  void theWorkerImagesDockerfileHasOptions() {
    List<String> options = ImageOptions.fromDockerfile(Path.of("../worker/Dockerfile"));
    assertTrue(options.stream().allMatch(o -> o.startsWith("-")), options.toString());
    assertTrue(!options.isEmpty());
  }
}
