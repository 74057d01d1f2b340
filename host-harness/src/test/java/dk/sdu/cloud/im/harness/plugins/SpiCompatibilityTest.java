package dk.sdu.cloud.im.harness.plugins;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The SPI compatibility policy of docs/host.md, "SPI versions". */
class SpiCompatibilityTest {

    @Test
    void before1_0TheMinorActsAsTheMajorAndThePatchAsTheMinor() {
        assertThat(SpiCompatibility.problem("0.1.0", "0.1.0")).isEmpty();
        assertThat(SpiCompatibility.problem("0.1.0", "0.1.4")).isEmpty();
        assertThat(SpiCompatibility.problem("0.1.0-SNAPSHOT", "0.1.0")).as("qualifiers are ignored").isEmpty();
        assertThat(SpiCompatibility.problem("0.1", "0.1.0-SNAPSHOT")).isEmpty();
        assertThat(SpiCompatibility.problem("0.1.3", "0.1.2")).get().asString()
                .isEqualTo("it was built against SPI 0.1.3 (Plugin-Spi-Version), this host's SPI is 0.1.2: a newer SPI "
                        + "than the host's; update the host, or rebuild the plugin against im-spi 0.1.2");
        assertThat(SpiCompatibility.problem("0.2.0", "0.1.0")).get().asString()
                .contains("before 1.0 a different minor version is a different SPI; rebuild it against im-spi 0.1.x");
        assertThat(SpiCompatibility.problem("0.1.0", "0.2.0")).get().asString()
                .contains("before 1.0 a different minor version is a different SPI; rebuild it against im-spi 0.2.x");
    }

    @Test
    void from1_0TheMajorMustMatchAndTheMinorMustNotBeNewer() {
        assertThat(SpiCompatibility.problem("1.2.0", "1.2.0")).isEmpty();
        assertThat(SpiCompatibility.problem("1.1.9", "1.2.0")).isEmpty();
        assertThat(SpiCompatibility.problem("1.2.7", "1.2.0")).as("a patch changes no contract").isEmpty();
        assertThat(SpiCompatibility.problem("1.3.0", "1.2.0")).get().asString()
                .contains("a newer SPI than the host's; update the host, or rebuild the plugin against im-spi 1.2");
        assertThat(SpiCompatibility.problem("2.0.0", "1.2.0")).get().asString()
                .contains("a different major version; rebuild it against im-spi 1.x");
        assertThat(SpiCompatibility.problem("0.9.0", "1.0.0")).get().asString()
                .contains("a different major version");
    }

    @Test
    void aValueThatIsNoVersionIsAProblem() {
        assertThat(SpiCompatibility.problem("latest", "0.1.0")).get().asString()
                .isEqualTo("its Plugin-Spi-Version 'latest' is not a version (expected MAJOR.MINOR.PATCH, the im-spi "
                        + "version it was built against)");
        assertThat(SpiCompatibility.problem("99999999999.0.0", "0.1.0")).isPresent();
    }
}
