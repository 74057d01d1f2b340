package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedKubernetesTest {

    /**
     * Simulators (informers) stop while their watches receive events. With fabric8's watch listener this
     * either stalled the event loop or (ended off the loop) lost the answer to a write that raced the end of
     * a watch; both showed as a request timing out, about one run in seven on a loaded 2-core machine.
     * {@code EmbeddedDispatcherTest} reproduces the race deterministically; this is the end-to-end guard.
     */
    @Test
    void stoppingWatchesWhileEventsFlowDoesNotStallTheServer() {
        try (EmbeddedKubernetes embedded = EmbeddedKubernetes.start()) {
            KubernetesClient client = embedded.newClient(b -> b.editOrNewConfig().withRequestTimeout(10_000).endConfig());
            for (int round = 0; round < 12; round++) {
                String namespace = "stall-" + round;
                KubeVirtSimulator simulator = KubeVirtSimulator.start(embedded.newClient(), namespace);
                for (int i = 0; i < 9; i++) {
                    if (i == 6) {
                        simulator.close();
                    }
                    client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(namespace)
                            .resource(Fixtures.vm(namespace, "vm-" + i + "-0", "Always")).create();
                }
            }
            assertThat(client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inAnyNamespace().list().getItems())
                    .hasSize(108);
        }
    }

    /** One mapper for every client (and the store): each would otherwise build its own readers for every type. */
    @Test
    void clientsShareOneSerialization() {
        try (EmbeddedKubernetes embedded = EmbeddedKubernetes.start()) {
            assertThat(embedded.newClient().getKubernetesSerialization())
                    .isSameAs(embedded.newSimulationClient().getKubernetesSerialization());
        }
    }

    @Test
    void aWatchOfOneNameSeesThatObjectOnly() throws InterruptedException {
        try (EmbeddedKubernetes embedded = EmbeddedKubernetes.start()) {
            KubernetesClient client = embedded.newClient();
            BlockingQueue<String> seen = new LinkedBlockingQueue<>();
            try (Watch watch = client.configMaps().inNamespace("n").withName("wanted")
                    .watch(new Watcher<>() {
                        @Override
                        public void eventReceived(Action action, ConfigMap map) {
                            seen.add(action + " " + map.getMetadata().getName());
                        }

                        @Override
                        public void onClose(WatcherException cause) {
                        }
                    })) {
                client.configMaps().inNamespace("n").resource(configMap("other")).create();
                client.configMaps().inNamespace("n").resource(configMap("wanted")).create();

                assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED wanted");
                client.configMaps().inNamespace("n").withName("other").delete();
                client.configMaps().inNamespace("n").withName("wanted").delete();
                assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("DELETED wanted");
            }
        }
    }

    /**
     * An informer lists, then watches from the list's version: what was deleted in between must reach it as
     * {@code DELETED} (a real API server replays it), or its cache keeps the object for good.
     */
    @Test
    void aWatchFromAListsVersionSeesTheDeletionsSinceThatList() throws InterruptedException {
        try (EmbeddedKubernetes embedded = EmbeddedKubernetes.start()) {
            KubernetesClient client = embedded.newClient();
            client.configMaps().inNamespace("n").resource(configMap("kept")).create();
            client.configMaps().inNamespace("n").resource(configMap("gone")).create();
            String listed = client.configMaps().inNamespace("n").list().getMetadata().getResourceVersion();
            client.configMaps().inNamespace("n").withName("gone").delete();

            BlockingQueue<String> fromList = new LinkedBlockingQueue<>();
            BlockingQueue<String> fromNow = new LinkedBlockingQueue<>();
            try (Watch sinceList = client.configMaps().inNamespace("n")
                    .watch(new ListOptionsBuilder().withResourceVersion(listed).build(), recorder(fromList));
                 Watch unversioned = client.configMaps().inNamespace("n").watch(recorder(fromNow))) {
                assertThat(fromList.poll(10, TimeUnit.SECONDS)).isEqualTo("DELETED gone");
                assertThat(fromList.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED kept");
                assertThat(fromNow.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED kept");
                client.configMaps().inNamespace("n").resource(configMap("marker")).create();
                assertThat(fromNow.poll(10, TimeUnit.SECONDS)).as("no deletion replayed without a version")
                        .isEqualTo("ADDED marker");
            }
        }
    }

    private static Watcher<ConfigMap> recorder(BlockingQueue<String> seen) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap map) {
                seen.add(action + " " + map.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
    }

    private static ConfigMap configMap(String name) {
        return new ConfigMapBuilder().withNewMetadata().withName(name)
                .withNamespace("n").endMetadata().addToData("a", "b").build();
    }

    @Test
    void servesKubeVirtAndCdiResourcesOnLoopbackUntilClosed() {
        KubernetesClient client;
        String url;
        try (EmbeddedKubernetes embedded = EmbeddedKubernetes.start()) {
            url = embedded.url();
            assertThat(URI.create(url).getHost()).isIn("localhost", "127.0.0.1");
            client = embedded.newClient();
            assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems())
                    .extracting(crd -> crd.getMetadata().getName())
                    .containsExactlyInAnyOrder("virtualmachines.kubevirt.io", "virtualmachineinstances.kubevirt.io",
                            "datavolumes.cdi.kubevirt.io");
            // Discovery answers for the registered groups, which the client's generic API relies on.
            assertThat(client.genericKubernetesResources("cdi.kubevirt.io/v1beta1", "DataVolume").inNamespace("e")
                    .resource(new GenericKubernetesResourceBuilder().withApiVersion("cdi.kubevirt.io/v1beta1")
                            .withKind("DataVolume").withNewMetadata().withName("dv").withNamespace("e").endMetadata()
                            .addToAdditionalProperties("spec", Map.of()).build())
                    .create().getMetadata().getUid()).isNotBlank();
            assertThat(client.getHttpClient().getClass().getName()).contains("jdkhttp");
        }
        assertThatThrownBy(() -> client.configMaps().inNamespace("e").list()).isInstanceOf(RuntimeException.class);
    }
}
