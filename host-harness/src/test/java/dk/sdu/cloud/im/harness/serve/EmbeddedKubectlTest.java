package dk.sdu.cloud.im.harness.serve;

import dk.sdu.cloud.im.harness.api.ExampleJobs;
import dk.sdu.cloud.im.harness.kubernetes.EmbeddedClusterFiles;
import dk.sdu.cloud.im.harness.testing.EmbeddedImFixture;
import dk.sdu.cloud.im.testdata.Kubectl;
import dk.sdu.cloud.im.spi.job.JobState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static dk.sdu.cloud.im.harness.testing.EmbeddedImFixture.JOBS;
import static dk.sdu.cloud.im.harness.testing.EmbeddedImFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real kubectl against the cluster of an IM serving in embedded mode, through the kubeconfig it writes
 * into its data directory: what a person trying the product sees.
 */
class EmbeddedKubectlTest {
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final String JOB = "6101";

    @TempDir
    Path temp;

    private EmbeddedImFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new EmbeddedImFixture(temp, config -> config.setYaml("harness.kubernetes.embedded.guests", "false"));
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void kubectlSeesAStartedJobsObjectsAndTheSimulatorSeesWhatKubectlDeletes() throws Exception {
        try (ImServer server = fixture.startServe()) {
            Path kubeconfig = fixture.dataDirectory().resolve(EmbeddedClusterFiles.KUBECONFIG);
            assertThat(Files.getPosixFilePermissions(kubeconfig)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(server.cluster().kubectlCommand()).contains("KUBECONFIG=" + kubeconfig.toAbsolutePath()
                    + " kubectl get vm,vmi,pvc");
            Kubectl kubectl = new Kubectl(kubeconfig, Files.createDirectories(temp.resolve("kube-cache")));

            fixture.client(server).post(JOBS, ExampleJobs.JSON.readTree(ExampleJobs.bulk(fixture.job(JOB))));
            awaitState(server, JOB, JobState.RUNNING);

            assertThat(kubectl.ok("api-resources")).containsPattern("(?m)^virtualmachines +vm,vms +kubevirt\\.io/v1 ")
                    .containsPattern("(?m)^virtualmachineinstances +vmi,vmis +kubevirt\\.io/v1 ")
                    .containsPattern("(?m)^persistentvolumeclaims +pvc +v1 ")
                    .containsPattern("(?m)^persistentvolumes +pv +v1 ")
                    .containsPattern("(?m)^services +svc +v1 ")
                    .containsPattern("(?m)^networkpolicies +netpol +networking\\.k8s\\.io/v1 ");
            // The kubeconfig's context is the jobs' namespace: no -n needed.
            assertThat(kubectl.ok("get", "vm")).containsPattern("(?m)^vm-" + JOB + "-0 ");
            assertThat(kubectl.ok("get", "vm,vmi,pvc")).contains("virtualmachine.kubevirt.io/vm-" + JOB + "-0")
                    .contains("virtualmachineinstance.kubevirt.io/vm-" + JOB + "-0")
                    .contains("persistentvolumeclaim/vm-" + JOB + "-0");
            assertThat(kubectl.ok("get", "pv", "-o", "name")).contains("persistentvolume/vm-" + JOB + "-0");
            assertThat(kubectl.ok("get", "svc,netpol", "-o", "name")).contains("service/j-" + JOB)
                    .contains("networkpolicy.networking.k8s.io/policy-" + JOB);
            assertThat(kubectl.ok("get", "vm", "vm-" + JOB + "-0", "-o", "jsonpath={.spec.runStrategy}"))
                    .isEqualTo("RerunOnFailure");
            assertThat(kubectl.ok("describe", "vm", "vm-" + JOB + "-0")).containsPattern("Printable Status: +Running");
            assertThat(kubectl.ok("describe", "pvc", "vm-" + JOB + "-0")).containsPattern("Status: +Bound");

            // A person deletes the instance. KubeVirt ends it as a shutdown, and a RerunOnFailure VM does not start
            // it again: the VM is Stopped, and the IM reports the job as its guest having gone off.
            assertThat(kubectl.ok("delete", "vmi", "vm-" + JOB + "-0")).contains("deleted");
            KubernetesClient k8s = server.cluster().access().client();
            await().atMost(STEP).until(() -> "Stopped".equals(printableStatus(k8s.genericKubernetesResources(
                    EmbeddedImFixture.VMS).inNamespace(NAMESPACE).withName("vm-" + JOB + "-0").get())));
            awaitState(server, JOB, JobState.SUSPENDED);
            assertThat(kubectl.run("get", "vmi", "vm-" + JOB + "-0").err()).contains("NotFound");
        }
    }

    @SuppressWarnings("unchecked")
    private static String printableStatus(GenericKubernetesResource vm) {
        Object status = vm == null ? null : vm.getAdditionalProperties().get("status");
        return status instanceof Map<?, ?> map ? String.valueOf(((Map<String, Object>) map).get("printableStatus")) : null;
    }

    private static void awaitState(ImServer server, String jobId, JobState state) {
        await().atMost(STEP).untilAsserted(() -> assertThat(server.store().find(jobId))
                .as("job " + jobId + ": " + server.store().updates(jobId))
                .get().extracting(s -> s.state()).isEqualTo(state));
    }
}
