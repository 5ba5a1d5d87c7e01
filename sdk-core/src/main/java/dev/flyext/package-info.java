/**
 * Typed Fly.io extension messages, the {@link dev.flyext.ProviderHandler} a provider implements,
 * request signing and verification, and the {@link dev.flyext.ProviderEndpoint} that framework
 * adapters such as the servlet mount.
 *
 * <p>Everything in this package is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.flyext;

import org.jspecify.annotations.NullMarked;
