package io.rekko.bench;

import io.rekko.bench.Results.LatencyPoint;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The report's chart, drawn as a standalone SVG document by plain string building, so that the
 * benchmark needs no plotting library and the chart shows on any Git host. Latency goes on a
 * logarithmic axis: a p99.9 can be a hundred times the median, and on a linear axis the median
 * would lie flat along the bottom.
 */
final class SvgChart {
  static final String TITLE = "Throughput versus end-to-end latency";

  /** The log axis cannot show 0; anything faster than this is drawn at it. */
  static final double FLOOR_MS = 0.1;

  private static final int WIDTH = 760;
  private static final int HEIGHT = 460;
  private static final int LEFT = 80;
  private static final int RIGHT = 620;
  private static final int TOP = 60;
  private static final int BOTTOM = 390;

  /** The three series, each with its own colour and marker shape so it reads in greyscale too. */
  private enum Percentile {
    P50("p50", "#1b9e77", "circle", LatencyPoint::p50Ms),
    P99("p99", "#d95f02", "rect", LatencyPoint::p99Ms),
    P999("p99.9", "#7570b3", "polygon", LatencyPoint::p999Ms);

    final String label;
    final String colour;
    final String shape;
    final ToDoubleFunction<LatencyPoint> millis;

    Percentile(String label, String colour, String shape, ToDoubleFunction<LatencyPoint> millis) {
      this.label = label;
      this.colour = colour;
      this.shape = shape;
      this.millis = millis;
    }

    /** The latency as drawn: clamped to the floor of the log axis. */
    double plotted(LatencyPoint point) {
      return Math.max(FLOOR_MS, millis.applyAsDouble(point));
    }

    String marker(double x, double y, String tooltip) {
      String geometry =
          switch (this) {
            case P50 -> "cx=\"%s\" cy=\"%s\" r=\"4\"".formatted(n(x), n(y));
            case P99 -> "x=\"%s\" y=\"%s\" width=\"8\" height=\"8\"".formatted(n(x - 4), n(y - 4));
            case P999 ->
                "points=\"%s,%s %s,%s %s,%s %s,%s\""
                    .formatted(n(x), n(y - 5), n(x + 5), n(y), n(x), n(y + 5), n(x - 5), n(y));
          };
      return "<%s %s fill=\"%s\"><title>%s</title></%s>\n"
          .formatted(shape, geometry, colour, escape(tooltip), shape);
    }
  }

  private SvgChart() {}

  /**
   * Achieved rate against p50, p99 and p99.9 latency, one point per fixed-rate run, joined in the
   * order given (by offered rate), so that a run past capacity shows as the curve bending back.
   */
  static String throughputVersusLatency(List<LatencyPoint> points) {
    if (points.isEmpty()) {
      return document(text(WIDTH / 2.0, HEIGHT / 2.0, "middle", "no latency runs", ""));
    }
    Scale scale = Scale.of(points);
    StringBuilder body = new StringBuilder();
    body.append(xAxis(scale)).append(yAxis(scale)).append(axisLines());
    for (Percentile percentile : Percentile.values()) {
      body.append(series(percentile, points, scale));
    }
    return document(body.append(legend()).toString());
  }

  private static String document(String body) {
    return """
    <?xml version="1.0" encoding="UTF-8"?>
    <svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" \
    font-family="sans-serif" font-size="12">
    <title>%s</title>
    <rect width="%d" height="%d" fill="white"/>
    %s%s</svg>
    """
        .formatted(
            WIDTH,
            HEIGHT,
            WIDTH,
            HEIGHT,
            escape(TITLE),
            WIDTH,
            HEIGHT,
            text(WIDTH / 2.0, 30, "middle", TITLE, " font-size=\"16\" font-weight=\"bold\""),
            body);
  }

  private static String xAxis(Scale scale) {
    StringBuilder out = new StringBuilder("<g class=\"x-axis\">\n");
    long ticks = Math.round(scale.xMax() / scale.xStep());
    for (long tick = 0; tick <= ticks; tick++) {
      double rate = tick * scale.xStep();
      double x = scale.x(rate);
      out.append(line(x, TOP, x, BOTTOM, "#e0e0e0"));
      out.append(line(x, BOTTOM, x, BOTTOM + 5, "black"));
      out.append(text(x, BOTTOM + 20, "middle", Figures.rate(rate), ""));
    }
    out.append(text((LEFT + RIGHT) / 2.0, BOTTOM + 45, "middle", "Achieved rate (commands/s)", ""));
    return out.append("</g>\n").toString();
  }

  /** A labelled line at each power of ten, fainter unlabelled ones at its doubles and fives. */
  private static String yAxis(Scale scale) {
    StringBuilder out = new StringBuilder("<g class=\"y-axis\">\n");
    for (int decade = scale.lowDecade(); decade <= scale.highDecade(); decade++) {
      double ms = Math.pow(10, decade);
      double y = scale.y(ms);
      out.append(line(LEFT, y, RIGHT, y, "#d0d0d0"));
      out.append(line(LEFT - 5, y, LEFT, y, "black"));
      out.append(text(LEFT - 8, y + 4, "end", decadeLabel(decade), ""));
      if (decade < scale.highDecade()) {
        out.append(line(LEFT, scale.y(2 * ms), RIGHT, scale.y(2 * ms), "#f0f0f0"));
        out.append(line(LEFT, scale.y(5 * ms), RIGHT, scale.y(5 * ms), "#f0f0f0"));
      }
    }
    double middle = (TOP + BOTTOM) / 2.0;
    out.append(
        text(
            22,
            middle,
            "middle",
            "End-to-end latency (ms, log scale)",
            " transform=\"rotate(-90 22 " + n(middle) + ")\""));
    return out.append("</g>\n").toString();
  }

  /** Drawn after the grid, so that no grid line paints over an axis. */
  private static String axisLines() {
    return line(LEFT, BOTTOM, RIGHT, BOTTOM, "black") + line(LEFT, TOP, LEFT, BOTTOM, "black");
  }

  private static String series(Percentile percentile, List<LatencyPoint> points, Scale scale) {
    StringBuilder out =
        new StringBuilder("<g class=\"series\" id=\"" + seriesId(percentile) + "\">\n");
    if (points.size() > 1) {
      StringBuilder coordinates = new StringBuilder();
      for (LatencyPoint point : points) {
        coordinates.append(n(scale.x(point.achievedRate()))).append(',');
        coordinates.append(n(scale.y(percentile.plotted(point)))).append(' ');
      }
      out.append("<polyline fill=\"none\" stroke=\"")
          .append(percentile.colour)
          .append("\" stroke-width=\"2\" points=\"")
          .append(coordinates.toString().strip())
          .append("\"/>\n");
    }
    for (LatencyPoint point : points) {
      String tooltip =
          "%s at %s/s: %s ms"
              .formatted(
                  percentile.label,
                  Figures.rate(point.achievedRate()),
                  Figures.millis(percentile.millis.applyAsDouble(point)));
      out.append(
          percentile.marker(
              scale.x(point.achievedRate()), scale.y(percentile.plotted(point)), tooltip));
    }
    return out.append("</g>\n").toString();
  }

  private static String seriesId(Percentile percentile) {
    return percentile.label.replace('.', '_');
  }

  private static String legend() {
    StringBuilder out = new StringBuilder("<g class=\"legend\">\n");
    double y = TOP + 10;
    for (Percentile percentile : Percentile.values()) {
      out.append(line(RIGHT + 20, y, RIGHT + 50, y, percentile.colour));
      out.append(percentile.marker(RIGHT + 35, y, percentile.label));
      out.append(text(RIGHT + 58, y + 4, "start", percentile.label, ""));
      y += 22;
    }
    return out.append("</g>\n").toString();
  }

  private static String decadeLabel(int decade) {
    return decade < 0
        ? "0." + "0".repeat(-decade - 1) + "1"
        : Figures.count(Math.round(Math.pow(10, decade)));
  }

  private static String line(double x1, double y1, double x2, double y2, String colour) {
    return "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\"/>\n"
        .formatted(n(x1), n(y1), n(x2), n(y2), colour);
  }

  private static String text(double x, double y, String anchor, String content, String more) {
    return "<text x=\"%s\" y=\"%s\" text-anchor=\"%s\"%s>%s</text>\n"
        .formatted(n(x), n(y), anchor, more, escape(content));
  }

  /** A coordinate: one decimal is finer than a pixel, and the file stays short. */
  private static String n(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&apos;");
  }

  /**
   * Where a rate and a latency land in the plot area: x linear from 0 to a round maximum, y
   * logarithmic over whole decades that hold every latency.
   */
  private record Scale(double xMax, double xStep, int lowDecade, int highDecade) {
    private static final int X_TICKS = 5;

    static Scale of(List<LatencyPoint> points) {
      double fastest = Double.MAX_VALUE;
      double slowest = FLOOR_MS;
      double maxRate = 0;
      for (LatencyPoint point : points) {
        maxRate = Math.max(maxRate, point.achievedRate());
        for (Percentile percentile : Percentile.values()) {
          fastest = Math.min(fastest, percentile.plotted(point));
          slowest = Math.max(slowest, percentile.plotted(point));
        }
      }
      // Rates are whole commands a second: a step below one would only repeat its labels.
      double step = roundStep(Math.max(maxRate, X_TICKS) / X_TICKS);
      // The next step or decade above the largest value, so that no marker sits on the edge.
      double xMax = step * (Math.floor(maxRate / step) + 1);
      int low = (int) Math.floor(Math.log10(fastest) + 1e-9);
      int high = (int) Math.floor(Math.log10(slowest) + 1e-9) + 1;
      return new Scale(xMax, step, low, high);
    }

    /** 1, 2 or 5 times a power of ten: the steps a reader counts in without effort. */
    private static double roundStep(double raw) {
      double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
      double fraction = raw / magnitude;
      double round = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
      return round * magnitude;
    }

    double x(double rate) {
      return LEFT + (RIGHT - LEFT) * rate / xMax;
    }

    double y(double ms) {
      double share = (Math.log10(ms) - lowDecade) / (highDecade - lowDecade);
      return BOTTOM - (BOTTOM - TOP) * share;
    }
  }
}
