package dk.sdu.cloud.im.harness.boot;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HostVersionTest {

    @Test
    void theVersionComesFromTheBuild() {
        assertThat(HostVersion.current().version()).isEqualTo("0.1.0-SNAPSHOT");
    }

    @Test
    void pluginsSeeTheReleaseTheBuildLeadsTo() {
        assertThat(new HostVersion("0.1.0-SNAPSHOT").systemVersion()).isEqualTo("0.1.0");
        assertThat(new HostVersion("1.2.3").systemVersion()).isEqualTo("1.2.3");
        assertThat(new HostVersion("1.2.3-rc1").systemVersion()).isEqualTo("1.2.3");
    }

    @Test
    void pluginsDefaultToTheInstallation() {
        String before = System.getProperty(HostOptions.HOME_PROPERTY);
        try {
            System.setProperty(HostOptions.HOME_PROPERTY, "/opt/ucloud-im");
            assertThat(HostOptions.defaultPluginsDirectory()).isEqualTo(java.nio.file.Path.of("/opt/ucloud-im/plugins"));
            System.clearProperty(HostOptions.HOME_PROPERTY);
            assertThat(HostOptions.defaultPluginsDirectory()).isEqualTo(java.nio.file.Path.of("plugins"));
        } finally {
            if (before == null) {
                System.clearProperty(HostOptions.HOME_PROPERTY);
            } else {
                System.setProperty(HostOptions.HOME_PROPERTY, before);
            }
        }
    }
}
