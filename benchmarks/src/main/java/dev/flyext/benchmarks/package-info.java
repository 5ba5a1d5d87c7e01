/**
 * Measures what the SDK costs against its baselines, side by side in one run: JMH benchmarks of
 * verification and parsing, a load harness that drives Jetty with wrk, a webhook run against raw
 * OkHttp, and a heap census of the in-memory stores. Not API; run through {@code benchmarks/run}.
 */
@NullMarked
package dev.flyext.benchmarks;

import org.jspecify.annotations.NullMarked;
