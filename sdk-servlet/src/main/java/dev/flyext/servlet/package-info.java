/**
 * A jakarta servlet that answers Fly.io's extension calls: {@link
 * dev.flyext.servlet.FlyExtensionServlet}. Mount it under any prefix, such as {@code /flyio/*}.
 */
@NullMarked
package dev.flyext.servlet;

import org.jspecify.annotations.NullMarked;
