package dk.sdu.cloud.im.harness.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * The log level of a command. Logs go to stderr at INFO (the logback configuration), which suits {@code serve};
 * commands whose result is their own output lower the root level while they run, so that only what goes
 * wrong is logged. An operator who sets the system property {@value #LEVEL_PROPERTY} (e.g. in
 * {@code JAVA_OPTS}) keeps that level everywhere.
 */
final class CliLogging implements AutoCloseable {
    /** The system property the logback configuration reads the root level from. */
    static final String LEVEL_PROPERTY = "ucloud.im.log.level";

    private final ch.qos.logback.classic.Logger root;
    private final Level before;

    private CliLogging(ch.qos.logback.classic.Logger root, Level before) {
        this.root = root;
        this.before = before;
    }

    /** Runs {@code work} logging only warnings and errors. */
    static <T> T warningsOnly(Supplier<T> work) {
        return with(Level.WARN, work);
    }

    /** Runs {@code work} logging nothing. */
    static <T> T silent(Supplier<T> work) {
        return with(Level.OFF, work);
    }

    private static <T> T with(Level level, Supplier<T> work) {
        try (CliLogging logging = withRootLevel(level)) {
            return logging.run(work);
        }
    }

    private <T> T run(Supplier<T> work) {
        return work.get();
    }

    private static CliLogging withRootLevel(Level level) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (System.getProperty(LEVEL_PROPERTY) != null || !(factory instanceof LoggerContext context)) {
            return new CliLogging(null, null);
        }
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        root.setLevel(level);
        return new CliLogging(root, before);
    }

    @Override
    public void close() {
        if (root != null) {
            root.setLevel(before);
        }
    }
}
