package dk.sdu.cloud.im.harness.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The start-up check against an API server that fails now and then: a transient answer (5xx, 429) is asked
 * again, a wrong configuration (401, 403, 404) fails at once. An IM restarted after a crash must not give up on
 * one 503 of a busy API server.
 */
class ClusterProbeRetryTest {
    private static final String PATH = "/apis/kubevirt.io/v1/namespaces/ucloud-apps/virtualmachines?limit=1";
    private static final String EMPTY_LIST = "{\"apiVersion\":\"kubevirt.io/v1\",\"kind\":\"VirtualMachineList\",\"items\":[]}";

    private final KubernetesMockServer server = new KubernetesMockServer(false);
    private final List<Integer> pauses = new ArrayList<>();

    @BeforeEach
    void start() {
        server.start();
    }

    @AfterEach
    void stop() {
        server.destroy();
    }

    private Config config() {
        return new ConfigBuilder(Config.empty()).withMasterUrl(server.url("/")).withNamespace("ucloud-apps").build();
    }

    private void check() {
        ClusterProbe.check(config(), "ucloud-apps", "test", pauses::add);
    }

    @Test
    void aTransientFailureIsAskedAgain() {
        server.expect().get().withPath(PATH).andReturn(503, "{}").once();
        server.expect().get().withPath(PATH).andReturn(500, "{}").once();
        server.expect().get().withPath(PATH).andReturn(200, EMPTY_LIST).once();

        check();

        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(pauses).containsExactly(1, 2);
    }

    @Test
    void aFailureThatLastsEndsTheCheckAfterTheLastAttempt() {
        server.expect().get().withPath(PATH).andReturn(503, "{}").always();

        assertThatThrownBy(this::check).isInstanceOf(ClusterConnectionException.class).hasMessageContaining("HTTP 503");
        assertThat(server.getRequestCount()).isEqualTo(ClusterProbe.ATTEMPTS);
    }

    @Test
    void refusedCredentialsFailAtOnce() {
        server.expect().get().withPath(PATH).andReturn(401, "{}").always();

        assertThatThrownBy(this::check).isInstanceOf(ClusterConnectionException.class).hasMessageContaining("HTTP 401");
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(pauses).isEmpty();
    }
}
