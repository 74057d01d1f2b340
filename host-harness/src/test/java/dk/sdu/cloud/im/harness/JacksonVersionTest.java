package dk.sdu.cloud.im.harness;

import org.junit.jupiter.api.Test;
import tools.jackson.core.Version;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The root pom names the Jackson 3 version (the one fabric8 8 is built with) once; the host runs with
 * exactly that version of every Jackson 3 part it uses.
 */
class JacksonVersionTest {

    @Test
    void everyJacksonPartIsThePomsVersion() {
        String expected = System.getProperty("im.test.jacksonVersion");
        assertThat(expected).as("im.test.jacksonVersion, set from ${jackson.version} by the host's surefire configuration")
                .isNotBlank();
        for (Version version : new Version[]{
                tools.jackson.core.json.PackageVersion.VERSION,
                tools.jackson.databind.cfg.PackageVersion.VERSION,
                tools.jackson.dataformat.yaml.PackageVersion.VERSION}) {
            assertThat(version.toString()).isEqualTo(expected);
        }
    }
}
