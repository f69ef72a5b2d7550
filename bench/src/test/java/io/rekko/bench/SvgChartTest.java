package io.rekko.bench;

import static io.rekko.bench.ResultsFixture.latencyPoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.bench.Results.LatencyPoint;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgChartTest {
  private static final String SVG = "http://www.w3.org/2000/svg";
  private static final List<LatencyPoint> THREE_RATES =
      List.of(
          latencyPoint(0.25, 2_500, 1.5, 6.0, 20.0),
          latencyPoint(0.5, 5_000, 2.0, 8.0, 40.0),
          latencyPoint(0.9, 9_000, 4.0, 60.0, 450.0));

  @Test
  void chartIsWellFormedXmlWithOneSeriesPerPercentile() throws Exception {
    Document svg = parse(SvgChart.throughputVersusLatency(THREE_RATES));
    assertEquals("svg", svg.getDocumentElement().getLocalName());
    List<Element> series = series(svg);
    assertEquals(
        List.of("p50", "p99", "p99_9"), series.stream().map(g -> g.getAttribute("id")).toList());
    for (Element one : series) {
      Element line = only(one, "polyline");
      assertEquals(3, line.getAttribute("points").split(" ").length, one.getAttribute("id"));
    }
  }

  @Test
  void chartHasItsTitleAxisTitlesAndALegendEntryPerPercentile() throws Exception {
    Document svg = parse(SvgChart.throughputVersusLatency(THREE_RATES));
    List<String> texts = texts(svg);
    assertTrue(texts.contains("Throughput versus end-to-end latency"), texts.toString());
    assertTrue(texts.contains("Achieved rate (commands/s)"), texts.toString());
    assertTrue(texts.contains("End-to-end latency (ms, log scale)"), texts.toString());
    assertTrue(texts.containsAll(List.of("p50", "p99", "p99.9")), texts.toString());
  }

  @Test
  void latencyAxisIsLabelledAtEachPowerOfTenThatHoldsTheLatencies() throws Exception {
    List<String> labels =
        axisLabels(parse(SvgChart.throughputVersusLatency(THREE_RATES)), "y-axis");
    assertEquals(List.of("1", "10", "100", "1,000"), labels);
  }

  @Test
  void rateAxisRunsFromZeroPastTheFastestRunInRoundSteps() throws Exception {
    List<String> labels =
        axisLabels(parse(SvgChart.throughputVersusLatency(THREE_RATES)), "x-axis");
    assertEquals(List.of("0", "2,000", "4,000", "6,000", "8,000", "10,000"), labels);
  }

  @Test
  void slowerPercentilesAreDrawnHigher() throws Exception {
    Document svg = parse(SvgChart.throughputVersusLatency(THREE_RATES.subList(0, 1)));
    double p50 = Double.parseDouble(only(series(svg).get(0), "circle").getAttribute("cy"));
    double p99 = Double.parseDouble(only(series(svg).get(1), "rect").getAttribute("y")) + 4;
    assertTrue(p99 < p50, "p99 at y " + p99 + " should be above p50 at y " + p50);
  }

  @Test
  void chartWithOnePointDrawsASingleMarkerPerSeriesAndNoLine() throws Exception {
    Document svg = parse(SvgChart.throughputVersusLatency(THREE_RATES.subList(1, 2)));
    for (Element one : series(svg)) {
      assertEquals(0, one.getElementsByTagNameNS("*", "polyline").getLength());
      assertEquals(1, one.getElementsByTagNameNS("*", "title").getLength());
    }
  }

  @Test
  void latencyBelowTheAxisFloorIsDrawnAtTheFloor() throws Exception {
    String chart =
        SvgChart.throughputVersusLatency(
            List.of(
                latencyPoint(0.5, 5_000, 0.0, 1.0, 2.0), latencyPoint(0.5, 5_000, 0.1, 1.0, 2.0)));
    Element p50 = series(parse(chart)).get(0);
    NodeList markers = p50.getElementsByTagNameNS("*", "circle");
    assertEquals(
        ((Element) markers.item(0)).getAttribute("cy"),
        ((Element) markers.item(1)).getAttribute("cy"));
    assertFalse(chart.contains("NaN") || chart.contains("Infinity"), chart);
  }

  @Test
  void chartWithoutPointsSaysSo() throws Exception {
    Document svg = parse(SvgChart.throughputVersusLatency(List.of()));
    assertTrue(texts(svg).contains("no latency runs"), texts(svg).toString());
    assertTrue(series(svg).isEmpty());
  }

  @Test
  void textWithMarkupCharactersIsEscaped() {
    assertEquals(
        "a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;", SvgChart.escape("a <b> & \"c\" 'd'"));
  }

  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<Element> series(Document svg) {
    return groups(svg, "series");
  }

  private static List<Element> groups(Document svg, String className) {
    List<Element> found = new ArrayList<>();
    NodeList groups = svg.getElementsByTagNameNS(SVG, "g");
    for (int i = 0; i < groups.getLength(); i++) {
      Element group = (Element) groups.item(i);
      if (group.getAttribute("class").equals(className)) {
        found.add(group);
      }
    }
    return found;
  }

  private static List<String> texts(Document svg) {
    List<String> texts = new ArrayList<>();
    NodeList nodes = svg.getElementsByTagNameNS(SVG, "text");
    for (int i = 0; i < nodes.getLength(); i++) {
      texts.add(nodes.item(i).getTextContent());
    }
    return texts;
  }

  /** The tick labels of one axis, without its title. */
  private static List<String> axisLabels(Document svg, String axis) {
    List<String> labels = new ArrayList<>();
    for (Element group : groups(svg, axis)) {
      NodeList nodes = group.getElementsByTagNameNS(SVG, "text");
      for (int i = 0; i < nodes.getLength() - 1; i++) {
        labels.add(nodes.item(i).getTextContent());
      }
    }
    return labels;
  }

  private static Element only(Element parent, String name) {
    NodeList nodes = parent.getElementsByTagNameNS("*", name);
    assertEquals(1, nodes.getLength(), name + " in " + parent.getAttribute("id"));
    return (Element) nodes.item(0);
  }
}
