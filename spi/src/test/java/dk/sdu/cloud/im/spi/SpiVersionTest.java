package dk.sdu.cloud.im.spi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SpiVersionTest {

    @Test
    void theSpiKnowsTheVersionTheBuildGaveIt() {
        // The build filters the project version in; an unfiltered resource would read "${project.version}".
        assertThat(SpiVersion.current()).matches("\\d+\\.\\d+\\.\\d+(-[A-Za-z0-9.]+)?");
    }
}
