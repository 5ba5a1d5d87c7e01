/**
 * A runnable example provider for the SDK: {@code KvHandler}, a small in-memory key-value service,
 * mounted on embedded Jetty with its dashboard page, and a {@code demo} command that plays Fly's
 * side and the user's browser against it. Not API: copy what helps.
 *
 * <p>Everything in this package is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.flyext.examples;

import org.jspecify.annotations.NullMarked;
