package dk.sdu.cloud.im.harness.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The installation's logging configuration ({@code src/main/resources/logback.xml}, shipped as
 * {@code config/logback.xml}): the tests run with logback-test.xml, so nothing else would notice a broken file.
 */
class LoggingConfigurationTest {
    private static final Path FILE = Path.of("src", "main", "resources", "logback.xml");

    private static LoggerContext configure(String level) throws Exception {
        LoggerContext context = new LoggerContext();
        if (level != null) {
            context.putProperty(CliLogging.LEVEL_PROPERTY, level);
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(FILE.toFile());
        return context;
    }

    @Test
    void itParsesWithoutErrorsAndLogsInfoByDefault() throws Exception {
        LoggerContext context = configure(null);
        try {
            assertThat(context.getStatusManager().getCopyOfStatusList())
                    .noneMatch(status -> status.getLevel() >= Status.WARN);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
            assertThat(context.getLogger("org.pf4j").getLevel()).isEqualTo(Level.OFF);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNotNull();
        } finally {
            context.stop();
        }
    }

    @Test
    void theLevelPropertySetsTheRootLevel() throws Exception {
        LoggerContext context = configure("DEBUG");
        try {
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
        } finally {
            context.stop();
        }
    }
}
