package dk.sdu.cloud.im.kubevirt.reconcile;

import dk.sdu.cloud.im.kubevirt.manifest.VmJobLabels;
import dk.sdu.cloud.im.kubevirt.testing.Awaits;
import dk.sdu.cloud.im.kubevirt.testing.EmbeddedClusterTest;
import dk.sdu.cloud.im.kubevirt.testing.UCloudImLayout;
import dk.sdu.cloud.im.simulator.ApiVerb;
import dk.sdu.cloud.im.simulator.RequestCounts;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link UCloudImAdoption} recognises as a job of UCloud's IM, and what it leaves alone. */
class UCloudImRecognitionTest extends EmbeddedClusterTest {

    @Test
    void vmNamesAreParsedAsUCloudsImDoes() {
        assertThat(UCloudImAdoption.jobOfName("vm-4242-0")).contains("4242");
        assertThat(UCloudImAdoption.jobOfName("vm-4242-1")).contains("4242");
        assertThat(UCloudImAdoption.jobOfName("vm-foo")).isEmpty();
        assertThat(UCloudImAdoption.jobOfName("vm-a-b-0")).isEmpty();
        assertThat(UCloudImAdoption.jobOfName("vm-4242-0-cloud-init")).isEmpty();
        assertThat(UCloudImAdoption.jobOfName("vm-4242-x")).isEmpty();
        assertThat(UCloudImAdoption.jobOfName("vm--0")).isEmpty();
        assertThat(UCloudImAdoption.jobOfName("xm-4242-0")).isEmpty();
        assertThat(UCloudImAdoption.jobOfName("vm-Ab-0")).isEmpty();
    }

    @Test
    void adoptsOnlyWhatTheJobsVmOwnsUnderUCloudsNamesAndASecondAdoptionOnlyLists() {
        UCloudImLayout ucloud = new UCloudImLayout(admin, namespace);
        ucloud.userDataClaim(unique + "-user-data");
        String job = unique + "1";
        String vmUid = ucloud.job(job, "Always", "/srv/ucloud/home/alice/Jobs/VirtualMachines/" + job, 50, 2000,
                "10.0.0.10");
        // Owned by the job's VM but not named as one of its objects; named as one but owned by another VM.
        admin.services().inNamespace(namespace).resource(service("debug-" + job, job, "vm-" + job + "-0", vmUid)).create();
        admin.services().inNamespace(namespace).withName("j-" + job + "-ssh").delete();
        Awaits.await().until(() -> admin.services().inNamespace(namespace).withName("j-" + job + "-ssh").get() == null);
        String otherVm = ucloud.lookalikeVm("other", null).getMetadata().getUid();
        admin.services().inNamespace(namespace).resource(service("j-" + job + "-ssh", job, "other", otherVm)).create();
        Awaits.await().until(() -> "Bound".equals(phaseOf("vm-" + job + "-0")));
        UCloudImAdoption adoption = new UCloudImAdoption(client, namespace);

        UCloudImAdoption.Report report = adoption.adoptAll();

        assertThat(report.adoptedJobs()).containsExactly(job);
        assertThat(report.patched()).containsExactlyInAnyOrder("PersistentVolumeClaim/vm-" + job + "-0",
                "PersistentVolume/vm-" + job + "-0", "NetworkPolicy/policy-" + job, "Service/j-" + job,
                "Service/j-" + job + "-ip", "VirtualMachine/vm-" + job + "-0");
        assertThat(admin.services().inNamespace(namespace).withName("debug-" + job).get().getMetadata().getLabels())
                .doesNotContainKey(VmJobLabels.MANAGED_BY);
        assertThat(admin.services().inNamespace(namespace).withName("j-" + job + "-ssh").get().getMetadata()
                .getLabels()).as("owned by another VM").doesNotContainKey(VmJobLabels.MANAGED_BY);
        assertThat(admin.persistentVolumeClaims().inNamespace(namespace).withName(UCloudImLayout.USER_DATA_CLAIM)
                .get().getMetadata().getLabels()).isNullOrEmpty();

        counter.reset();
        UCloudImAdoption.Report again = adoption.adoptAll();

        assertThat(again.adoptedJobs()).isEmpty();
        RequestCounts requests = counter.snapshot();
        assertThat(requests.writes()).isZero();
        assertThat(requests.of(ApiVerb.LIST)).as("%s", requests.byVerbAndResource()).isEqualTo(5);
    }

    @Test
    void aReleasedVolumeOfAJobThatEndedUnderUCloudsImIsNamedNeverAdoptedNeverDeleted() {
        String name = "vm-" + unique + "3-0";
        admin.persistentVolumes().resource(new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder()
                .withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withPersistentVolumeReclaimPolicy("Retain")
                .addToCapacity("storage", new io.fabric8.kubernetes.api.model.Quantity("50Gi"))
                .withAccessModes("ReadWriteMany").withStorageClassName("")
                .withNewClaimRef().withApiVersion("v1").withKind("PersistentVolumeClaim").withNamespace(namespace)
                .withName(name).withUid("gone").endClaimRef()
                .withNewHostPath().withPath("/srv/ucloud/x").endHostPath().endSpec().build()).create();
        admin.persistentVolumes().withName(name).editStatus(volume -> new io.fabric8.kubernetes.api.model
                .PersistentVolumeBuilder(volume).withNewStatus().withPhase("Released").endStatus().build());
        Awaits.await().until(() -> "Released".equals(phaseOf(name)));

        UCloudImAdoption.Report report = new UCloudImAdoption(client, namespace).adoptAll();

        assertThat(report.adoptedJobs()).isEmpty();
        assertThat(report.releasedVolumesLeftAlone()).contains(name);
        assertThat(new ObjectReconciler(client, namespace).deleteReleasedVolumes()).doesNotContain(name);
        assertThat(admin.persistentVolumes().withName(name).get().getMetadata().getLabels()).isNullOrEmpty();
    }

    @Test
    void anAdoptedReleasedVolumeIsNotDeletedByTheReconcilerUnlessItsJobWasTerminated() {
        UCloudImLayout ucloud = new UCloudImLayout(admin, namespace);
        ucloud.userDataClaim(unique + "-user-data");
        String job = unique + "4";
        ucloud.job(job, "Always", "/srv/ucloud/" + job, 50, 0, "10.0.0.10");
        String volume = "vm-" + job + "-0";
        Awaits.await().until(() -> "Bound".equals(phaseOf(volume)));
        new UCloudImAdoption(client, namespace).adoptAll();
        admin.genericKubernetesResources(VMS).inNamespace(namespace).withName(volume).delete();
        Awaits.await().until(() -> "Released".equals(phaseOf(volume)));
        ObjectReconciler reconciler = new ObjectReconciler(client, namespace);

        assertThat(reconciler.deleteReleasedVolumes()).doesNotContain(volume);

        reconciler.annotateVolume(volume, Map.of("ucloud.dk/lifecycle", "terminating"));
        assertThat(reconciler.deleteReleasedVolumes()).contains(volume);
    }

    private Service service(String name, String job, String ownerName, String ownerUid) {
        return new ServiceBuilder().withNewMetadata().withName(name).addToLabels("ucloud.dk/jobId", job)
                .addNewOwnerReference().withApiVersion("kubevirt.io/v1").withKind("VirtualMachine")
                .withName(ownerName).withUid(ownerUid).endOwnerReference().endMetadata()
                .withNewSpec().withType("ClusterIP").withPorts(new ServicePortBuilder().withName("p-4")
                        .withProtocol("TCP").withPort(4).build()).endSpec().build();
    }

    private String phaseOf(String volumeName) {
        PersistentVolume volume = admin.persistentVolumes().withName(volumeName).get();
        return volume == null || volume.getStatus() == null ? null : volume.getStatus().getPhase();
    }
}
