package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RequestCounterTest {

    static EmbeddedKubernetes embedded;

    @BeforeAll
    static void start() {
        embedded = EmbeddedKubernetes.start();
    }

    @AfterAll
    static void stop() {
        embedded.close();
    }

    @Test
    void countsWhatItsClientAsksByVerbAndResource() {
        RequestCounter counter = new RequestCounter();
        KubernetesClient counted = embedded.newClient(counter.installer());
        KubernetesClient other = embedded.newClient();
        ConfigMap map = new ConfigMapBuilder().withNewMetadata().withName("counted").withNamespace("rc").endMetadata()
                .addToData("a", "1").build();

        counted.resource(map).create();
        counted.configMaps().inNamespace("rc").withName("counted").get();
        counted.configMaps().inNamespace("rc").list();
        other.configMaps().inNamespace("rc").list();
        RequestCounts before = counter.snapshot();
        counted.configMaps().inNamespace("rc").withName("counted").delete();
        RequestCounts after = counter.snapshot();

        assertThat(before.byVerb()).containsExactlyInAnyOrderEntriesOf(Map.of(
                ApiVerb.CREATE, 1L, ApiVerb.GET, 1L, ApiVerb.LIST, 1L));
        assertThat(before.byVerbAndResource()).containsEntry("create configmaps", 1L);
        assertThat(before.writes()).isEqualTo(1);
        assertThat(before.total()).isEqualTo(3);
        assertThat(before.toString()).isEqualTo("get=1 list=1 create=1");
        RequestCounts delta = after.minus(before);
        assertThat(delta.byVerb()).containsExactlyEntriesOf(Map.of(ApiVerb.DELETE, 1L));
        assertThat(delta.writes()).isEqualTo(1);

        counter.reset();
        assertThat(counter.snapshot().total()).isZero();
        assertThat(counter.snapshot().toString()).isEqualTo("none");
    }
}
