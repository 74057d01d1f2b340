package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded API's answer latency: answers wait, watches do not, and a waiting answer holds up nothing else. */
class ResponseLatencyTest {

    private final EmbeddedKubernetes embedded = EmbeddedKubernetes.start();
    private final KubernetesClient client = embedded.newClient();

    @AfterEach
    void stop() {
        client.close();
        embedded.close();
    }

    @Test
    void answersAtOnceByDefaultAndANegativeLatencyIsRefused() {
        assertThat(embedded.latency()).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> embedded.latency(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
        assertThat(embedded.latency()).isEqualTo(Duration.ZERO);
    }

    @Test
    void anAnswerLeavesNoSoonerThanTheLatencyAfterItsRequest() {
        embedded.latency(Duration.ofMillis(300));

        long started = System.nanoTime();
        client.configMaps().inNamespace("l").resource(configMap("a")).create();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        // Only a lower bound: a busy machine makes it later, never sooner.
        assertThat(tookMillis).isGreaterThanOrEqualTo(300);
        assertThat(client.configMaps().inNamespace("l").withName("a").get()).isNotNull();
    }

    @Test
    void aWatchIsNotDelayedAndAnAnswerThatWaitsHoldsUpNoOtherRequest() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (Watch watch = client.configMaps().inNamespace("l").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                events.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            // An answer that would not leave within the test: its request is made, and waits.
            embedded.latency(Duration.ofHours(1));
            HttpClient http = HttpClient.newHttpClient();
            CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(HttpRequest.newBuilder(
                            URI.create(embedded.url()).resolve("/api/v1/namespaces/l/configmaps"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            // The object is stored and its watch event sent while the answer waits.
            assertThat(events.poll(30, TimeUnit.SECONDS)).isEqualTo("ADDED a");
            assertThat(waiting).isNotDone();

            // The event loop is free: another request, with no latency now, is answered.
            embedded.latency(Duration.ZERO);
            assertThat(client.configMaps().inNamespace("l").withName("a").get()).isNotNull();
            assertThat(waiting).isNotDone();
        }
    }

    private static ConfigMap configMap(String name) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().build();
    }
}
