package io.rekko.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The few pieces of Markdown the report is made of, each safe for any text put into it. */
final class Markdown {
  private Markdown() {}

  static String heading(String text) {
    return "## " + text + "\n\n";
  }

  static String subheading(String text) {
    return "### " + text + "\n\n";
  }

  /** A fence longer than any run of backticks inside, so that no line can close it early. */
  static String codeBlock(List<String> lines) {
    int longest =
        lines.stream()
            .flatMap(line -> Arrays.stream(line.split("[^`]+")))
            .mapToInt(String::length)
            .max()
            .orElse(0);
    String fence = "`".repeat(Math.max(3, longest + 1));
    return fence + "\n" + String.join("\n", lines) + "\n" + fence + "\n";
  }

  /**
   * A table whose first column names the row and whose other columns hold figures, so they are
   * right-aligned. Cell text is escaped: a {@code |} inside a name would otherwise end the cell and
   * shift every column after it, and a line break would end the table.
   */
  static final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headers) {
      this(List.of(headers));
    }

    Table(List<String> headers) {
      if (headers.isEmpty()) {
        throw new IllegalArgumentException("a table needs at least one column");
      }
      this.headers = List.copyOf(headers);
    }

    Table row(String... cells) {
      return row(List.of(cells));
    }

    Table row(List<String> cells) {
      if (cells.size() != headers.size()) {
        throw new IllegalArgumentException(
            "a row of this table needs " + headers.size() + " cells, had " + cells.size());
      }
      rows.add(List.copyOf(cells));
      return this;
    }

    /** The table, each line ending in a line break. */
    String render() {
      StringBuilder out = new StringBuilder();
      line(out, headers);
      out.append("| ---").append(" | ---:".repeat(headers.size() - 1)).append(" |\n");
      rows.forEach(row -> line(out, row));
      return out.toString();
    }

    static String escape(String cell) {
      return cell.replace("|", "\\|").replaceAll("\\R", " ");
    }

    private static void line(StringBuilder out, List<String> cells) {
      out.append("| ")
          .append(String.join(" | ", cells.stream().map(Table::escape).toList()))
          .append(" |\n");
    }
  }
}
