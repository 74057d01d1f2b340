package dk.sdu.cloud.im.kubevirt.manifest;

import dk.sdu.cloud.im.kubevirt.KubeVirtConfig;
import dk.sdu.cloud.im.kubevirt.admission.VmCpuMillis;
import dk.sdu.cloud.im.kubevirt.admission.VmJobPlan;
import dk.sdu.cloud.im.kubevirt.cloudinit.AgentTokens;
import dk.sdu.cloud.im.kubevirt.testing.ExampleJobs;
import dk.sdu.cloud.im.kubevirt.testing.ExampleProvider;
import dk.sdu.cloud.im.spi.job.SshMode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

class VmJobObjectsFactoryTest {
    private static final String JOB_FOLDER = "home/alice#1234/Jobs/VirtualMachines/4242";
    private static final AgentTokens TOKENS = new AgentTokens("agent-secret", "server-secret");
    private static final List<String> KEYS = List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample alice@laptop");

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final JsonMapper json = JsonMapper.builder().build();

    static VmJobObjects build(ExampleProvider provider, VmJobPlan plan, OptionalInt sshPort) {
        return provider.objectsFactory().build(plan, VmJobRuntimeInputs.running(TOKENS, KEYS, sshPort));
    }

    static VmJobObjects example(String config) {
        ExampleProvider provider = ExampleProvider.load(config);
        return build(provider, provider.admission().admit(ExampleJobs.vmJob()), OptionalInt.of(2042));
    }

    private JsonNode tree(HasMetadata object) {
        return json.readTree(SERIALIZATION.asJson(object));
    }

    private static Map<String, String> jobLabels() {
        return Map.of("ucloud.dk/jobId", "4242", "app.kubernetes.io/managed-by", "ucloud-im");
    }

    @ParameterizedTest
    @ValueSource(strings = {ExampleProvider.HOSTPATH, ExampleProvider.CSI})
    void theExampleJobGivesTheUCloudObjects(String config) {
        VmJobObjects objects = example(config);

        assertThat(objects.all()).extracting(HasMetadata::getKind, o -> o.getMetadata().getName()).containsExactly(
                tuple("VirtualMachine", "vm-4242-0"),
                tuple("PersistentVolume", "vm-4242-0"),
                tuple("PersistentVolume", "vm-4242-0-opt"),
                tuple("PersistentVolume", "vm-4242-0-etc"),
                tuple("PersistentVolume", "vm-4242-0-work"),
                tuple("PersistentVolume", "vm-4242-0-r0"),
                tuple("PersistentVolume", "vm-4242-0-r1"),
                tuple("PersistentVolumeClaim", "vm-4242-0"),
                tuple("PersistentVolumeClaim", "vm-4242-0-opt"),
                tuple("PersistentVolumeClaim", "vm-4242-0-etc"),
                tuple("PersistentVolumeClaim", "vm-4242-0-work"),
                tuple("PersistentVolumeClaim", "vm-4242-0-r0"),
                tuple("PersistentVolumeClaim", "vm-4242-0-r1"),
                tuple("Secret", "vm-4242-0-cloud-init"),
                tuple("NetworkPolicy", "policy-4242"),
                tuple("Service", "j-4242"),
                tuple("Service", "j-4242-ssh"));
        assertThat(objects.all()).allSatisfy(o -> assertThat(o.getMetadata().getLabels()).containsAllEntriesOf(
                jobLabels()));
        assertThat(objects.all()).allSatisfy(o -> assertThat(o.getMetadata().getOwnerReferences()).isNullOrEmpty());
        assertThat(objects.all()).filteredOn(o -> !(o instanceof PersistentVolume))
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("ucloud-apps"));
        assertThat(objects.ownedByVirtualMachine())
                .noneMatch(o -> o instanceof PersistentVolume || o.getKind().equals("VirtualMachine"))
                .hasSize(objects.all().size() - 1 - objects.persistentVolumes().size());
    }

    @Test
    void theVirtualMachine() {
        JsonNode vm = tree(example(ExampleProvider.HOSTPATH).virtualMachine());

        assertThat(vm.path("apiVersion").asString()).isEqualTo("kubevirt.io/v1");
        assertThat(vm.path("kind").asString()).isEqualTo("VirtualMachine");
        assertThat(vm.at("/metadata/annotations").isMissingNode()).isTrue();
        JsonNode spec = vm.path("spec");
        assertThat(spec.path("runStrategy").asString()).isEqualTo("RerunOnFailure");
        assertThat(spec.has("running")).isFalse();
        assertThat(spec.at("/template/metadata/labels")).isEqualTo(json.readTree(
                "{\"ucloud.dk/jobId\":\"4242\",\"ucloud.dk/rank\":\"0\",\"ucloud.dk/vmName\":\"vm-4242-0\"}"));

        JsonNode template = spec.at("/template/spec");
        JsonNode domain = template.path("domain");
        assertThat(domain.path("cpu")).isEqualTo(json.readTree("{\"sockets\":1,\"cores\":2,\"threads\":2}"));
        assertThat(domain.at("/memory/guest").asString()).isEqualTo("16Gi");
        assertThat(domain.path("resources")).isEqualTo(json.readTree(
                "{\"requests\":{\"cpu\":\"4\",\"memory\":\"16Gi\"},\"limits\":{\"cpu\":\"4\",\"memory\":\"16Gi\"}}"));
        assertThat(domain.at("/devices/disks")).isEqualTo(json.readTree("""
                [{"name":"base","disk":{"bus":"virtio"},"bootOrder":1},
                 {"name":"cloudinitdisk","disk":{"bus":"virtio"}}]"""));
        assertThat(domain.at("/devices/interfaces")).isEqualTo(json.readTree(
                "[{\"name\":\"default\",\"masquerade\":{}}]"));
        assertThat(domain.at("/devices/filesystems")).extracting(f -> f.path("name").asString())
                .containsExactly("ucloud-opt", "ucloud-etc", "ucloud-work", "ucloud-r0", "ucloud-r1");
        assertThat(domain.at("/devices/filesystems")).allSatisfy(f ->
                assertThat(f.path("virtiofs")).isEqualTo(json.readTree("{}")));
        assertThat(template.path("networks")).isEqualTo(json.readTree("[{\"name\":\"default\",\"pod\":{}}]"));
        assertThat(template.path("volumes")).isEqualTo(json.readTree("""
                [{"name":"base","persistentVolumeClaim":{"claimName":"vm-4242-0"}},
                 {"name":"cloudinitdisk","cloudInitNoCloud":{
                    "secretRef":{"name":"vm-4242-0-cloud-init"},
                    "networkDataSecretRef":{"name":"vm-4242-0-cloud-init"}}},
                 {"name":"ucloud-opt","persistentVolumeClaim":{"claimName":"vm-4242-0-opt","readOnly":true}},
                 {"name":"ucloud-etc","persistentVolumeClaim":{"claimName":"vm-4242-0-etc","readOnly":true}},
                 {"name":"ucloud-work","persistentVolumeClaim":{"claimName":"vm-4242-0-work"}},
                 {"name":"ucloud-r0","persistentVolumeClaim":{"claimName":"vm-4242-0-r0"}},
                 {"name":"ucloud-r1","persistentVolumeClaim":{"claimName":"vm-4242-0-r1","readOnly":true}}]"""));
        assertThat(template.path("hostname").asString()).isEqualTo("j-4242");
        assertThat(template.path("subdomain").asString()).isEqualTo("j-4242");
        assertThat(template.path("dnsConfig")).isEqualTo(json.readTree(
                "{\"searches\":[\"j-4242.ucloud-apps.svc.cluster.local\",\"ucloud-apps.svc.cluster.local\",\"svc.cluster.local\",\"cluster.local\"]}"));
        assertThat(template.has("nodeSelector")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 8})
    void theGuestGetsExactlyTheProductsVcpus(int cpu) {
        ExampleProvider provider = ExampleProvider.load(ExampleProvider.HOSTPATH);
        VmJobPlan plan = provider.admission().admit(ExampleJobs.vmJob());
        VmJobPlan sized = new VmJobPlan(plan.jobId(), plan.names(), plan.application(), cpu, VmCpuMillis.whole(cpu), plan.memoryGiB(),
                plan.diskSizeGiB(), plan.imageUrl(), plan.imageSha256(), plan.hostname(), plan.jobFolder(),
                plan.mounts(), plan.ssh(), plan.forwardedPorts(), plan.networking());
        JsonNode domainCpu = tree(build(provider, sized, OptionalInt.empty()).virtualMachine())
                .at("/spec/template/spec/domain/cpu");
        int vcpus = domainCpu.path("sockets").asInt() * domainCpu.path("cores").asInt()
                * domainCpu.path("threads").asInt();
        assertThat(vcpus).isEqualTo(cpu);
    }

    @Test
    void theCpuRequestLeavesTheReservedShareAndTheLimitIsTheProductsShare() {
        ExampleProvider provider = ExampleProvider.load(ExampleProvider.HOSTPATH);
        VmJobPlan plan = provider.admission().admit(ExampleJobs.vmJob());
        VmJobPlan reserved = new VmJobPlan(plan.jobId(), plan.names(), plan.application(), 4, new VmCpuMillis(3900, 4000),
                plan.memoryGiB(), plan.diskSizeGiB(), plan.imageUrl(), plan.imageSha256(), plan.hostname(),
                plan.jobFolder(), plan.mounts(), plan.ssh(), plan.forwardedPorts(), plan.networking());

        JsonNode resources = tree(build(provider, reserved, OptionalInt.empty()).virtualMachine())
                .at("/spec/template/spec/domain/resources");

        assertThat(resources).isEqualTo(json.readTree(
                "{\"requests\":{\"cpu\":\"3900m\",\"memory\":\"16Gi\"},\"limits\":{\"cpu\":\"4\",\"memory\":\"16Gi\"}}"));
    }

    @Test
    void podLevelResourcesAreAnnotatedWhenConfigured() {
        ExampleProvider provider = ExampleProvider.load(ExampleProvider.HOSTPATH)
                .withConfig(new KubeVirtConfig(true, true, "vm-golden-images", "wss://im.example.org/agent", 300));
        VmJobObjects objects = build(provider, provider.admission().admit(ExampleJobs.vmJob()), OptionalInt.empty());
        assertThat(objects.virtualMachine().getMetadata().getAnnotations())
                .containsExactly(entry("ucloud.dk/podLevelResources", "true"));
        assertThat(objects.cloudInit().userData()).contains("wss://im.example.org/agent");
    }

    @Test
    void theDiskVolumeAndClaimFromHostPathStorage() {
        VmJobObjects objects = example(ExampleProvider.HOSTPATH);
        PersistentVolume pv = objects.diskVolume();
        assertThat(pv.getSpec().getHostPath().getPath()).isEqualTo("/mnt/ucloud/" + JOB_FOLDER);
        assertThat(pv.getSpec().getCapacity()).containsExactly(entry("storage", new Quantity("60Gi")));
        assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");
        assertThat(pv.getSpec().getClaimRef().getNamespace()).isEqualTo("ucloud-apps");
        assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo("vm-4242-0");
        assertThat(pv.getSpec().getClaimRef().getKind()).isEqualTo("PersistentVolumeClaim");

        PersistentVolumeClaim pvc = objects.diskClaim();
        assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
        assertThat(pvc.getSpec().getResources().getRequests()).containsExactly(entry("storage", new Quantity("60Gi")));
        assertThat(pvc.getSpec().getStorageClassName()).isEqualTo("");
        assertThat(pvc.getSpec().getVolumeName()).isEqualTo("vm-4242-0");
        assertThat(pvc.getSpec().getVolumeMode()).isEqualTo("Filesystem");
    }

    @Test
    void folderVolumesFromCsiStorage() {
        VmJobObjects objects = example(ExampleProvider.CSI);
        assertThat(objects.folderVolumes()).extracting(pv -> pv.getSpec().getCsi().getVolumeAttributes()
                .get("rootPath")).containsExactly(
                "/volumes/ucloud/ucloud-exe",
                "/volumes/ucloud/" + JOB_FOLDER + "/config",
                "/volumes/ucloud/" + JOB_FOLDER + "/work",
                "/volumes/ucloud/drives/17/Data",
                "/volumes/ucloud/drives/17/Reference");
        assertThat(objects.folderVolumes()).extracting(pv -> pv.getSpec().getCsi().getVolumeHandle())
                .containsExactly("ucloud-vm-4242-0-opt", "ucloud-vm-4242-0-etc", "ucloud-vm-4242-0-work",
                        "ucloud-vm-4242-0-r0", "ucloud-vm-4242-0-r1");
        assertThat(objects.folderVolumes()).extracting(pv -> pv.getSpec().getCsi().getReadOnly())
                .containsExactly(true, true, null, null, true);
        assertThat(objects.folderVolumes()).allSatisfy(pv -> assertThat(pv.getSpec().getCapacity())
                .containsExactly(entry("storage", new Quantity("1Gi"))));
        assertThat(objects.folderClaims()).allSatisfy(pvc -> {
            assertThat(pvc.getSpec().getStorageClassName()).isEqualTo("ucloud-vm-disks");
            assertThat(pvc.getSpec().getVolumeName()).isEqualTo(pvc.getMetadata().getName());
            assertThat(pvc.getSpec().getResources().getRequests()).containsExactly(
                    entry("storage", new Quantity("1Gi")));
        });
        assertThat(objects.diskClaim().getSpec().getStorageClassName()).isEqualTo("ucloud-vm-disks");
    }

    @Test
    void theCloudInitSecretHoldsBothDocuments() {
        VmJobObjects objects = example(ExampleProvider.HOSTPATH);
        Map<String, String> data = objects.cloudInitSecret().getData();
        assertThat(data).containsOnlyKeys("userdata", "networkdata");
        assertThat(decode(data.get("userdata"))).isEqualTo(objects.cloudInit().userData())
                .startsWith("#cloud-config\n").contains("agent-secret", "server-secret", KEYS.get(0), "j-4242");
        assertThat(decode(data.get("networkdata"))).isEqualTo(objects.cloudInit().networkData());
        assertThat(objects.cloudInitSecret().getType()).isEqualTo("Opaque");
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    @Test
    void theNetworkPolicyLetsTheJobTalkToItselfAndOpensSsh() {
        NetworkPolicy withSsh = example(ExampleProvider.HOSTPATH).networkPolicy();
        JsonNode policy = tree(withSsh).path("spec");
        JsonNode self = json.readTree("{\"matchLabels\":{\"ucloud.dk/vmName\":\"vm-4242-0\"}}");
        assertThat(policy.path("podSelector")).isEqualTo(self);
        assertThat(policy.path("policyTypes")).isEqualTo(json.readTree("[\"Ingress\",\"Egress\"]"));
        assertThat(policy.path("egress")).isEqualTo(json.readTree(
                "[{\"to\":[{\"podSelector\":" + self + "}]}]"));
        assertThat(policy.path("ingress")).isEqualTo(json.readTree("[{\"from\":[{\"podSelector\":" + self + "}]},"
                + "{\"from\":[{\"ipBlock\":{\"cidr\":\"0.0.0.0/0\"}}],"
                + "\"ports\":[{\"port\":22,\"protocol\":\"TCP\"}]}]"));

        ExampleProvider provider = ExampleProvider.load(ExampleProvider.HOSTPATH);
        VmJobObjects noSsh = build(provider, provider.admission().admit(ExampleJobs.vmJob(
                job -> job.sshMode(SshMode.DISABLED))), OptionalInt.empty());
        assertThat(noSsh.networkPolicy().getSpec().getIngress()).hasSize(1);
        assertThat(noSsh.sshService()).isEmpty();
    }

    @Test
    void theServices() {
        VmJobObjects objects = example(ExampleProvider.HOSTPATH);
        Service service = objects.service();
        assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(service.getSpec().getSelector()).containsExactly(
                entry("ucloud.dk/jobId", "4242"), entry("ucloud.dk/rank", "0"));
        assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName, ServicePort::getProtocol,
                ServicePort::getPort, ServicePort::getTargetPort)
                .containsExactly(tuple("p-4", "TCP", 4, new IntOrString(4)));

        Service ssh = objects.sshService().orElseThrow();
        assertThat(ssh.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(ssh.getSpec().getExternalIPs()).containsExactly("10.0.0.10");
        assertThat(ssh.getSpec().getSelector()).isEqualTo(service.getSpec().getSelector());
        assertThat(ssh.getSpec().getPorts()).extracting(ServicePort::getName, ServicePort::getProtocol,
                ServicePort::getPort, ServicePort::getTargetPort)
                .containsExactly(tuple("ssh", "TCP", 2042, new IntOrString(22)));
    }

    @Test
    void forwardedPortsAreAddedToTheJobsService() {
        ExampleProvider provider = ExampleProvider.load(ExampleProvider.HOSTPATH);
        VmJobObjects objects = build(provider, provider.admission().admit(ExampleJobs.vmJob(
                job -> job.labels.put("ucloud.dk/service-forward-tcp", "[8080, 443]"))), OptionalInt.empty());
        assertThat(objects.service().getSpec().getPorts()).extracting(ServicePort::getName)
                .containsExactly("p-4", "p-443", "p-8080");
    }

    @Test
    void noSshServiceWithoutAPortAndAPortOutsideTheRangeIsABug() {
        ExampleProvider provider = ExampleProvider.load(ExampleProvider.HOSTPATH);
        VmJobPlan plan = provider.admission().admit(ExampleJobs.vmJob());
        VmJobObjects withoutPort = build(provider, plan, OptionalInt.empty());
        assertThat(withoutPort.sshService()).isEmpty();
        assertThat(withoutPort.networkPolicy().getSpec().getIngress()).hasSize(1);
        assertThatThrownBy(() -> build(provider, plan, OptionalInt.of(2100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2100");
        assertThat(build(provider, plan, OptionalInt.of(2000)).sshService()).isPresent();
    }

    @Test
    void aHaltedVmHasNoSshService() {
        ExampleProvider provider = ExampleProvider.load(ExampleProvider.HOSTPATH);
        VmJobPlan plan = provider.admission().admit(ExampleJobs.vmJob());
        VmJobObjects halted = provider.objectsFactory().build(plan,
                new VmJobRuntimeInputs(PowerState.HALTED, TOKENS, KEYS, OptionalInt.of(2042)));
        assertThat(tree(halted.virtualMachine()).at("/spec/runStrategy").asString()).isEqualTo("Halted");
        assertThat(halted.sshService()).isEmpty();
        assertThat(halted.networkPolicy().getSpec().getIngress()).hasSize(1);
    }

    @Test
    void aPreviewShowsPlaceholdersAndTheLowestSshPort() {
        ExampleProvider provider = ExampleProvider.load(ExampleProvider.HOSTPATH);
        VmJobPlan plan = provider.admission().admit(ExampleJobs.vmJob());
        VmJobObjects preview = provider.objectsFactory().build(plan, VmJobRuntimeInputs.preview(plan, KEYS));
        assertThat(preview.sshService().orElseThrow().getSpec().getPorts().get(0).getPort()).isEqualTo(2000);
        assertThat(preview.cloudInit().userData()).contains("<agent-token>", "<server-token>")
                .doesNotContain("agent-secret");

        VmJobPlan noSsh = provider.admission().admit(ExampleJobs.vmJob(job -> job.sshMode(SshMode.DISABLED)));
        assertThat(provider.objectsFactory().build(noSsh, VmJobRuntimeInputs.preview(noSsh, KEYS)).sshService())
                .isEmpty();
    }

    @Test
    void theMountsFileListsTheUserFolders() {
        VmJobObjects objects = example(ExampleProvider.HOSTPATH);
        assertThat(objects.mountsFile().relativePath()).isEqualTo(JOB_FOLDER + "/config/mounts.yml");
        assertThat(objects.mountsFile().content()).isEqualTo("""
                mounts:
                - tag: "ucloud-r0"
                  path: "/work/Data"
                  readOnly: false
                - tag: "ucloud-r1"
                  path: "/work/Reference"
                  readOnly: true
                """);
    }

    @Test
    void theSameInputsGiveEqualObjects() {
        assertThat(example(ExampleProvider.CSI)).isEqualTo(example(ExampleProvider.CSI));
        assertThat(example(ExampleProvider.HOSTPATH).all()).isEqualTo(example(ExampleProvider.HOSTPATH).all());
    }

    @Test
    void aStorageThatBreaksItsContractIsReported() {
        ExampleProvider provider = ExampleProvider.load(ExampleProvider.HOSTPATH);
        VmJobPlan plan = provider.admission().admit(ExampleJobs.vmJob());
        VmJobObjectsFactory factory = new VmJobObjectsFactory(provider.config(), request ->
                new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder().withNewMetadata().withName("other")
                        .endMetadata().withNewSpec().endSpec().build(), "ucloud-apps");
        assertThatThrownBy(() -> factory.build(plan, VmJobRuntimeInputs.running(TOKENS, KEYS, OptionalInt.empty())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("vm-4242-0");
    }
}
