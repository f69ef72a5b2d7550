package io.rekko.worker.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.Query;

/**
 * Parallel columns of the units one set-based statement covers, bound as SQL arrays for {@code
 * unnest}: {@code tenants} and {@code keys} always, the others by name.
 *
 * <p>Hazards: every column must get exactly one value per {@link #add added} unit, or {@code
 * unnest} pads the short ones with nulls; a column's SQL type is taken from its first value, so an
 * empty column binds as {@code text[]}. Rows a statement returns are matched back to units by
 * {@link #faceKey}.
 */
final class ArrayColumns {
  private final List<Integer> indexes = new ArrayList<>();
  private final Map<String, List<Object>> columns = new HashMap<>();
  private final Map<Integer, String> keyOf = new HashMap<>();

  void add(int index, UnitOfWork unit) {
    add(index, unit, unit.key());
  }

  /** {@link #add(int, UnitOfWork)} under another key than the unit's (its fence key). */
  void add(int index, UnitOfWork unit, String key) {
    indexes.add(index);
    strings("tenants").add(unit.tenant().value());
    strings("keys").add(key);
    keyOf.put(index, unit.tenant().value() + "/" + key);
  }

  boolean isEmpty() {
    return indexes.isEmpty();
  }

  int size() {
    return indexes.size();
  }

  List<Integer> indexes() {
    return indexes;
  }

  String keyOf(int index) {
    return keyOf.get(index);
  }

  @SuppressWarnings("unchecked")
  <T> List<T> column(String name) {
    return (List<T>) columns.computeIfAbsent(name, n -> new ArrayList<>());
  }

  List<String> strings(String name) {
    return column(name);
  }

  List<Long> longs(String name) {
    return column(name);
  }

  List<UUID> uuids(String name) {
    return column(name);
  }

  List<Double> doubles(String name) {
    return column(name);
  }

  List<Boolean> booleans(String name) {
    return column(name);
  }

  List<byte[]> bytes(String name) {
    return column(name);
  }

  Query bindTo(Query statement, String... names) {
    for (String name : names) {
      statement.bind(name, array(column(name)));
    }
    return statement;
  }

  private static Argument array(List<Object> values) {
    return (position, statement, ctx) -> {
      Connection connection = statement.getConnection();
      statement.setArray(position, sqlArray(connection, values));
    };
  }

  private static Array sqlArray(Connection connection, List<Object> values) throws SQLException {
    Object first = values.isEmpty() ? "" : values.getFirst();
    return switch (first) {
      case byte[] bytes -> connection.createArrayOf("bytea", values.toArray(new byte[0][]));
      case Long l -> connection.createArrayOf("int8", values.toArray());
      case Double d -> connection.createArrayOf("float8", values.toArray());
      case Boolean b -> connection.createArrayOf("bool", values.toArray());
      case UUID u -> connection.createArrayOf("uuid", values.toArray());
      default -> connection.createArrayOf("text", values.toArray());
    };
  }

  /** {@code tenant/key}: how the statements' returned rows are matched back to their units. */
  static String faceKey(UnitOfWork unit) {
    return unit.tenant().value() + "/" + unit.key();
  }
}
