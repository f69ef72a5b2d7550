package io.rekko.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The published JSON Schema files, loaded from this module's resources and applied by an
 * independent validator (networknt, draft 2020-12, formats asserted).
 */
final class SchemaFiles {
  static final String BASE_ID = "https://rekko.io/schema/v1/";

  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_2020_12,
          builder ->
              builder.schemaIdResolvers(
                  resolvers -> resolvers.mapPrefix(BASE_ID, "classpath:" + Examples.ROOT)));
  private static final ConcurrentHashMap<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

  /**
   * One error: where (in the codec's path notation) and which keyword.
   *
   * @param field the instance location; for {@code required}, the missing property's path
   */
  record SchemaError(String field, String keyword, String message) {}

  private SchemaFiles() {}

  /** The schema of one message type, e.g. {@code commands/face.register.schema.json}. */
  static Schema schema(String relativePath) {
    return SCHEMAS.computeIfAbsent(
        relativePath,
        path -> {
          Schema schema = REGISTRY.getSchema(SchemaLocation.of(BASE_ID + path));
          schema.initializeValidators();
          return schema;
        });
  }

  static List<SchemaError> validate(String relativePath, JsonNode message) {
    List<Error> errors =
        schema(relativePath)
            .validate(
                message,
                context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)));
    return errors.stream().map(SchemaFiles::toSchemaError).toList();
  }

  private static SchemaError toSchemaError(Error error) {
    String field = path(error.getInstanceLocation());
    // These keywords report at the object; the codec names the key, as the validator's property
    // does.
    if (("required".equals(error.getKeyword())
            || "dependentRequired".equals(error.getKeyword())
            || "propertyNames".equals(error.getKeyword()))
        && error.getProperty() != null) {
      field = JsonPaths.child(field, error.getProperty());
    }
    return new SchemaError(field, error.getKeyword(), error.getMessage());
  }

  /** A validator location in the codec's notation: {@code payload.embedding[3]}. */
  private static String path(NodePath location) {
    String path = "";
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      path =
          element instanceof Integer index
              ? JsonPaths.index(path, index)
              : JsonPaths.child(path, String.valueOf(element));
    }
    return path;
  }
}
