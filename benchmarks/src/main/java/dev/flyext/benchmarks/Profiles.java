package dev.flyext.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * Sums up a flight recording of the load server: of the CPU samples taken inside the SDK's servlet
 * and inside the bare one, which methods they were in, inclusive of what those methods called.
 */
final class Profiles {
  private static final String SDK = "dev.flyext.servlet.FlyExtensionServlet.service";
  private static final String BARE = "dev.flyext.benchmarks.BareServlet.service";

  private Profiles() {}

  static void summarize(Path recording, Path summary) throws IOException {
    Map<String, Integer> sdkInclusive = new HashMap<>();
    Map<String, Integer> sdkSelf = new HashMap<>();
    int sdkSamples = 0;
    int bareSamples = 0;
    int allSamples = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")
          || event.getStackTrace() == null) {
        continue;
      }
      allSamples++;
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      List<String> names = new ArrayList<>(frames.size());
      for (RecordedFrame frame : frames) {
        names.add(name(frame.getMethod()));
      }
      if (names.contains(BARE)) {
        bareSamples++;
      }
      if (!names.contains(SDK)) {
        continue;
      }
      sdkSamples++;
      Set<String> seen = new HashSet<>();
      for (String name : names) {
        if (seen.add(name)) {
          sdkInclusive.merge(name, 1, Integer::sum);
        }
        if (name.equals(SDK)) {
          break;
        }
      }
      if (!names.isEmpty()) {
        sdkSelf.merge(names.get(0), 1, Integer::sum);
      }
    }

    List<String> lines = new ArrayList<>();
    lines.add("CPU samples in the load server: " + allSamples);
    lines.add("  inside the SDK's servlet: " + sdkSamples);
    lines.add("  inside the bare servlet:  " + bareSamples);
    lines.add("");
    lines.add("Inside the SDK's servlet, inclusive (a method and what it called), top 40:");
    top(sdkInclusive, sdkSamples, 40, lines);
    lines.add("");
    lines.add("Inside the SDK's servlet, where the samples landed (self), top 25:");
    top(sdkSelf, sdkSamples, 25, lines);
    Files.write(summary, lines, StandardCharsets.UTF_8);
  }

  private static void top(Map<String, Integer> counts, int total, int limit, List<String> lines) {
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(limit)
        .forEach(
            e ->
                lines.add(
                    String.format(
                        Locale.ROOT,
                        "  %5.1f%%  %s",
                        100.0 * e.getValue() / Math.max(1, total),
                        e.getKey())));
  }

  private static String name(RecordedMethod method) {
    return method.getType().getName() + "." + method.getName();
  }
}
