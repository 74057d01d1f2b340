package dk.sdu.cloud.im.kubevirt.reconcile;

import dk.sdu.cloud.im.kubevirt.testing.ClusterSnapshot;
import dk.sdu.cloud.im.kubevirt.testing.EmbeddedClusterTest;
import dk.sdu.cloud.im.kubevirt.testing.VmJobFixture;
import dk.sdu.cloud.im.simulator.ApiVerb;
import dk.sdu.cloud.im.simulator.RequestCounts;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dk.sdu.cloud.im.kubevirt.testing.Awaits.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObjectReconcilerTest extends EmbeddedClusterTest {

    ObjectReconciler reconciler;
    VmJobFixture job;
    String vmName;

    @BeforeEach
    void setUp() {
        reconciler = new ObjectReconciler(client, namespace);
        job = new VmJobFixture(unique, namespace);
        vmName = job.vmName();
    }

    void awaitRunning() {
        await().until(() -> "Running".equals(printableStatus(vmName)));
        awaitSimulatorIdle();
    }

    @Test
    void aNewJobGetsItsVmThenVolumesThenWhatTheVmOwns() {
        ReconcileResult result = reconciler.reconcile(job.desired());

        assertThat(result.changes()).extracting(ObjectChange::action).containsOnly(ObjectChange.Action.CREATED);
        // The VM first: no object of the job ever exists without it.
        assertThat(requestLog.resourcesOf("POST")).containsExactly("virtualmachines", "persistentvolumes",
                "persistentvolumeclaims", "secrets", "networkpolicies", "services", "services");
        // One read to tell a new job from a known one, then nothing but the creates.
        RequestCounts counts = counter.snapshot();
        assertThat(counts.byVerb()).containsExactlyInAnyOrderEntriesOf(Map.of(ApiVerb.GET, 1L, ApiVerb.CREATE, 7L));

        GenericKubernetesResource vm = vm(vmName);
        String uid = vm.getMetadata().getUid();
        assertThat(vm.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "ucloud-im")
                .containsEntry("ucloud.dk/jobId", unique);
        for (HasMetadata owned : List.<HasMetadata>of(
                admin.persistentVolumeClaims().inNamespace(namespace).withName(vmName).get(),
                admin.secrets().inNamespace(namespace).withName(vmName + "-cloud-init").get(),
                admin.network().networkPolicies().inNamespace(namespace).withName("policy-" + unique).get(),
                admin.services().inNamespace(namespace).withName("j-" + unique).get(),
                admin.services().inNamespace(namespace).withName(job.sshServiceName()).get())) {
            assertThat(owned.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
                assertThat(owner.getApiVersion()).isEqualTo("kubevirt.io/v1");
                assertThat(owner.getKind()).isEqualTo("VirtualMachine");
                assertThat(owner.getName()).isEqualTo(vmName);
                assertThat(owner.getUid()).isEqualTo(uid);
                assertThat(owner.getController()).isNull();
            });
            assertThat(owned.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "ucloud-im");
        }
        PersistentVolume volume = admin.persistentVolumes().withName(vmName).get();
        assertThat(volume.getMetadata().getOwnerReferences()).isEmpty();
        assertThat(volume.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "ucloud-im")
                .containsEntry("ucloud.dk/jobId", unique);
        Secret secret = admin.secrets().inNamespace(namespace).withName(vmName + "-cloud-init").get();
        assertThat(secret.getStringData()).isEmpty();
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("userdata")), StandardCharsets.UTF_8))
                .isEqualTo("#cloud-config\nusers: []\n");
        awaitRunning();
    }

    @Test
    void anObjectOfANewJobThatExistsAlreadyIsReadAndMadeAsWantedWithItsOwner() {
        // Left by someone else (or by hand) before the job's VM existed: its create meets 409.
        admin.secrets().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName(vmName + "-cloud-init").addToLabels("left", "by hand").endMetadata()
                .addToData("userdata", Base64.getEncoder().encodeToString("stale".getBytes(StandardCharsets.UTF_8)))
                .build()).create();
        requestLog.clear();

        ReconcileResult result = reconciler.reconcile(job.desired());

        assertThat(result.only(ObjectChange.Action.UPDATED)).extracting(ObjectChange::name)
                .containsExactly(vmName + "-cloud-init");
        assertThat(requestLog.requests()).containsSubsequence(
                "POST /api/v1/namespaces/" + namespace + "/secrets",
                "GET /api/v1/namespaces/" + namespace + "/secrets/" + vmName + "-cloud-init",
                "PUT /api/v1/namespaces/" + namespace + "/secrets/" + vmName + "-cloud-init");
        Secret secret = admin.secrets().inNamespace(namespace).withName(vmName + "-cloud-init").get();
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("userdata")), StandardCharsets.UTF_8))
                .isEqualTo("#cloud-config\nusers: []\n");
        assertThat(secret.getMetadata().getLabels()).containsEntry("ucloud.dk/jobId", unique);
        assertThat(secret.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(vm(vmName).getMetadata().getUid()));
        awaitRunning();
    }

    @Test
    void reconcilingAgainChangesNothingAndWritesNothing() {
        reconciler.reconcile(job.desired());
        awaitRunning();   // the simulator has written statuses, bound the claim, set the volume's claimRef
        ClusterSnapshot before = snapshot();
        counter.reset();

        ReconcileResult again = reconciler.reconcile(job.desired());

        assertThat(again.unchanged()).isTrue();
        assertThat(counter.snapshot().writes()).isZero();
        assertThat(counter.snapshot().byVerb()).containsOnlyKeys(ApiVerb.GET);
        ClusterSnapshot after = snapshot();
        assertThat(after.uids()).isEqualTo(before.uids());
        assertThat(after.versions()).isEqualTo(before.versions());
    }

    @Test
    void aChangedDesireUpdatesOnlyWhatChanged() {
        reconciler.reconcile(job.desired());
        awaitRunning();
        String clusterUid = admin.services().inNamespace(namespace).withName(job.sshServiceName()).get()
                .getMetadata().getUid();
        counter.reset();

        ReconcileResult result = reconciler.reconcile(job.sshPort(2345).userData("#cloud-config\nusers: [x]\n").desired());

        assertThat(result.only(ObjectChange.Action.UPDATED)).extracting(ObjectChange::name)
                .containsExactlyInAnyOrder(vmName + "-cloud-init", job.sshServiceName());
        assertThat(counter.snapshot().of(ApiVerb.UPDATE)).isEqualTo(2);
        assertThat(counter.snapshot().writes()).isEqualTo(2);
        Service ssh = admin.services().inNamespace(namespace).withName(job.sshServiceName()).get();
        assertThat(ssh.getSpec().getPorts()).singleElement().satisfies(port -> assertThat(port.getPort()).isEqualTo(2345));
        assertThat(ssh.getMetadata().getUid()).isEqualTo(clusterUid);
        assertThat(ssh.getMetadata().getOwnerReferences()).hasSize(1);
    }

    @Test
    void whatTheServerAddsIsKeptOnUpdate() {
        reconciler.reconcile(job.desired());
        awaitRunning();
        admin.services().inNamespace(namespace).withName("j-" + unique)
                .edit(s -> new ServiceBuilder(s).editSpec().withClusterIP("10.96.0.7").withSessionAffinity("None")
                        .endSpec().build());
        assertThat(reconciler.reconcile(job.desired()).unchanged()).isTrue();

        ReconcileResult result = reconciler.reconcile(withServicePort(job.desired(), 8080));

        assertThat(result.only(ObjectChange.Action.UPDATED)).extracting(ObjectChange::name).containsExactly("j-" + unique);
        Service service = admin.services().inNamespace(namespace).withName("j-" + unique).get();
        assertThat(service.getSpec().getClusterIP()).isEqualTo("10.96.0.7");
        assertThat(service.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(4, 8080);
        // The volume kept the claimRef the binder gave it through the reconciles.
        assertThat(admin.persistentVolumes().withName(vmName).get().getSpec().getClaimRef()).isNotNull();
    }

    @Test
    void aLabelOrAnnotationOfOursThatIsNoLongerWantedGoes() {
        DesiredObjects annotated = job.desired();
        annotated.vm().getMetadata().setAnnotations(Map.of("ucloud.dk/vmVolPath-home", "home/u", "other.io/x", "y"));
        reconciler.reconcile(annotated);
        awaitRunning();
        admin.genericKubernetesResources(VMS).inNamespace(namespace).withName(vmName).edit(vm -> {
            vm.getMetadata().getAnnotations().put("someone.else/note", "keep me");
            return vm;
        });

        ReconcileResult result = reconciler.reconcile(job.desired());

        assertThat(result.only(ObjectChange.Action.UPDATED)).extracting(ObjectChange::name).containsExactly(vmName);
        assertThat(vm(vmName).getMetadata().getAnnotations()).doesNotContainKey("ucloud.dk/vmVolPath-home")
                .containsEntry("other.io/x", "y").containsEntry("someone.else/note", "keep me");
        assertThat(reconciler.reconcile(job.desired()).unchanged()).isTrue();
    }

    @Test
    void aFailedStepThrowsAfterTheEarlierOnesAndTheNextReconcileFinishes() {
        embedded.server().expect().post().withPath("/api/v1/namespaces/" + namespace + "/services")
                .andReturn(500, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":500,"
                        + "\"message\":\"etcdserver: request timed out\"}").once();

        assertThatThrownBy(() -> reconciler.reconcile(job.desired()))
                .isInstanceOf(ReconcileException.class)
                .hasMessageContaining("Could not create Service j-" + unique)
                .hasMessageContaining("namespace " + namespace)
                .hasMessageContaining("etcdserver: request timed out")
                .hasMessageContaining("HTTP 500");
        assertThat(snapshot().names()).contains("PersistentVolume/" + vmName, "VirtualMachine/" + vmName,
                "PersistentVolumeClaim/" + vmName, "Secret/" + vmName + "-cloud-init", "NetworkPolicy/policy-" + unique)
                .doesNotContain("Service/j-" + unique, "Service/" + job.sshServiceName());
        String vmUid = vm(vmName).getMetadata().getUid();

        ReconcileResult retry = reconciler.reconcile(job.desired());

        assertThat(retry.only(ObjectChange.Action.CREATED)).extracting(ObjectChange::name)
                .containsExactly("j-" + unique, job.sshServiceName());
        assertThat(retry.only(ObjectChange.Action.UPDATED)).isEmpty();
        assertThat(vm(vmName).getMetadata().getUid()).isEqualTo(vmUid);
        assertThat(snapshot().orphans()).isEmpty();
        awaitRunning();
    }

    @Test
    void aConflictIsRetriedWithTheObjectReadAgain() {
        reconciler.reconcile(job.desired());
        String secretPath = "/api/v1/namespaces/" + namespace + "/secrets/" + vmName + "-cloud-init";
        embedded.server().expect().put().withPath(secretPath)
                .andReturn(409, "{\"kind\":\"Status\",\"code\":409,\"reason\":\"Conflict\",\"message\":\"changed\"}")
                .once();
        counter.reset();

        ReconcileResult result = reconciler.reconcile(job.userData("#cloud-config\n# v2\n").desired());

        assertThat(result.only(ObjectChange.Action.UPDATED)).extracting(ObjectChange::name)
                .containsExactly(vmName + "-cloud-init");
        assertThat(counter.snapshot().byVerbAndResource()).containsEntry("update secrets", 2L);
        assertThat(new String(Base64.getDecoder().decode(admin.secrets().inNamespace(namespace)
                .withName(vmName + "-cloud-init").get().getData().get("userdata")), StandardCharsets.UTF_8))
                .isEqualTo("#cloud-config\n# v2\n");
    }

    @Test
    void conflictsWithoutEndGiveUpClearly() {
        reconciler.reconcile(job.desired());
        embedded.server().expect().put().withPath("/api/v1/namespaces/" + namespace + "/secrets/" + vmName + "-cloud-init")
                .andReturn(409, "{\"kind\":\"Status\",\"code\":409,\"reason\":\"Conflict\"}")
                .times(ObjectReconciler.CONFLICT_ATTEMPTS);

        assertThatThrownBy(() -> reconciler.reconcile(job.userData("#cloud-config\n# v3\n").desired()))
                .isInstanceOf(ReconcileException.class)
                .hasMessageContaining("Secret " + vmName + "-cloud-init")
                .hasMessageContaining(ObjectReconciler.CONFLICT_ATTEMPTS + " conflicts in a row");
    }

    @Test
    void aVolumeWhoseSourceWouldChangeIsReportedAndNothingIsWritten() {
        reconciler.reconcile(job.desired());
        counter.reset();

        assertThatThrownBy(() -> reconciler.reconcile(job.hostPathRoot("/other/storage").desired()))
                .isInstanceOf(ImmutableFieldException.class)
                .hasMessageContaining("PersistentVolume " + vmName)
                .hasMessageContaining("spec.hostPath")
                .hasMessageContaining("/mnt/storage/jobs/" + unique)
                .hasMessageContaining("/other/storage/jobs/" + unique)
                .hasMessageContaining("does not allow changing it");
        assertThat(counter.snapshot().writes()).isZero();
        assertThat(admin.persistentVolumes().withName(vmName).get().getSpec().getHostPath().getPath())
                .isEqualTo("/mnt/storage/jobs/" + unique);
    }

    @Test
    void aVolumeMayChangeWhatKubernetesLetsChange() {
        reconciler.reconcile(job.desired());
        DesiredObjects bigger = job.desired();
        PersistentVolume volume = new PersistentVolumeBuilder(bigger.volumes().get(0)).editSpec()
                .withPersistentVolumeReclaimPolicy("Delete").endSpec().build();

        ReconcileResult result = reconciler.reconcile(
                new DesiredObjects(bigger.jobId(), bigger.vm(), bigger.ownedByVm(), List.of(volume)));

        assertThat(result.only(ObjectChange.Action.UPDATED)).extracting(ObjectChange::name).containsExactly(vmName);
        assertThat(admin.persistentVolumes().withName(vmName).get().getSpec().getPersistentVolumeReclaimPolicy())
                .isEqualTo("Delete");
    }

    @Test
    void aReconcileKeepsTheRunStrategyOfAnExistingVmAndASuspendedJobWithoutSsh() {
        reconciler.reconcile(job.desired());
        awaitRunning();
        reconciler.suspend(unique);
        await().until(() -> "Stopped".equals(printableStatus(vmName)));

        ReconcileResult result = reconciler.reconcile(job.desired());

        assertThat(result.unchanged()).isTrue();
        assertThat((String) vm(vmName).get("spec", "runStrategy")).isEqualTo("Halted");
        assertThat(admin.services().inNamespace(namespace).withName(job.sshServiceName()).get()).isNull();
        counter.reset();
        assertThat(reconciler.reconcile(job.desired()).unchanged()).isTrue();
        assertThat(counter.snapshot().writes()).isZero();
    }

    @Test
    void suspendHaltsAndRemovesSshAndUnsuspendBringsBothBack() {
        reconciler.reconcile(job.desired());
        awaitRunning();
        counter.reset();

        ReconcileResult suspended = reconciler.suspend(unique);

        assertThat(suspended.changes()).extracting(ObjectChange::toString).containsExactly(
                "updated VirtualMachine/" + vmName, "deleted Service/" + job.sshServiceName());
        // Halting deletes both Services that exist only while the VM runs, without reading them first: the
        // public IP Service's DELETE finds nothing (this job has none) and changes nothing.
        assertThat(counter.snapshot().byVerb()).containsExactlyInAnyOrderEntriesOf(
                Map.of(ApiVerb.GET, 1L, ApiVerb.PATCH, 1L, ApiVerb.DELETE, 2L));
        await().until(() -> "Stopped".equals(printableStatus(vmName)) && vmi(vmName) == null);
        assertThat(reconciler.suspend(unique).only(ObjectChange.Action.UPDATED)).isEmpty();

        ReconcileResult unsuspended = reconciler.unsuspend(job.desired());

        assertThat(unsuspended.changes()).extracting(ObjectChange::toString)
                .contains("updated VirtualMachine/" + vmName, "created Service/" + job.sshServiceName());
        assertThat((String) vm(vmName).get("spec", "runStrategy")).isEqualTo("RerunOnFailure");
        awaitRunning();
    }

    @Test
    void suspendingOrTerminatingAJobWithoutAVmIsFine() {
        assertThat(reconciler.suspend(unique).changes()).isEmpty();
        assertThat(reconciler.terminate(unique).changes()).isEmpty();
    }

    @Test
    void terminateLeavesOnlyTheReleasedVolumeWhichIsThenDeleted() {
        String foreign = "vm-" + unique + "-foreign";
        admin.resource(new PersistentVolumeBuilder().withNewMetadata().withName(foreign).endMetadata()
                .withNewSpec().withPersistentVolumeReclaimPolicy("Retain").withNewHostPath().withPath("/x").endHostPath()
                .endSpec().withNewStatus().withPhase("Released").endStatus().build()).create();
        reconciler.reconcile(job.desired());
        awaitRunning();

        ReconcileResult terminated = reconciler.terminate(unique);

        assertThat(terminated.changes()).extracting(ObjectChange::toString).containsExactly("deleted VirtualMachine/" + vmName);
        await().until(() -> snapshot().names().equals(java.util.Set.of("PersistentVolume/" + vmName,
                "PersistentVolume/" + foreign)));
        await().until(() -> "Released".equals(snapshot().volumePhases().get(vmName)));

        assertThat(reconciler.deleteReleasedVolumes()).containsExactly(vmName);
        assertThat(snapshot().names()).containsExactly("PersistentVolume/" + foreign);
        assertThat(reconciler.deleteReleasedVolumes()).isEmpty();
    }

    @Test
    void aVmThatCouldNotBeCreatedLeavesNothing() {
        embedded.server().expect().post().withPath("/apis/kubevirt.io/v1/namespaces/" + namespace + "/virtualmachines")
                .andReturn(500, "{\"kind\":\"Status\",\"code\":500,\"message\":\"webhook unavailable\"}").once();

        assertThatThrownBy(() -> reconciler.reconcile(job.desired())).hasMessageContaining("VirtualMachine " + vmName)
                .hasMessageContaining("webhook unavailable");

        assertThat(snapshot().names()).isEmpty();
    }

    @Test
    void terminateDeletesAVolumeThatNoClaimEverBound() {
        failNextClaim();
        assertThatThrownBy(() -> reconciler.reconcile(job.desired())).hasMessageContaining("PersistentVolumeClaim " + vmName);
        assertThat(snapshot().names()).containsExactlyInAnyOrder("VirtualMachine/" + vmName, "PersistentVolume/" + vmName);

        ReconcileResult terminated = reconciler.terminate(unique);

        assertThat(terminated.changes()).extracting(ObjectChange::toString)
                .containsExactly("deleted VirtualMachine/" + vmName, "deleted PersistentVolume/" + vmName);
        assertThat(snapshot().names()).isEmpty();
    }

    @Test
    void terminateDeletesAVolumeReservedForAClaimThatNeverCame() {
        // As the manifest function makes them: pre-bound to its claim by name (a claimRef without uid).
        DesiredObjects desired = job.desired();
        PersistentVolume reserved = new PersistentVolumeBuilder(desired.volumes().get(0)).editSpec()
                .withNewClaimRef().withApiVersion("v1").withKind("PersistentVolumeClaim").withNamespace(namespace)
                .withName(vmName).endClaimRef().endSpec().build();
        failNextClaim();
        assertThatThrownBy(() -> reconciler.reconcile(
                new DesiredObjects(unique, desired.vm(), desired.ownedByVm(), List.of(reserved))))
                .isInstanceOf(ReconcileException.class);

        assertThat(reconciler.terminate(unique).changes()).extracting(ObjectChange::toString)
                .containsExactly("deleted VirtualMachine/" + vmName, "deleted PersistentVolume/" + vmName);
        assertThat(snapshot().names()).isEmpty();
    }

    @Test
    void terminateKeepsABoundVolumeForItsRelease() {
        reconciler.reconcile(job.desired());
        awaitRunning();

        assertThat(reconciler.terminate(unique).changes()).extracting(ObjectChange::toString)
                .containsExactly("deleted VirtualMachine/" + vmName);
        await().until(() -> "Released".equals(snapshot().volumePhases().get(vmName)));
        assertThat(reconciler.deleteVolume(vmName)).isTrue();
        assertThat(reconciler.deleteVolume(vmName)).isFalse();
        assertThat(snapshot().names()).isEmpty();
    }

    @Test
    void suspendSetsTheGivenAnnotationsInTheSameWrite() {
        reconciler.reconcile(job.desired());
        awaitRunning();
        counter.reset();

        reconciler.suspend(unique, Map.of("ucloud.dk/lifecycle", "suspended"));

        assertThat(counter.snapshot().byVerb()).containsEntry(ApiVerb.PATCH, 1L);
        GenericKubernetesResource vm = vm(vmName);
        assertThat((String) vm.get("spec", "runStrategy")).isEqualTo("Halted");
        assertThat(vm.getMetadata().getAnnotations()).containsEntry("ucloud.dk/lifecycle", "suspended");
        counter.reset();
        // Halted and annotated already: only reads (and the SSH Service is gone).
        reconciler.suspend(unique, Map.of("ucloud.dk/lifecycle", "suspended"));
        assertThat(counter.snapshot().of(ApiVerb.PATCH)).isZero();
        // Halted, but another annotation wanted: written.
        reconciler.suspend(unique, Map.of("ucloud.dk/lifecycle", "other"));
        assertThat(vm(vmName).getMetadata().getAnnotations()).containsEntry("ucloud.dk/lifecycle", "other");
    }

    @Test
    void aVolumeIsAnnotatedWithoutTouchingTheRest() {
        reconciler.reconcile(job.desired());

        assertThat(reconciler.annotateVolume(vmName, Map.of("ucloud.dk/lifecycle", "terminating"))).isTrue();
        assertThat(reconciler.annotateVolume("vm-" + unique + "-missing", Map.of("a", "b"))).isFalse();

        PersistentVolume volume = admin.persistentVolumes().withName(vmName).get();
        assertThat(volume.getMetadata().getAnnotations()).containsEntry("ucloud.dk/lifecycle", "terminating");
        assertThat(volume.getSpec().getHostPath().getPath()).isEqualTo("/mnt/storage/jobs/" + unique);
        assertThat(volume.getMetadata().getLabels()).containsEntry("ucloud.dk/jobId", unique);
    }

    @Test
    void aReconcileGivenTheVmJustReadDoesNotReadItAgain() {
        reconciler.reconcile(job.desired());
        GenericKubernetesResource vm = reconciler.virtualMachine(unique).orElseThrow();
        requestLog.clear();

        assertThat(reconciler.reconcile(job.desired(), vm).unchanged()).isTrue();

        assertThat(requestLog.requests().stream().filter(r -> r.startsWith("GET ") && r.contains("/virtualmachines/")))
                .isEmpty();
        assertThat(reconciler.virtualMachine("nothing-" + unique)).isEmpty();
    }

    private void failNextClaim() {
        embedded.server().expect().post().withPath("/api/v1/namespaces/" + namespace + "/persistentvolumeclaims")
                .andReturn(500, "{\"kind\":\"Status\",\"code\":500,\"message\":\"quota service down\"}").once();
    }

    @Test
    void anObjectOfAnotherNamespaceIsRefused() {
        DesiredObjects desired = job.desired();
        List<HasMetadata> owned = new ArrayList<>(desired.ownedByVm());
        owned.set(0, new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("elsewhere")
                .withNamespace("kube-system").endMetadata().build());

        assertThatThrownBy(() -> reconciler.reconcile(new DesiredObjects(unique, desired.vm(), owned, desired.volumes())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ConfigMap elsewhere").hasMessageContaining("kube-system");
    }

    private DesiredObjects withServicePort(DesiredObjects desired, int port) {
        List<HasMetadata> owned = new ArrayList<>();
        for (HasMetadata object : desired.ownedByVm()) {
            if (object instanceof Service service && service.getMetadata().getName().equals("j-" + unique)) {
                owned.add(new ServiceBuilder(service).editSpec().addNewPort().withName("p-" + port).withProtocol("TCP")
                        .withPort(port).withTargetPort(new io.fabric8.kubernetes.api.model.IntOrString(port)).endPort()
                        .endSpec().build());
            } else {
                owned.add(object);
            }
        }
        return new DesiredObjects(desired.jobId(), desired.vm(), owned, desired.volumes());
    }
}
