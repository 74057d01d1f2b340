package dk.sdu.cloud.im.harness.serve;

import dk.sdu.cloud.im.harness.api.ExampleJobs;
import dk.sdu.cloud.im.harness.client.HarnessClientException;
import dk.sdu.cloud.im.harness.testing.EmbeddedImFixture;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dk.sdu.cloud.im.harness.testing.EmbeddedImFixture.JOBS;
import static dk.sdu.cloud.im.harness.testing.EmbeddedImFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A hostile caller's jobs against the IM with the real KubeVirt backend in embedded mode: each is refused
 * with 400 naming what is wrong, and leaves no trace in the job store, the cluster or the file system.
 * Rejections change nothing, so one IM serves every case.
 */
class HostileJobsTest {
    private static final String FORWARD = "ucloud.dk/service-forward-tcp";

    @TempDir
    static Path temp;
    private static EmbeddedImFixture fixture;
    private static ImServer server;

    @BeforeAll
    static void start() {
        fixture = new EmbeddedImFixture(temp);
        server = fixture.startIm();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private static Arguments refused(String what, Consumer<ObjectNode> change, String why) {
        return Arguments.of(what, change, why);
    }

    private static ObjectNode owner(ObjectNode job) {
        return (ObjectNode) job.get("owner");
    }

    private static ObjectNode spec(ObjectNode job) {
        return (ObjectNode) job.get("specification");
    }

    private static ObjectNode folder(ObjectNode job, int index) {
        return (ObjectNode) spec(job).get("resources").get(index);
    }

    static Stream<Arguments> hostileJobs() {
        String allPorts = IntStream.rangeClosed(1, 65535).mapToObj(Integer::toString)
                .collect(Collectors.joining(",", "[", "]"));
        return Stream.of(
                refused("owner null", job -> job.putNull("owner"), "items[0].owner: a job needs an owner"),
                refused("createdBy null", job -> owner(job).putNull("createdBy"), "items[0].owner.createdBy: is missing"),
                refused("createdBy empty", job -> owner(job).put("createdBy", ""), "items[0].owner.createdBy: is empty"),
                refused("createdBy ..", job -> owner(job).put("createdBy", ".."), "items[0].owner.createdBy: may not be '..'"),
                refused("createdBy with a newline", job -> owner(job).put("createdBy", "alice\nroot"),
                        "items[0].owner.createdBy: may not contain control characters"),
                refused("createdBy with DEL", job -> owner(job).put("createdBy", "alice\u007f"),
                        "items[0].owner.createdBy: may not contain control characters"),
                refused("project ..", job -> owner(job).put("project", ".."), "items[0].owner.project: may not be '..'"),
                refused("folder path with NUL", job -> folder(job, 0).put("path", "/17/Data\u0000/x"),
                        "items[0].specification.resources[0].path: may not contain control characters"),
                refused("folder path with a C1 control", job -> folder(job, 1).put("path", "/17/Ref\u0085"),
                        "items[0].specification.resources[1].path: may not contain control characters"),
                refused("mount path with a newline", job -> folder(job, 0).put("mountPath", "/data\n"),
                        "items[0].specification.resources[0].mountPath: may not contain control characters"),
                refused("replicas 1.5", job -> spec(job).put("replicas", 1.5),
                        "items[0].specification.replicas: expected an integer, got the number 1.5"),
                refused("replicas 2", job -> spec(job).put("replicas", 2), "exactly 1 node, got 2"),
                refused("state SUCCESS", job -> ((ObjectNode) job.get("status")).put("state", "SUCCESS"),
                        "items[0].status.state: a new job is IN_QUEUE (or has no state), got SUCCESS"),
                refused("product of another provider",
                        job -> ((ObjectNode) spec(job).get("product")).put("provider", "elsewhere"),
                        "items[0].specification.product.provider: must be this provider, 'k8s', got 'elsewhere'"),
                refused("65535 forwarded ports", job -> ((ObjectNode) spec(job).get("labels")).put(FORWARD, allPorts),
                        "at most 32 different TCP ports"),
                refused("a forwarded port twice", job -> ((ObjectNode) spec(job).get("labels")).put(FORWARD, "[80,80]"),
                        "port 80 is listed more than once"),
                refused("forwarded port 0", job -> ((ObjectNode) spec(job).get("labels")).put(FORWARD, "[0]"),
                        "TCP ports (1-65535)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileJobs")
    void isRefusedAndLeavesNoTrace(String what, Consumer<ObjectNode> change, String why) throws IOException {
        ObjectNode job = fixture.job("6101");
        change.accept(job);

        HarnessClientException refused = catchThrowableOfType(HarnessClientException.class,
                () -> fixture.client(server).post(JOBS, ExampleJobs.JSON.readTree(ExampleJobs.bulk(job))));

        assertThat(refused).as(what).isNotNull();
        assertThat(refused.status()).as(refused.getMessage()).isEqualTo(400);
        assertThat(refused.getMessage()).contains(why).contains("nothing was created");
        assertThat(server.store().list()).isEmpty();
        assertThat(clusterObjects()).isEmpty();
        assertThat(jobFolders()).isEmpty();
    }

    private static List<String> clusterObjects() {
        KubernetesClient k8s = fixture.observer();
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(k8s.genericKubernetesResources(EmbeddedImFixture.VMS).inNamespace(NAMESPACE).list().getItems());
        all.addAll(k8s.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems());
        all.addAll(k8s.secrets().inNamespace(NAMESPACE).list().getItems());
        all.addAll(k8s.services().inNamespace(NAMESPACE).list().getItems());
        all.addAll(k8s.network().networkPolicies().inNamespace(NAMESPACE).list().getItems());
        all.addAll(k8s.persistentVolumes().list().getItems());
        return all.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }

    /** Whatever appeared in the provider file system besides the fixture's folders and the image cache. */
    private static List<Path> jobFolders() throws IOException {
        try (Stream<Path> top = Files.list(fixture.fileSystem())) {
            return top.filter(p -> !List.of("trash", "collections", "vm-golden-images")
                    .contains(p.getFileName().toString())).toList();
        }
    }
}
