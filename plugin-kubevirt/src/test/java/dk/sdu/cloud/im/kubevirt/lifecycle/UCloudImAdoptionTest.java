package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.KubeVirtComputeBackend;
import dk.sdu.cloud.im.kubevirt.testing.UCloudImLayout;
import dk.sdu.cloud.im.simulator.ApiVerb;
import dk.sdu.cloud.im.simulator.RequestCounts;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Taking over a namespace that UCloud's own IM ran: its jobs' objects, laid out exactly as UCloud's IM lays them
 * ({@link UCloudImLayout}), are adopted when the backend opens (or when such a job is started), followed,
 * suspended, unsuspended and terminated like the plugin's own, and nothing of theirs is deleted unless this IM
 * terminated the job.
 */
class UCloudImAdoptionTest extends BackendTestbed {
    /** UCloud's IM had another storage.hostPath: its disk volumes' source differs from what this IM makes. */
    private static final String UCLOUD_HOST_PATH = "/srv/ucloud-old";
    private static final int UCLOUD_SSH_PORT = 2000;
    private static final String ADOPTED = "ucloud.dk/adopted";

    private UCloudImLayout ucloud;

    @BeforeEach
    void noImYet() {
        // The test's objects are made while no IM of this plugin runs, as when an operator moves over.
        stop(backend);
        // Volumes are cluster-wide: those an earlier test of this class left (released, marked terminating) would be
        // swept by this test's IM at open, a delete that is no part of what this test counts.
        List<PersistentVolume> earlier = admin.persistentVolumes().list().getItems().stream()
                .filter(pv -> !pv.getMetadata().getName().contains(unique)).toList();
        earlier.forEach(pv -> admin.persistentVolumes().withName(pv.getMetadata().getName()).delete());
        await().until(() -> admin.persistentVolumes().list().getItems().stream()
                .noneMatch(pv -> !pv.getMetadata().getName().contains(unique)));
        ucloud = new UCloudImLayout(admin, namespace);
        ucloud.userDataClaim(unique + "-user-data");
    }

    @Test
    void openAdoptsTheJobsObjectsByPatchReportsRunningOnceAndTouchesNothingElse() throws IOException {
        Job job = ucloudJob("1", "Always");
        await().until(() -> vmi(vmName(job)) != null);
        Lookalikes lookalikes = lookalikes();
        Map<String, String> uids = uidsOf(job);
        awaitSimulatorIdle();
        counter.reset();

        KubeVirtComputeBackend im = openBackend();

        RequestCounts requests = counter.snapshot();
        assertThat(requests.of(ApiVerb.PATCH)).as("%s", requests.byVerbAndResource()).isEqualTo(7);
        assertThat(requests.of(ApiVerb.CREATE) + requests.of(ApiVerb.UPDATE) + requests.of(ApiVerb.DELETE))
                .as("%s", requests.byVerbAndResource()).isZero();
        assertThat(uidsOf(job)).isEqualTo(uids);
        for (HasMetadata object : objectsOf(job)) {
            assertThat(object.getMetadata().getLabels()).as(object.getKind() + " " + object.getMetadata().getName())
                    .containsEntry("app.kubernetes.io/managed-by", "ucloud-im")
                    .containsEntry("ucloud.dk/jobId", job.id());
            assertThat(object.getMetadata().getAnnotations()).containsEntry(ADOPTED, "true");
        }
        // UCloud's VM spec stays until the job is started again.
        assertThat((Object) vmOf(job).get("spec", "template", "spec", "nodeSelector")).isNotNull();
        awaitState(job, JobState.RUNNING);
        // RUNNING with the SSH line, then the boot stage: each once.
        assertThat(updates.of(job.id())).extracting(update -> update.state() + " " + update.status()).containsExactly(
                "RUNNING SSH: Connected! Available at: ssh ucloud@ssh.example.org -p " + UCLOUD_SSH_PORT,
                "null The guest is booting.");
        lookalikes.assertUntouched();
        assertThat(volume(unique + "-user-data").getMetadata().getLabels()).isNullOrEmpty();

        // A start of the adopted job (Core's create again, a host carrying on) leaves it as UCloud's IM left it.
        counter.reset();
        im.start(job);
        assertThat(counter.snapshot().writes()).as("%s", counter.snapshot().byVerbAndResource()).isZero();

        // Another IM after this one: nothing left to adopt, nothing to report.
        stop(im);
        counter.reset();
        openBackend();
        assertThat(counter.snapshot().of(ApiVerb.PATCH)).isZero();
        awaitSimulatorIdle();
        assertThat(updates.of(job.id())).hasSize(2);
    }

    @Test
    void anAdoptedJobKeepsItsSshPortAndAJobOfThisImGetsAnother() throws IOException {
        Job adopted = ucloudJob("2", "Always");
        KubeVirtComputeBackend im = openBackend();
        awaitState(adopted, JobState.RUNNING);

        Job ours = job("3");
        im.start(ours);
        awaitState(ours, JobState.RUNNING);

        assertThat(sshService(ours).getSpec().getPorts().get(0).getPort()).isNotEqualTo(UCLOUD_SSH_PORT);
        assertThat(sshService(adopted).getSpec().getPorts().get(0).getPort()).isEqualTo(UCLOUD_SSH_PORT);
    }

    @Test
    void suspendUnsuspendAndTerminateOfAnAdoptedJob() throws IOException {
        Job job = ucloudJob("4", "Always");
        String diskVolumeUid = volume(vmName(job)).getMetadata().getUid();
        KubeVirtComputeBackend im = openBackend();
        awaitState(job, JobState.RUNNING);

        im.suspend(job);
        awaitState(job, JobState.SUSPENDED);
        assertThat(sshService(job)).isNull();
        assertThat((String) vmOf(job).get("spec", "runStrategy")).isEqualTo("Halted");

        im.unsuspend(job);
        awaitState(job, JobState.RUNNING);
        // Started again, the VM has this IM's spec (as UCloud's IM replaced it on every start)...
        assertThat((Object) vmOf(job).get("spec", "template", "spec", "nodeSelector")).isNull();
        assertThat(vmOf(job).getMetadata().getAnnotations()).containsEntry(ADOPTED, "true")
                .doesNotContainKey("ucloud.dk/vmVolPath-ucloud-opt");
        // ... and the disk's volume is UCloud's, kept as it is although this IM would describe it otherwise.
        PersistentVolume disk = volume(vmName(job));
        assertThat(disk.getMetadata().getUid()).isEqualTo(diskVolumeUid);
        assertThat(disk.getSpec().getHostPath().getPath()).startsWith(UCLOUD_HOST_PATH + "/");
        assertThat(sshService(job)).isNotNull();

        im.terminate(job);
        awaitState(job, JobState.SUCCESS);
        await().until(() -> volume(vmName(job)) == null);
        assertThat(disk(job)).doesNotExist();
        assertThat(trash()).hasSize(1);
        assertThat(updates.statesOf(job.id())).containsOnlyOnce(JobState.SUCCESS);
        assertNoStateRepeated(job);
    }

    @Test
    void theSweeperLeavesAnAdoptedVolumeAloneUntilThisImTerminatesItsJob() throws IOException {
        Job job = ucloudJob("5", "Always");
        Job ended = job("6");
        endedUnderUCloud(ended);
        KubeVirtComputeBackend im = openBackend();
        awaitState(job, JobState.RUNNING);

        // Someone else deletes the VM: its claim goes, its disk's volume is Released.
        admin.genericKubernetesResources(VMS).inNamespace(namespace).withName(vmName(job)).delete();
        await().until(() -> "Released".equals(phaseOf(vmName(job))));
        awaitSimulatorIdle();
        assertThat(volume(vmName(job))).isNotNull();
        assertThat(volume(vmName(ended))).isNotNull();

        im.terminate(job);
        await().until(() -> volume(vmName(job)) == null);
        awaitSimulatorIdle();
        assertThat(volume(vmName(ended))).as("a volume of a job that ended under UCloud's IM").isNotNull();
        assertThat(volume(vmName(ended)).getMetadata().getLabels()).isNullOrEmpty();
    }

    @Test
    void aStartAdoptsAJobThatUCloudsImMadeAfterThisImOpened() throws IOException {
        KubeVirtComputeBackend im = openBackend();
        Job job = ucloudJob("7", "Halted");
        awaitSimulatorIdle();

        im.unsuspend(job);

        awaitState(job, JobState.RUNNING);
        for (HasMetadata object : objectsOf(job)) {
            assertThat(object.getMetadata().getLabels()).as(object.getKind() + " " + object.getMetadata().getName())
                    .containsEntry("app.kubernetes.io/managed-by", "ucloud-im");
        }
        assertThat(volume(vmName(job)).getSpec().getHostPath().getPath()).startsWith(UCLOUD_HOST_PATH + "/");
        assertThat(sshService(job).getSpec().getPorts().get(0).getPort()).isEqualTo(UCLOUD_SSH_PORT);
        assertThat(objectsOf(job)).hasSize(6);
        // The job names no public IP: the IP Service UCloud's IM made for it goes when this IM runs it.
        assertThat(publicIpService(job)).isNull();
    }

    @Test
    void aStartOfAJobThatUCloudsImMadeAfterThisImOpenedAdoptsItAndLeavesItAsItWas() throws IOException {
        KubeVirtComputeBackend im = openBackend();
        Job job = ucloudJob("8", "Always");
        await().until(() -> vmi(vmName(job)) != null);
        awaitSimulatorIdle();
        Map<String, String> uids = uidsOf(job);
        counter.reset();

        // The cache does not know the VM (it is not labelled as the plugin's): the start tries to make the job's
        // objects, meets the VM, reads it and adopts it instead; nothing is created or replaced.
        im.start(job);

        RequestCounts requests = counter.snapshot();
        assertThat(requests.of(ApiVerb.UPDATE) + requests.of(ApiVerb.DELETE)).as("%s", requests.byVerbAndResource())
                .isZero();
        assertThat(requests.byVerbAndResource()).as("only the VM's create was tried, and refused")
                .containsEntry("create virtualmachines", 1L).doesNotContainKey("create persistentvolumes");
        assertThat(uidsOf(job)).isEqualTo(uids);
        for (HasMetadata object : objectsOf(job)) {
            assertThat(object.getMetadata().getLabels()).as(object.getKind() + " " + object.getMetadata().getName())
                    .containsEntry("app.kubernetes.io/managed-by", "ucloud-im");
            assertThat(object.getMetadata().getAnnotations()).containsEntry(ADOPTED, "true");
        }
        assertThat((String) vmOf(job).get("spec", "runStrategy")).isEqualTo("Always");
        assertThat((Object) vmOf(job).get("spec", "template", "spec", "nodeSelector")).as("UCloud's VM spec stays")
                .isNotNull();
        awaitState(job, JobState.RUNNING);
    }

    @Test
    void aTerminateOfAJobThatUCloudsImMadeAfterThisImOpenedLeavesNothingBehind() throws IOException {
        KubeVirtComputeBackend im = openBackend();
        Job job = ucloudJob("a", "Always");
        await().until(() -> vmi(vmName(job)) != null);

        im.terminate(job);

        awaitState(job, JobState.SUCCESS);
        await().until(() -> volume(vmName(job)) == null);
        await().until(() -> snapshot().names().stream().noneMatch(name -> name.contains(job.id())));
        assertThat(disk(job)).doesNotExist();
    }

    // --- fixtures ---

    /** A job of UCloud's IM with its disk in its job folder. */
    private Job ucloudJob(String suffix, String runStrategy) throws IOException {
        Job job = job(suffix);
        String folder = fileSystem.jobFolder(job);
        ucloud.job(job.id(), runStrategy, UCLOUD_HOST_PATH + "/" + folder, 50, UCLOUD_SSH_PORT, "10.0.0.10");
        Files.createDirectories(jobFolder(job));
        Files.write(disk(job), new byte[4096]);
        return job;
    }

    /** The disk volume of a job that UCloud's IM terminated, Released (its claim gone with its VM). */
    private void endedUnderUCloud(Job job) {
        String name = vmName(job);
        admin.persistentVolumes().resource(new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder()
                .withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withPersistentVolumeReclaimPolicy("Retain").addToCapacity("storage",
                        new io.fabric8.kubernetes.api.model.Quantity("50Gi"))
                .withAccessModes("ReadWriteMany").withStorageClassName("")
                .withNewClaimRef().withApiVersion("v1").withKind("PersistentVolumeClaim").withNamespace(namespace)
                .withName(name).withUid("0b6b3a8e-gone").endClaimRef()
                .withNewHostPath().withPath(UCLOUD_HOST_PATH + "/x").endHostPath().endSpec().build()).create();
        admin.persistentVolumes().withName(name).editStatus(volume -> new io.fabric8.kubernetes.api.model
                .PersistentVolumeBuilder(volume).withNewStatus().withPhase("Released").endStatus().build());
        await().until(() -> "Released".equals(phaseOf(name)));
    }

    /** Objects that look like UCloud's but are not a job's of UCloud's IM. */
    private Lookalikes lookalikes() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("ucloud.dk/vmName", "vm-foo");
        labels.put("ucloud.dk/jobId", "foo");
        labels.put("ucloud.dk/rank", "0");
        ucloud.lookalikeVm("vm-foo", labels);
        ucloud.lookalikeVm("vm-" + unique + "8-0", null);
        // A Service named as a job's and labelled with its id, but owned by nobody.
        admin.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata()
                .withName("j-" + unique + "9").addToLabels("ucloud.dk/jobId", unique + "9").endMetadata()
                .withNewSpec().withType("ClusterIP").withPorts(new ServicePortBuilder().withName("p-4")
                        .withProtocol("TCP").withPort(4).build()).endSpec().build()).create();
        return new Lookalikes(List.of("vm-foo", "vm-" + unique + "8-0"), "j-" + unique + "9");
    }

    private final class Lookalikes {
        private final List<String> vms;
        private final String service;

        Lookalikes(List<String> vms, String service) {
            this.vms = vms;
            this.service = service;
        }

        /** No label of the plugin's, and no write of the code under test names them. */
        void assertUntouched() {
            for (String name : vms) {
                assertThat(vm(name).getMetadata().getLabels()).as(name).isNullOrEmpty();
            }
            assertThat(admin.services().inNamespace(namespace).withName(service).get().getMetadata().getLabels())
                    .doesNotContainKey("app.kubernetes.io/managed-by");
            List<String> names = new java.util.ArrayList<>(vms);
            names.add(service);
            assertThat(requestLog.requests()).filteredOn(request -> !request.startsWith("GET "))
                    .filteredOn(request -> names.stream().anyMatch(name -> request.endsWith("/" + name)))
                    .isEmpty();
        }
    }

    private List<HasMetadata> objectsOf(Job job) {
        String id = job.id();
        // Objects that are not there (an IP Service the job does not want any more) are left out.
        return java.util.stream.Stream.<HasMetadata>of(vmOf(job),
                volume(vmName(job)),
                admin.persistentVolumeClaims().inNamespace(namespace).withName(vmName(job)).get(),
                admin.network().networkPolicies().inNamespace(namespace).withName("policy-" + id).get(),
                admin.services().inNamespace(namespace).withName("j-" + id).get(),
                admin.services().inNamespace(namespace).withName("j-" + id + "-ssh").get(),
                admin.services().inNamespace(namespace).withName("j-" + id + "-ip").get())
                .filter(java.util.Objects::nonNull).toList();
    }

    private Map<String, String> uidsOf(Job job) {
        Map<String, String> uids = new LinkedHashMap<>();
        objectsOf(job).forEach(object -> uids.put(object.getKind() + "/" + object.getMetadata().getName(),
                object.getMetadata().getUid()));
        return uids;
    }

    private PersistentVolume volume(String name) {
        return admin.persistentVolumes().withName(name).get();
    }

    private String phaseOf(String volumeName) {
        PersistentVolume volume = volume(volumeName);
        return volume == null || volume.getStatus() == null ? null : volume.getStatus().getPhase();
    }
}
