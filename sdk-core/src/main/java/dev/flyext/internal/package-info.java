/**
 * Not API. Classes here may change in any release without notice; they are public only so that the
 * SDK's own modules can share them.
 */
@NullMarked
package dev.flyext.internal;

import org.jspecify.annotations.NullMarked;
