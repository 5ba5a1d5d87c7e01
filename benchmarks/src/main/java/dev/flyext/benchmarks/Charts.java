package dev.flyext.benchmarks;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a run as one PNG: every comparison's ratio with its target on top, and below it the
 * servlet's requests per second and p99 latency against the bare servlet, by concurrency.
 */
final class Charts {
  private static final int WIDTH = 1400;

  /** Where the ratio axis ends: wide enough for every target, narrow enough to read 0.9 from 1. */
  private static final double Y_MAX = 2.5;

  private static final Color MET = new Color(46, 139, 87);
  private static final Color MISSED = new Color(200, 60, 50);
  private static final Color NO_TARGET = new Color(150, 150, 150);

  private Charts() {}

  static void write(Report report, Settings settings, String title, Path file) throws IOException {
    CategoryChart ratios = ratios(report, title);
    XYChart throughput = servlet(report, settings, "rps", "requests per second", "requests/s");
    XYChart latency = servlet(report, settings, "p99", "p99 latency", "microseconds");

    BufferedImage image = new BufferedImage(WIDTH, 1350, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = image.createGraphics();
    graphics.setColor(Color.WHITE);
    graphics.fillRect(0, 0, image.getWidth(), image.getHeight());
    graphics.drawImage(BitmapEncoder.getBufferedImage(ratios), 0, 0, null);
    graphics.drawImage(BitmapEncoder.getBufferedImage(throughput), 0, 800, null);
    graphics.drawImage(BitmapEncoder.getBufferedImage(latency), WIDTH / 2, 800, null);
    graphics.dispose();
    Files.createDirectories(file.toAbsolutePath().getParent());
    ImageIO.write(image, "png", file.toFile());
  }

  private static CategoryChart ratios(Report report, String title) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(800)
            .title(title)
            .xAxisTitle("")
            .yAxisTitle("SDK / baseline (memory: / budget)")
            .build();
    style(chart);
    chart.getStyler().setOverlapped(true);
    chart.getStyler().setXAxisLabelRotation(60);
    chart.getStyler().setPlotGridVerticalLinesVisible(false);
    chart.getStyler().setAvailableSpaceFill(0.7);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(Y_MAX);

    List<String> names = new ArrayList<>();
    List<Double> met = new ArrayList<>();
    List<Double> missed = new ArrayList<>();
    List<Double> untargeted = new ArrayList<>();
    List<Double> targets = new ArrayList<>();
    for (Report.Ratio ratio : report.ratios()) {
      double value = ratio.ratio();
      // Past the axis' end a bar is cut, and its name carries its value.
      names.add(
          value > Y_MAX
              ? ratio.name() + String.format(java.util.Locale.ROOT, " (%.1f)", value)
              : ratio.name());
      value = Math.min(value, Y_MAX);
      boolean hasTarget = ratio.target() != null;
      met.add(hasTarget && ratio.met() ? value : 0.0);
      missed.add(hasTarget && !ratio.met() ? value : 0.0);
      untargeted.add(hasTarget ? 0.0 : value);
      targets.add(hasTarget ? Double.parseDouble(ratio.target().substring(2)) : Double.NaN);
    }
    if (names.isEmpty()) {
      names.add("nothing measured");
      met.add(0.0);
      missed.add(0.0);
      untargeted.add(0.0);
      targets.add(Double.NaN);
    }
    chart.addSeries("target met", names, met).setFillColor(MET);
    chart.addSeries("target missed", names, missed).setFillColor(MISSED);
    chart.addSeries("no target (shown for context)", names, untargeted).setFillColor(NO_TARGET);
    CategorySeries target = chart.addSeries("target", names, targets);
    target.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
    target.setMarker(SeriesMarkers.DIAMOND);
    target.setMarkerColor(Color.BLACK);
    return chart;
  }

  private static XYChart servlet(
      Report report, Settings settings, String metric, String title, String unit) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH / 2)
            .height(550)
            .title("servlet on Jetty 12: " + title)
            .xAxisTitle("connections (wrk, loopback)")
            .yAxisTitle(unit)
            .build();
    style(chart);
    // The lines rise to the right; the upper left stays clear for the legend.
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setXAxisLogarithmic(true);
    boolean any = false;
    for (String method : List.of("get", "post")) {
      for (String side : List.of("sdk", "bare")) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int concurrency : settings.concurrencies()) {
          Report.Figure figure =
              report.find("servlet-" + method + "-c" + concurrency + "-" + side + "-" + metric);
          if (figure != null) {
            x.add((double) concurrency);
            y.add(figure.value());
          }
        }
        if (!x.isEmpty()) {
          chart.addSeries(method.toUpperCase(java.util.Locale.ROOT) + " " + side, x, y);
          any = true;
        }
      }
    }
    if (!any) {
      chart.addSeries("not measured", List.of(1.0), List.of(0.0));
    }
    return chart;
  }

  private static void style(Chart<?, ?> chart) {
    Styler styler = chart.getStyler();
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setLegendPosition(Styler.LegendPosition.InsideNE);
    styler.setAntiAlias(true);
  }
}
