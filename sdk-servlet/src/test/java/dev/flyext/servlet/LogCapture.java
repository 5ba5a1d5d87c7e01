package dev.flyext.servlet;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what the SDK logs under {@code dev.flyext} (through the JDK's default {@code
 * System.Logger}, which is java.util.logging) and keeps it off the console until closed.
 */
final class LogCapture implements AutoCloseable {
  private final Logger logger = Logger.getLogger("dev.flyext");
  private final boolean parentHandlers = logger.getUseParentHandlers();
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  LogCapture() {
    logger.addHandler(handler);
    logger.setUseParentHandlers(false);
  }

  List<LogRecord> records() {
    return List.copyOf(records);
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
    logger.setUseParentHandlers(parentHandlers);
  }
}
