package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigProblem;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules of services.compute.web, .publicLinks and harness.server's links' proxy keys, each with its key. */
class PublicLinkSettingsRulesTest {

    @Test
    void enabledLinksAndWebNeedPrefixAndSuffix() {
        assertThat(new PublicLinksConfig(true, "public-links", Optional.empty(), Optional.of(" ")).validate())
                .containsExactly(new ConfigProblem("prefix", "is required when publicLinks.enabled is true"),
                        new ConfigProblem("suffix", "is required when publicLinks.enabled is true"));
        assertThat(new WebConfig(true, Optional.of("app-"), Optional.empty()).validate())
                .containsExactly(new ConfigProblem("suffix", "is required when web.enabled is true"));
        assertThat(PublicLinksConfig.disabled().validate()).isEmpty();
        assertThat(WebConfig.disabled().validate()).isEmpty();
    }

    @Test
    void linkDomainsAreLowercaseAndTheProductHasAName() {
        assertThat(new PublicLinksConfig(true, " ", Optional.of("App-"), Optional.of(".Apps.example.org")).validate())
                .extracting(ConfigProblem::path).containsExactly("name", "suffix", "prefix");
        assertThat(new PublicLinksConfig(true, "public-links", Optional.of("app-"), Optional.of(".apps.example.org"))
                .validate()).isEmpty();
    }

    @Test
    void theLinksProxyNeedsAPortOfItsOwnAndAnAddress() {
        assertThat(new HarnessServerConfig("127.0.0.1", 8889, 1 << 20, "0.0.0.0", 8889, "127.0.0.1").validate())
                .containsExactly(new ConfigProblem("linkPort", "must differ from port (8889): the links' proxy listens "
                        + "beside the provider API"));
        assertThat(new HarnessServerConfig("127.0.0.1", 8889, 1 << 20, "0.0.0.0", 70000, "127.0.0.1").validate())
                .extracting(ConfigProblem::path).containsExactly("linkPort");
        assertThat(new HarnessServerConfig("127.0.0.1", 8889, 1 << 20, "0.0.0.0", 8890, "not an address!").validate())
                .extracting(ConfigProblem::path).containsExactly("linkBindAddress");
        assertThat(new HarnessServerConfig("127.0.0.1", 0, 1 << 20, "0.0.0.0", 0, "127.0.0.1").validate()).isEmpty();
    }
}
