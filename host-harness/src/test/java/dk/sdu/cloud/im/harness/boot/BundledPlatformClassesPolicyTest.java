package dk.sdu.cloud.im.harness.boot;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dk.sdu.cloud.im.harness.config.ConfigException;
import dk.sdu.cloud.im.harness.plugins.PluginLoadException;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ExampleConfigs;
import dk.sdu.cloud.im.harness.testing.PluginJarBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code harness.plugins.bundledPlatformClasses}: a plugin jar with a Guice class is a warning, or a refusal. */
class BundledPlatformClassesPolicyTest {
    private static final String KEY = "harness.plugins.bundledPlatformClasses";

    @TempDir
    Path temp;

    private HostOptions options(ExampleConfigs config) {
        Path plugins = BuiltPlugins.copyTo(temp.resolve("plugins"));
        PluginJarBuilder.plugin("bundles-guice", "1.0.0").bundle(com.google.inject.Injector.class)
                .entry("readme.txt", "x").build(plugins.resolve("bundles-guice.jar"));
        return new HostOptions(config.writeTo(temp.resolve("config.yaml")), plugins, temp.resolve("state"));
    }

    @Test
    void byDefaultTheHostStartsAndLogsAWarningNamingThePlugin() {
        Logger logger = (Logger) LoggerFactory.getLogger(ImHost.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (ImHost host = ImHost.assemble(options(ExampleConfigs.of("config-hostpath.yaml")))) {
            assertThat(host.plugins().bundledPlatformClasses()).hasSize(1);
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).filteredOn(e -> e.getFormattedMessage().contains("bundles-guice"))
                .singleElement().satisfies(e -> {
                    assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
                    assertThat(e.getFormattedMessage()).startsWith("plugin 'bundles-guice' (bundles-guice.jar): "
                            + "bundles 1 class of platform packages (com.google.inject)");
                });
    }

    @Test
    void refuseStopsTheHostNamingThePluginAndTheKey() {
        ExampleConfigs config = ExampleConfigs.of("config-hostpath.yaml").setYaml(KEY, "refuse");

        PluginLoadException e = catchThrowableOfType(PluginLoadException.class, () -> ImHost.assemble(options(config)).close());

        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().asString()
                .startsWith("plugin 'bundles-guice' (bundles-guice.jar): bundles 1 class of platform packages (com.google.inject)")
                .endsWith("(refused: " + KEY + " is refuse)");
    }

    @Test
    void anUnknownPolicyIsAConfigurationProblem() {
        ExampleConfigs config = ExampleConfigs.of("config-hostpath.yaml").setYaml(KEY, "ignore");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ImHost.assemble(options(config)).close());

        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo(KEY);
            assertThat(p.toString()).contains("warn").contains("refuse");
        });
    }
}
