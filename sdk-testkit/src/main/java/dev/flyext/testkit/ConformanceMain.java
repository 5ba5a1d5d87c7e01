package dev.flyext.testkit;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The conformance runner's command line, {@code java -jar fly-conformance.jar --base-url URL
 * --public-url URL --secret SECRET}: runs {@link Conformance} against a provider and prints one
 * line per check, then the summary line. See {@code docs/testing.md}.
 */
public final class ConformanceMain {
  static final String NAME = "fly-conformance";

  /** Where the secret is read from when {@code --secret} is not given. */
  public static final String SECRET_VARIABLE = "FLY_PROVISIONING_SECRET";

  static final String USAGE =
      String.join(
          System.lineSeparator(),
          "usage: java -jar fly-conformance.jar --base-url URL [--public-url URL]"
              + " [--secret SECRET] [options]",
          "",
          "Checks a Fly.io extension provider, written in any language, over HTTP.",
          "",
          "  --base-url URL        where requests go: the provider's base URL as reached from",
          "                        here, such as http://127.0.0.1:8080/flyio (required)",
          "  --public-url URL      the base URL written into each signed url: the one registered",
          "                        with Fly, which the provider checks (default: --base-url)",
          "  --secret SECRET       the provisioning secret (default: $" + SECRET_VARIABLE + ",",
          "                        which keeps it off the command line)",
          "  --billing-path PATH   where the provider serves billing (default: /billing)",
          "  --check NAME          run only this check; repeat for several",
          "  --async-timeout SECS  how long a pending extension may take to become ready"
              + " (default: "
              + Conformance.DEFAULT_ASYNC_TIMEOUT.toSeconds()
              + ")",
          "  --timeout SECS        how long to wait for each answer (default: "
              + FlySimulator.DEFAULT_TIMEOUT.toSeconds()
              + ")",
          "  --list                print the checks and exit",
          "  --help                print this and exit",
          "",
          "Prints one line per check (PASS, FAIL or SKIP), then \"N passed, N failed, N skipped\".",
          "Exit status: 0 when no check failed, 1 when one did, 2 when the arguments are wrong.");

  private static final List<String> VALUED =
      List.of(
          "--base-url",
          "--public-url",
          "--secret",
          "--billing-path",
          "--check",
          "--async-timeout",
          "--timeout");

  private ConformanceMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /**
   * Runs the command line and answers the exit status: 0 when no check failed, 1 when one did, 2
   * when the arguments are wrong. Check lines and the summary go to {@code out}, usage errors to
   * {@code err}. The secret is never printed.
   *
   * @param env the environment, for {@value #SECRET_VARIABLE}
   */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    Objects.requireNonNull(args, "args == null");
    Objects.requireNonNull(env, "env == null");

    Map<String, String> options = new LinkedHashMap<>();
    List<String> checks = new ArrayList<>();
    boolean list = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        out.println(USAGE);
        return 0;
      }
      if (arg.equals("--list")) {
        list = true;
        continue;
      }
      String name = arg;
      String value = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        name = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      }
      if (!VALUED.contains(name)) {
        // Only option names are echoed: a stray value could be the secret.
        return misused(
            err,
            name.startsWith("--")
                ? "unknown option " + quoted(name)
                : "unexpected argument " + (i + 1) + "; options take the form --name value");
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          return misused(err, name + " needs a value");
        }
        value = args[++i];
      }
      if (name.equals("--check")) {
        checks.add(value);
      } else if (options.put(name, value) != null) {
        return misused(err, name + " was given twice");
      }
    }

    String baseUrl = options.get("--base-url");
    String secret = options.getOrDefault("--secret", env.get(SECRET_VARIABLE));
    if (baseUrl == null && !list) {
      return misused(err, "--base-url is required: where the provider answers");
    }
    if ((secret == null || secret.isBlank()) && !list) {
      return misused(
          err, "no secret: pass --secret, or set " + SECRET_VARIABLE + " in the environment");
    }

    Conformance conformance;
    try {
      FlySimulator.Builder fly =
          FlySimulator.builder()
              .baseUrl(baseUrl != null ? baseUrl : "http://127.0.0.1")
              .secret(secret != null && !secret.isBlank() ? secret : "unused");
      if (options.containsKey("--public-url")) {
        fly.publicUrl(options.get("--public-url"));
      }
      if (options.containsKey("--billing-path")) {
        fly.billingPath(options.get("--billing-path"));
      }
      if (options.containsKey("--timeout")) {
        fly.timeout(seconds(options.get("--timeout"), "--timeout"));
      }
      Conformance.Builder builder = Conformance.builder(fly.build());
      if (options.containsKey("--async-timeout")) {
        builder.asyncTimeout(seconds(options.get("--async-timeout"), "--async-timeout"));
      }
      conformance = builder.build();
      if (list) {
        conformance
            .checks()
            .forEach(check -> out.println(check.name() + ": " + check.description()));
        return 0;
      }
      checks.forEach(conformance::check);
    } catch (IllegalArgumentException e) {
      return misused(err, e.getMessage());
    }

    ConformanceReport report =
        checks.isEmpty()
            ? conformance.run(result -> out.println(result.line()))
            : conformance.run(checks, result -> out.println(result.line()));
    out.println(report.summary());
    out.flush();
    return report.allPassed() ? 0 : 1;
  }

  private static Duration seconds(String value, String option) {
    long seconds;
    try {
      seconds = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option + " takes whole seconds, such as 10; got " + quoted(value));
    }
    if (seconds < 1 || seconds > 3600) {
      throw new IllegalArgumentException(option + " must be between 1 and 3600 seconds");
    }
    return Duration.ofSeconds(seconds);
  }

  private static int misused(PrintStream err, String problem) {
    err.println(NAME + ": " + problem);
    err.println("run with --help for usage");
    return 2;
  }

  private static String quoted(String value) {
    return "\"" + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "\"";
  }
}
