package dk.sdu.cloud.im.kubevirt;

import dk.sdu.cloud.im.spi.config.ConfigProblem;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** virtualMachines.ingress: each rule reports its key. */
class LinkIngressConfigTest {
    @Test
    void theDefaultsAndAValidSectionHaveNoProblems() {
        assertThat(KubeVirtConfig.LinkIngress.DEFAULTS.validate()).isEmpty();
        assertThat(new KubeVirtConfig.LinkIngress(Optional.of("nginx"), Optional.of("wildcard.apps-tls"),
                Map.of("nginx.ingress.kubernetes.io/proxy-body-size", "0", "simple", "x"), Optional.of("ingress-nginx"))
                .validate()).isEmpty();
    }

    @Test
    void aBadClassSecretOrAnnotationKeyIsNamed() {
        KubeVirtConfig.LinkIngress bad = new KubeVirtConfig.LinkIngress(Optional.of("Nginx"), Optional.of("my_secret"),
                Map.of("bad key", "x"), Optional.of("Ingress_NGINX"));

        assertThat(bad.validate()).extracting(ConfigProblem::path).containsExactly("className", "tlsSecret",
                "controllerNamespace", "annotations");
        assertThat(bad.validate().get(0).message()).contains("got 'Nginx'");
        assertThat(bad.validate().get(3).message()).contains("'bad key' is not a valid annotation key");
    }
}
