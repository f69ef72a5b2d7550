package io.rekko.worker.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Grafana dashboard of {@code config/grafana/dashboards/rekko-worker.json} as its tests read
 * it: its panels, every PromQL query it sends (panel targets and template variables), and the
 * metric names those queries select.
 *
 * <p>The names are read from PromQL by elimination rather than by a full parser: string literals,
 * Grafana variables, label matchers, ranges, grouping label lists and numbers are removed, and of
 * the identifiers left, those followed by {@code (} are functions or aggregations and a few are
 * keywords; every other identifier is a metric name. A name that slips through as a false metric
 * makes {@code DashboardMetricsIT} fail loudly rather than pass quietly, which is the safe side.
 */
final class Dashboard {
  static final Path FILE = Path.of("..", "config", "grafana", "dashboards", "rekko-worker.json");

  /** Series Prometheus records itself for every scrape target: no worker exports them. */
  static final Set<String> MADE_BY_PROMETHEUS =
      Set.of(
          "up",
          "scrape_duration_seconds",
          "scrape_samples_scraped",
          "scrape_samples_post_metric_relabeling",
          "scrape_series_added");

  private static final Pattern STRING =
      Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
  private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING =
      Pattern.compile(
          "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern NUMBER =
      Pattern.compile(
          "(?<![\\w:])(?:0x[0-9a-f]+|\\d+(?:\\.\\d*)?(?:e[+-]?\\d+)?[a-z]*)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset",
          "inf",
          "nan");

  /** {@code label_values(<selector>, <label>)}: only the selector names a metric. */
  private static final Pattern LABEL_VALUES_OF =
      Pattern.compile("^\\s*label_values\\((.*),\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)\\s*$");

  /** {@code label_values(<label>)}: names no metric. */
  private static final Pattern LABEL_VALUES_ALONE =
      Pattern.compile("^\\s*label_values\\(\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)\\s*$");

  /** {@code query_result(<expr>)}: an ordinary query. */
  private static final Pattern QUERY_RESULT = Pattern.compile("^\\s*query_result\\((.*)\\)\\s*$");

  private final JsonNode root;

  private Dashboard(JsonNode root) {
    this.root = root;
  }

  static Dashboard read() {
    try {
      return new Dashboard(new ObjectMapper().readTree(FILE.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dashboard " + FILE, e);
    }
  }

  JsonNode root() {
    return root;
  }

  /** Every panel that shows data, rows left out, panels of collapsed rows included. */
  List<JsonNode> panels() {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : root.path("panels")) {
      if ("row".equals(panel.path("type").asText())) {
        panel.path("panels").forEach(panels::add);
      } else {
        panels.add(panel);
      }
    }
    return panels;
  }

  /** The rows that group the panels. */
  List<JsonNode> rows() {
    List<JsonNode> rows = new ArrayList<>();
    for (JsonNode panel : root.path("panels")) {
      if ("row".equals(panel.path("type").asText())) {
        rows.add(panel);
      }
    }
    return rows;
  }

  /** The {@code expr} of every panel target. */
  List<String> targetQueries() {
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : panels()) {
      for (JsonNode target : panel.path("targets")) {
        queries.add(target.path("expr").asText());
      }
    }
    return queries;
  }

  /** The query of every template variable that asks the data source. */
  List<String> variableQueries() {
    List<String> queries = new ArrayList<>();
    for (JsonNode variable : root.path("templating").path("list")) {
      if ("query".equals(variable.path("type").asText())) {
        JsonNode query = variable.path("query");
        queries.add(query.isObject() ? query.path("query").asText() : query.asText());
      }
    }
    return queries;
  }

  /** Every metric name the dashboard's panels and variables select. */
  Set<String> metricNames() {
    Set<String> names = new TreeSet<>();
    targetQueries().forEach(query -> names.addAll(metricNames(query)));
    variableQueries().forEach(query -> names.addAll(variableMetricNames(query)));
    return names;
  }

  /** The metric names a template variable's query selects. */
  static Set<String> variableMetricNames(String query) {
    Matcher of = LABEL_VALUES_OF.matcher(query);
    if (of.matches()) {
      return metricNames(of.group(1));
    }
    if (LABEL_VALUES_ALONE.matcher(query).matches()) {
      return Set.of();
    }
    Matcher result = QUERY_RESULT.matcher(query);
    return metricNames(result.matches() ? result.group(1) : query);
  }

  /** The metric names a PromQL expression selects. */
  static Set<String> metricNames(String promql) {
    String rest = STRING.matcher(promql).replaceAll(" ");
    rest = GRAFANA_VARIABLE.matcher(rest).replaceAll(" ");
    rest = LABEL_MATCHERS.matcher(rest).replaceAll(" ");
    rest = RANGE.matcher(rest).replaceAll(" ");
    rest = GROUPING.matcher(rest).replaceAll(" ");
    rest = NUMBER.matcher(rest).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher identifier = IDENTIFIER.matcher(rest);
    while (identifier.find()) {
      String name = identifier.group();
      if (!isCall(rest, identifier.end()) && !KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) {
        names.add(name);
      }
    }
    return names;
  }

  private static boolean isCall(String text, int end) {
    int next = end;
    while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
      next++;
    }
    return next < text.length() && text.charAt(next) == '(';
  }
}
