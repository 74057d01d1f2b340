package dk.sdu.cloud.im.kubevirt;

import dk.sdu.cloud.im.spi.config.ConfigProblem;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The KubeVirt section's own checks. */
class KubeVirtConfigTest {

    @Test
    void imageDownloadNetworksMustBeCidrNetworksAndEachBadOneIsNamedByItsKey() {
        KubeVirtConfig.ImageDownloads downloads = new KubeVirtConfig.ImageDownloads(
                List.of("10.0.5.0/24", "10.0.5.1/24", "mirror.example.org"), List.of("fc00::/7", "10.96.0.0/99"));

        assertThat(downloads.validate()).containsExactly(
                new ConfigProblem("allowedNetworks[1]",
                        "'10.0.5.1/24': the address has bits set beyond its /24 prefix; did you mean 10.0.5.0/24?"),
                new ConfigProblem("allowedNetworks[2]", "is not an IP network in CIDR notation (e.g. 10.0.5.0/24 "
                        + "or fd00::/8), got 'mirror.example.org'"),
                new ConfigProblem("blockedNetworks[1]", "'10.96.0.0/99': the prefix length must be 0..32, got 99"));
    }

    @Test
    void withoutImageDownloadsImagesComeOnlyFromPublicAddresses() {
        KubeVirtConfig config = new KubeVirtConfig(true, false, "vm-golden-images", "ws://im:42000/agent", 300);

        assertThat(config.imageDownloads()).isEqualTo(KubeVirtConfig.ImageDownloads.PUBLIC_ONLY);
        assertThat(config.imageDownloads().allowedNetworks()).isEmpty();
        assertThat(config.validate()).isEmpty();
    }

    @Test
    void theShellsAgentTimeoutIsFiveSecondsByDefaultAndMustBeOneToThirty() {
        KubeVirtConfig config = new KubeVirtConfig(true, false, "vm-golden-images", "ws://im:42000/agent", 300);

        assertThat(config.shellAgentTimeoutSeconds()).isEqualTo(5);
        assertThat(config.withShellAgentTimeoutSeconds(1).validate()).isEmpty();
        assertThat(config.withShellAgentTimeoutSeconds(30).validate()).isEmpty();
        assertThat(config.withShellAgentTimeoutSeconds(0).validate()).containsExactly(new ConfigProblem(
                "shellAgentTimeoutSeconds", "must be 1-30 (a TTY token is valid for 30 s), got 0"));
        assertThat(config.withShellAgentTimeoutSeconds(31).validate()).containsExactly(new ConfigProblem(
                "shellAgentTimeoutSeconds", "must be 1-30 (a TTY token is valid for 30 s), got 31"));
    }

    @Test
    void theAgentConnectTimeoutIsFiveMinutesByDefaultZeroForNeverAndNotNegative() {
        KubeVirtConfig config = new KubeVirtConfig(true, false, "vm-golden-images", "ws://im:42000/agent", 300);

        assertThat(config.agentConnectTimeoutSeconds()).isEqualTo(300);
        assertThat(config.withAgentConnectTimeoutSeconds(0).validate()).isEmpty();
        assertThat(config.withAgentConnectTimeoutSeconds(-1).validate()).containsExactly(new ConfigProblem(
                "agentConnectTimeoutSeconds", "must not be negative (0: never point to the console), got -1"));
    }

    @Test
    void eightStartsRunAtTheSameTimeByDefaultAndAtLeastOneMust() {
        KubeVirtConfig config = new KubeVirtConfig(true, false, "vm-golden-images", "ws://im:42000/agent", 300);

        assertThat(config.maxParallelStarts()).isEqualTo(8);
        assertThat(config.withMaxParallelStarts(1).validate()).isEmpty();
        assertThat(config.withMaxParallelStarts(0).validate()).containsExactly(new ConfigProblem(
                "maxParallelStarts", "must be at least 1, got 0"));
    }

    @Test
    void theAgentBundleDefaultsToTheInstallationsGuestFolderAndMustNotBeBlank() {
        KubeVirtConfig config = new KubeVirtConfig(true, false, "vm-golden-images", "ws://im:42000/agent", 300);
        assertThat(config.agentBundle()).isEqualTo("guest/vm-agent");

        assertThat(config.withAgentBundle(" ").validate()).extracting(ConfigProblem::path)
                .containsExactly("agentBundle");
        assertThat(config.withAgentBundle("/opt/ucloud-im/guest/vm-agent").validate()).isEmpty();
    }

    @Test
    void theAgentEndpointMustBeAWebsocketUrlWithAHostAndNoQuery() {
        for (String bad : List.of("http://im:42000/agent", "ws:///agent", "ws://im:42000/agent?x=1", "ws://im /a")) {
            assertThat(new KubeVirtConfig(true, false, "vm-golden-images", bad, 300).validate())
                    .as(bad).extracting(ConfigProblem::path).containsExactly("agentEndpoint");
        }
        assertThat(new KubeVirtConfig(true, false, "vm-golden-images", "wss://im.example.org/agent", 300).validate())
                .isEmpty();
    }
}
