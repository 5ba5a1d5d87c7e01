package dev.flyext.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Collects what a run measured: raw figures, and comparisons as ratios against their baseline with
 * an optional target. A forked phase writes both as tab-separated lines on its standard output, and
 * the parent reads them back with {@link #accept(String)}. Not thread-safe.
 */
final class Report {
  private static final String FIGURE = "figure";
  private static final String RATIO = "ratio";

  /** A measured value with its unit and, for JMH scores, its 99.9% error. */
  record Figure(String name, double value, double error, String unit) {}

  /**
   * A comparison: {@code ratio} is the SDK's figure over its baseline's, oriented so that the
   * target reads as written ({@code >=} for throughput, {@code <=} for latency and memory).
   */
  record Ratio(String name, double ratio, double error, @Nullable String target) {
    /** Whether the ratio meets its target; true when it has none. */
    boolean met() {
      if (target == null) {
        return true;
      }
      double bound = Double.parseDouble(target.substring(2));
      return target.startsWith(">=") ? ratio >= bound : ratio <= bound;
    }
  }

  private final List<Figure> figures = new ArrayList<>();
  private final List<Ratio> ratios = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  void figure(String name, double value, double error, String unit) {
    figures.add(new Figure(name, value, error, unit));
  }

  void ratio(String name, double ratio, double error, @Nullable String target) {
    ratios.add(new Ratio(name, ratio, error, target));
  }

  void note(String note) {
    notes.add(note);
  }

  List<Figure> figures() {
    return List.copyOf(figures);
  }

  List<Ratio> ratios() {
    return List.copyOf(ratios);
  }

  @Nullable Figure find(String name) {
    for (Figure figure : figures) {
      if (figure.name.equals(name)) {
        return figure;
      }
    }
    return null;
  }

  /** Writes a figure as a line a parent's {@link #accept} reads. */
  static void emitFigure(PrintStream out, String name, double value, String unit) {
    out.println(String.join("\t", FIGURE, name, format(value), "0", unit));
    out.flush();
  }

  /** Writes a ratio as a line a parent's {@link #accept} reads. */
  static void emitRatio(PrintStream out, String name, double ratio, @Nullable String target) {
    out.println(String.join("\t", RATIO, name, format(ratio), "0", target == null ? "-" : target));
    out.flush();
  }

  /** Takes one line of a forked phase's output; returns false for a line that is not a figure. */
  boolean accept(String line) {
    String[] parts = line.split("\t");
    if (parts.length != 5) {
      return false;
    }
    if (parts[0].equals(FIGURE)) {
      figure(parts[1], Double.parseDouble(parts[2]), Double.parseDouble(parts[3]), parts[4]);
      return true;
    }
    if (parts[0].equals(RATIO)) {
      ratio(
          parts[1],
          Double.parseDouble(parts[2]),
          Double.parseDouble(parts[3]),
          parts[4].equals("-") ? null : parts[4]);
      return true;
    }
    return false;
  }

  /** The closing lines: one per comparison, {@code <name> <ratio>}. */
  List<String> ratioLines() {
    List<String> lines = new ArrayList<>();
    for (Ratio ratio : ratios) {
      lines.add(ratio.name + " " + String.format(Locale.ROOT, "%.3f", ratio.ratio));
    }
    return lines;
  }

  /** Every figure, ratio and note, tab-separated, for the record. */
  void write(Path file, List<String> header) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line : header) {
      lines.add("# " + line);
    }
    lines.add("# kind\tname\tvalue\terror\tunit-or-target\tmet");
    for (Figure figure : figures) {
      lines.add(
          String.join(
              "\t",
              FIGURE,
              figure.name,
              format(figure.value),
              format(figure.error),
              figure.unit,
              ""));
    }
    for (Ratio ratio : ratios) {
      lines.add(
          String.join(
              "\t",
              RATIO,
              ratio.name,
              format(ratio.ratio),
              format(ratio.error),
              ratio.target == null ? "-" : ratio.target,
              ratio.target == null ? "" : ratio.met() ? "met" : "missed"));
    }
    for (String note : notes) {
      lines.add("# note: " + note);
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%.4f", value);
  }
}
