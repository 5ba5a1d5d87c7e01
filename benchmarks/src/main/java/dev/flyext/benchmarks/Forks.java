package dev.flyext.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a phase in a JVM of its own, on this JVM's class path, so no phase warms another. */
final class Forks {
  private Forks() {}

  /** The command that runs {@code main} in a new JVM with {@code jvmArgs}. */
  static List<String> command(Class<?> main, List<String> jvmArgs, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(args);
    return command;
  }

  /**
   * Runs {@code main} to its end, at most {@code timeout}, and feeds each line it prints to {@code
   * report}; other lines are echoed with a prefix. Its standard error goes to ours.
   *
   * @throws IOException if it cannot start, fails, or outlives the timeout (it is then killed)
   */
  static void run(
      Class<?> main, List<String> jvmArgs, List<String> args, Duration timeout, Report report)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command(main, jvmArgs, args))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    process.getOutputStream().close();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  if (!report.accept(line)) {
                    System.out.println("  " + main.getSimpleName() + ": " + line);
                  }
                }
              } catch (IOException e) {
                System.out.println("  " + main.getSimpleName() + ": output lost: " + e);
              }
            });
    reader.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      reader.join(5_000);
      throw new IOException(main.getSimpleName() + " ran longer than " + timeout + "; stopped");
    }
    reader.join(5_000);
    if (process.exitValue() != 0) {
      throw new IOException(main.getSimpleName() + " failed with exit code " + process.exitValue());
    }
  }
}
