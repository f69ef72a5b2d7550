package io.rekko.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard is a dashboard Grafana can load with no clicks: it parses, every panel asks
 * the data source chosen by its variable and has a query, the panels fit the grid, and it shows
 * what an operator of the workers needs. Whether the worker exports what it asks is {@code
 * DashboardMetricsIT}'s question; how its queries are read is checked here.
 */
class DashboardTest {
  private static final String DATA_SOURCE = "${datasource}";

  private final Dashboard dashboard = Dashboard.read();

  @Test
  void everyPanelAsksTheDataSourceOfTheVariableWithAtLeastOneQuery() {
    assertFalse(dashboard.panels().isEmpty(), "the dashboard has panels");
    for (JsonNode panel : dashboard.panels()) {
      String title = panel.path("title").asText();
      assertFalse(title.isBlank(), "every panel has a title: " + panel.path("id"));
      assertEquals("prometheus", panel.path("datasource").path("type").asText(), title);
      assertEquals(DATA_SOURCE, panel.path("datasource").path("uid").asText(), title);
      assertFalse(panel.path("targets").isEmpty(), title + " has a query");
      Set<String> refIds = new HashSet<>();
      for (JsonNode target : panel.path("targets")) {
        assertFalse(target.path("expr").asText().isBlank(), title + " has an empty query");
        assertEquals(DATA_SOURCE, target.path("datasource").path("uid").asText(), title);
        assertTrue(refIds.add(target.path("refId").asText()), title + " repeats a refId");
      }
    }
    JsonNode variable = variable("datasource");
    assertEquals("datasource", variable.path("type").asText());
    assertEquals("prometheus", variable.path("query").asText(), "the variable lists Prometheus");
  }

  @Test
  void theDashboardHasAStableIdentityAndPanelsThatFitTheGrid() {
    JsonNode root = dashboard.root();
    assertEquals("rekko-worker", root.path("uid").asText(), "links and provisioning use it");
    assertTrue(root.path("schemaVersion").asInt() >= 36, "a current Grafana schema");
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : root.path("panels")) {
      assertTrue(ids.add(panel.path("id").asInt()), "panel ids are unique: " + panel.path("id"));
      JsonNode grid = panel.path("gridPos");
      assertTrue(grid.path("w").asInt() > 0 && grid.path("h").asInt() > 0, grid.toString());
      assertTrue(grid.path("x").asInt() + grid.path("w").asInt() <= 24, "fits 24 columns");
    }
    assertTrue(dashboard.rows().size() >= 8, "the panels are grouped in rows");
  }

  @Test
  void theDashboardShowsThroughputLatencyLagRetriesDeadLettersOutboxCacheRedisAndPostgres() {
    Set<String> shown = dashboard.metricNames();
    for (String metric :
        List.of(
            "rekko_commands_total",
            "rekko_engine_processing_latency_seconds_sum",
            "rekko_engine_processing_latency_seconds_count",
            "rekko_engine_lag_records",
            "rekko_engine_retries_total",
            "rekko_engine_dead_lettered_records_total",
            "rekko_outbox_pending_events",
            "rekko_outbox_oldest_pending_age_seconds",
            "rekko_redis_cache_lookups_total",
            "rekko_redis_failed_calls_total",
            "rekko_redis_refused_calls_total",
            "rekko_store_batches_total")) {
      assertTrue(shown.contains(metric), "the dashboard shows " + metric + "; it shows " + shown);
    }
  }

  @Test
  void metricNamesAreTheSelectedSeriesNotFunctionsKeywordsLabelsOrVariables() {
    String query =
        "sum by (command_type, outcome) (rate(rekko_commands_total{job=\"rekko-worker\","
            + "instance=~\"$instance\",outcome!=\"retry\"}[$__rate_interval]))"
            + " / on (instance) group_left max without (le) (up offset 5m) > bool 0.5e3"
            + " or histogram_quantile(0.99, sum(rate(some_seconds_bucket[5m:1m])))"
            + " unless absent(lonely_gauge) and ${other}"
            + " + label_replace(kafka_x, \"dst\", \"$1\", \"src\", \"(.*)\") * Inf";

    assertEquals(
        new TreeSet<>(
            List.of(
                "rekko_commands_total", "up", "some_seconds_bucket", "lonely_gauge", "kafka_x")),
        Dashboard.metricNames(query));
  }

  @Test
  void aLabelValuesVariableSelectsOnlyItsSeries() {
    assertEquals(
        Set.of("rekko_engine_polled_records_total"),
        Dashboard.variableMetricNames(
            "label_values(rekko_engine_polled_records_total{job=\"rekko-worker\"}, instance)"));
    assertEquals(Set.of(), Dashboard.variableMetricNames("label_values(instance)"));
    assertEquals(
        Set.of("process_uptime_seconds"),
        Dashboard.variableMetricNames("query_result(max by (instance) (process_uptime_seconds))"));
  }

  private JsonNode variable(String name) {
    for (JsonNode variable : dashboard.root().path("templating").path("list")) {
      if (name.equals(variable.path("name").asText())) {
        return variable;
      }
    }
    throw new AssertionError("the dashboard has no variable " + name);
  }
}
