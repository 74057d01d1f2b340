package dk.sdu.cloud.im.harness.cli;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The installation ships logback.xml for people to edit; a file Logback cannot parse silently drops its settings. */
class ShippedLoggingConfigTest {

    @Test
    void theShippedLogbackConfigurationIsWellFormedXml() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/logback.xml")) {
            assertThat(in).as("logback.xml on the host's class path").isNotNull();
            Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
            assertThat(document.getDocumentElement().getTagName()).isEqualTo("configuration");
        }
    }
}
