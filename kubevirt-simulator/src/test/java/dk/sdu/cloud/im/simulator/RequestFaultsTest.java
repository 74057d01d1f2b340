package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dk.sdu.cloud.im.simulator.Awaits.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Injected request failures of the embedded API, as a client sees them. */
class RequestFaultsTest {

    private final EmbeddedKubernetes embedded = EmbeddedKubernetes.start();
    private final KubernetesClient client = embedded.newClient();
    private final KubernetesClient simulation = embedded.newSimulationClient();

    @AfterEach
    void stop() {
        embedded.close();
    }

    @Test
    void noFaultsByDefault() {
        assertThat(embedded.faults()).isEqualTo(RequestFaults.none());
        client.configMaps().inNamespace("f").resource(configMap("a")).create();
        assertThat(embedded.injectedFaults()).isEmpty();
    }

    @Test
    void internalErrorIsA500WithAStatusAndDoesNothing() {
        embedded.faults(new RequestFaults(1.0, 1L, Set.of(FaultKind.INTERNAL_ERROR)));

        assertThatThrownBy(() -> client.configMaps().inNamespace("f").resource(configMap("a")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(500);
                    assertThat(e.getStatus().getReason()).isEqualTo("InternalError");
                });
        assertThatThrownBy(() -> client.configMaps().inNamespace("f").list())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(500));
        assertThat(simulation.configMaps().inNamespace("f").list().getItems()).isEmpty();
        assertThat(embedded.injectedFaults()).isEqualTo(Map.of(FaultKind.INTERNAL_ERROR, 2L));
    }

    @Test
    void serviceUnavailableIsA503WithAStatus() {
        embedded.faults(new RequestFaults(1.0, 1L, Set.of(FaultKind.SERVICE_UNAVAILABLE)));

        assertThatThrownBy(() -> client.configMaps().inNamespace("f").withName("a").get())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(503);
                    assertThat(e.getStatus().getReason()).isEqualTo("ServiceUnavailable");
                });
        assertThat(embedded.injectedFaults()).isEqualTo(Map.of(FaultKind.SERVICE_UNAVAILABLE, 1L));
    }

    @Test
    void conflictIsA409OnWritesOnlyAndDoesNothing() {
        simulation.configMaps().inNamespace("f").resource(configMap("a")).create();
        embedded.faults(new RequestFaults(1.0, 1L, Set.of(FaultKind.CONFLICT)));

        assertThat(client.configMaps().inNamespace("f").list().getItems()).hasSize(1);     // a read: no conflict
        assertThatThrownBy(() -> client.configMaps().inNamespace("f").resource(configMap("b")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
                });
        assertThatThrownBy(() -> client.configMaps().inNamespace("f").withName("a").delete())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(simulation.configMaps().inNamespace("f").list().getItems())
                .extracting(map -> map.getMetadata().getName()).containsExactly("a");
        assertThat(embedded.injectedFaults()).isEqualTo(Map.of(FaultKind.CONFLICT, 2L));
    }

    /** The write happens; its answer does not come before the client gives up (the hold is far longer). */
    @Test
    void timeoutHoldsTheAnswerPastTheClientsTimeoutButCarriesTheRequestOut() {
        KubernetesClient impatient = embedded.newClient(builder -> builder.editOrNewConfig()
                .withRequestTimeout(1_000).endConfig());
        embedded.faults(new RequestFaults(1.0, 1L, Set.of(FaultKind.TIMEOUT)).withTimeoutHold(Duration.ofMinutes(5)));

        // The JDK's client reports its own timeout either as an HttpTimeoutException or, when its timer's cancel of
        // the exchange is seen first, as "connection closed locally": what holds in both is that no answer came.
        assertThatThrownBy(() -> impatient.configMaps().inNamespace("f").resource(configMap("a")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).as("fabric8's code for a request that got no HTTP status").isNotPositive();
                    assertThat(e).hasRootCauseInstanceOf(java.io.IOException.class);
                });
        assertThat(simulation.configMaps().inNamespace("f").withName("a").get()).isNotNull();
        assertThat(embedded.injectedFaults()).isEqualTo(Map.of(FaultKind.TIMEOUT, 1L));
    }

    /** A server that holds a timed-out request answers 504 when the hold ends (the client here waits longer). */
    @Test
    void aTimedOutRequestIsAnswered504WhenTheHoldEnds() {
        KubernetesClient patient = embedded.newClient(builder -> builder.editOrNewConfig()
                .withRequestTimeout(120_000).endConfig());
        embedded.faults(new RequestFaults(1.0, 1L, Set.of(FaultKind.TIMEOUT)).withTimeoutHold(Duration.ofMillis(200)));

        assertThatThrownBy(() -> patient.configMaps().inNamespace("f").list())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(504);
                    assertThat(e.getStatus().getReason()).isEqualTo("Timeout");
                });
    }

    @Test
    void watchesAreNotFaultedUnlessWatchCloseIsAskedFor() throws InterruptedException {
        embedded.faults(new RequestFaults(1.0, 1L, EnumSet.complementOf(EnumSet.of(FaultKind.WATCH_CLOSE))));
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (Watch watch = client.configMaps().inNamespace("f").watch(recorder(events))) {
            simulation.configMaps().inNamespace("f").resource(configMap("a")).create();

            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED a");
        }
        assertThat(embedded.injectedFaults()).isEmpty();
    }

    @Test
    void watchCloseEndsWatchesAndTheClientWatchesAgain() {
        embedded.faults(new RequestFaults(1.0, 1L, Set.of(FaultKind.WATCH_CLOSE)));
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (Watch watch = client.configMaps().inNamespace("f").watch(recorder(events))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> embedded.injectedFaults()
                    .getOrDefault(FaultKind.WATCH_CLOSE, 0L) >= 2);
        }
        assertThat(client.configMaps().inNamespace("f").list().getItems()).isEmpty();       // not a watch
    }

    @Test
    void theSimulationsOwnRequestsNeverFail() {
        embedded.faults(new RequestFaults(1.0, 1L, EnumSet.allOf(FaultKind.class)));
        try (KubeVirtSimulator simulator = KubeVirtSimulator.start(embedded.newSimulationClient(), "sim")) {
            simulation.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace("sim")
                    .resource(Fixtures.vm("sim", "vm-1-0", "Always")).create();

            await().until(() -> printableStatus(simulation.genericKubernetesResources(Kinds.VIRTUAL_MACHINE)
                    .inNamespace("sim").withName("vm-1-0").get()), "Running"::equals);
            assertThat(simulation.genericKubernetesResources(Kinds.VIRTUAL_MACHINE_INSTANCE).inNamespace("sim")
                    .withName("vm-1-0").get()).isNotNull();
        }
        assertThat(embedded.injectedFaults()).isEmpty();
    }

    /** 5 % of 200 requests: 10 expected; a fixed seed gives the same failures every time. */
    @Test
    void aRateFailsAboutThatFractionAndTheSameSeedFailsTheSameRequests() {
        RequestFaults plan = new RequestFaults(0.05, 42L, Set.of(FaultKind.INTERNAL_ERROR, FaultKind.SERVICE_UNAVAILABLE));

        embedded.faults(plan);
        List<String> first = failuresOf200Gets();
        Map<FaultKind, Long> counted = embedded.injectedFaults();
        embedded.faults(plan);
        List<String> second = failuresOf200Gets();

        // Binomial(200, 0.05): mean 10, standard deviation 3.1; the bound is 4.5 deviations either side.
        assertThat(first).hasSizeBetween(1, 24);
        assertThat(second).isEqualTo(first);
        assertThat(counted.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(first.size());
    }

    private List<String> failuresOf200Gets() {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            try {
                client.configMaps().inNamespace("f").withName("missing").get();
            } catch (KubernetesClientException e) {
                failures.add(i + ":" + e.getCode());
            }
        }
        return failures;
    }

    private static String printableStatus(GenericKubernetesResource vm) {
        return vm == null ? null : Generic.string(vm, "status", "printableStatus");
    }

    private static Watcher<ConfigMap> recorder(BlockingQueue<String> events) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap map) {
                events.add(action + " " + map.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
    }

    private static ConfigMap configMap(String name) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("f").endMetadata()
                .addToData("k", "v").build();
    }
}
