/**
 * Test tools for Fly.io extension providers: {@link dev.flyext.testkit.FlyApiStandIn}, a local
 * stand-in for Fly's API on loopback.
 */
@NullMarked
package dev.flyext.testkit;

import org.jspecify.annotations.NullMarked;
