/**
 * Test tools for Fly.io extension providers: {@link dev.flyext.testkit.FlySimulator}, which signs
 * and sends every call Fly makes to a provider; {@link dev.flyext.testkit.FlyApiStandIn}, a local
 * stand-in for Fly's API on loopback; and {@link dev.flyext.testkit.Conformance}, the conformance
 * checks that {@link dev.flyext.testkit.ConformanceMain} runs from the command line. See {@code
 * docs/testing.md}.
 */
@NullMarked
package dev.flyext.testkit;

import org.jspecify.annotations.NullMarked;
