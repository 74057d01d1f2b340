package dk.sdu.cloud.im.kubevirt.reconcile;

import dk.sdu.cloud.im.kubevirt.admission.VmJobNames;
import dk.sdu.cloud.im.kubevirt.manifest.KubeVirtApi;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

import static dk.sdu.cloud.im.kubevirt.reconcile.KubeVirtObjects.ADOPTED;
import static dk.sdu.cloud.im.kubevirt.manifest.VmJobLabels.JOB_ID;
import static dk.sdu.cloud.im.kubevirt.manifest.VmJobLabels.MANAGED_BY;
import static dk.sdu.cloud.im.kubevirt.manifest.VmJobLabels.MANAGER;
import static java.util.Objects.requireNonNull;

/**
 * Adopts the objects of VM jobs that UCloud's own IM made in the namespace, so that the plugin's informers,
 * state tracker, sweeper and SSH port allocator see them: each gets the labels
 * {@code app.kubernetes.io/managed-by: ucloud-im} and {@code ucloud.dk/jobId: <job>} and the annotation
 * {@code ucloud.dk/adopted: "true"}, by JSON merge patch of its metadata only (nothing is recreated, no spec
 * is touched).
 *
 * <p>Recognised, and nothing else:
 * <ul>
 *   <li>a VirtualMachine named {@code vm-<job>-0} ({@code <job>} a DNS label without a dash, as UCloud's IM
 *       splits such names on dashes into exactly three parts) without a {@code managed-by} label, whose
 *       template labels are UCloud's: {@code ucloud.dk/vmName: vm-<job>-0}, {@code ucloud.dk/jobId: <job>},
 *       {@code ucloud.dk/rank: "0"}; not one being deleted;</li>
 *   <li>in the namespace, owned by that VM (an owner reference to {@code kubevirt.io/v1 VirtualMachine} of its
 *       name and uid): the claim {@code vm-<job>-0}, the NetworkPolicy {@code policy-<job>}, and the Services
 *       {@code j-<job>}, {@code j-<job>-ssh}, {@code j-<job>-ip} that also carry {@code ucloud.dk/jobId: <job>};</li>
 *   <li>the PersistentVolume {@code vm-<job>-0} of such a job, claimed by the claim {@code vm-<job>-0} of the
 *       namespace (its {@code claimRef}, or, before binding, the claim's {@code volumeName}).</li>
 * </ul>
 * An object that already has the plugin's {@code managed-by} label is left alone (it is the plugin's own, or
 * adopted). The VM is patched last, so that a job whose VM carries the mark has all its objects marked, and an
 * adoption cut short is finished by the next.
 *
 * <p>A Released volume of UCloud's naming ({@code vm-<job>-<rank>}, claimed in this namespace) whose job has no
 * VM any more is not adopted: its job ended under UCloud's IM, not under this one, so the plugin never deletes
 * it. {@link #adoptAll()} names such volumes in the log.
 */
public final class UCloudImAdoption {
    private static final Logger log = LoggerFactory.getLogger(UCloudImAdoption.class);
    private static final Pattern JOB_ID_PATTERN = Pattern.compile("[a-z0-9]+");
    private static final int MAX_JOB_ID_LENGTH = 63 - "vm--0-cloud-init".length();
    private static final String VM_NAME_LABEL = "ucloud.dk/vmName";
    private static final String RANK_LABEL = "ucloud.dk/rank";

    static final ResourceDefinitionContext CLAIMS = core("PersistentVolumeClaim", "persistentvolumeclaims", true);
    static final ResourceDefinitionContext VOLUMES = core("PersistentVolume", "persistentvolumes", false);
    static final ResourceDefinitionContext SERVICES = core("Service", "services", true);
    static final ResourceDefinitionContext POLICIES = new ResourceDefinitionContext.Builder()
            .withGroup("networking.k8s.io").withVersion("v1").withKind("NetworkPolicy").withPlural("networkpolicies")
            .withNamespaced(true).build();

    /** What an adoption did. */
    public record Report(List<String> adoptedJobs, List<String> patched, List<String> releasedVolumesLeftAlone) {
        public Report {
            adoptedJobs = List.copyOf(adoptedJobs);
            patched = List.copyOf(patched);
            releasedVolumesLeftAlone = List.copyOf(releasedVolumesLeftAlone);
        }
    }

    private final KubernetesClient client;
    private final String namespace;

    public UCloudImAdoption(KubernetesClient client, String namespace) {
        this.client = requireNonNull(client, "client is null");
        this.namespace = requireNonNull(namespace, "namespace is null");
    }

    /**
     * Adopts every job of UCloud's layout in the namespace, and finishes adoptions cut short. Lists the VMs and
     * the PersistentVolumes; the claims, NetworkPolicies and Services only when there is a job of UCloud's.
     */
    public Report adoptAll() {
        List<GenericKubernetesResource> vms = list(KubeVirtApi.virtualMachines());
        List<GenericKubernetesResource> volumes = list(VOLUMES);
        Map<String, GenericKubernetesResource> candidates = new HashMap<>();
        Set<String> jobsWithVm = new HashSet<>();
        for (GenericKubernetesResource vm : vms) {
            jobOfName(vm.getMetadata().getName()).ifPresent(jobsWithVm::add);
            ucloudJobOf(vm, true).ifPresent(job -> candidates.put(job, vm));
        }
        List<String> adopted = new ArrayList<>();
        List<String> patched = new ArrayList<>();
        if (!candidates.isEmpty()) {
            Map<String, GenericKubernetesResource> claims = byName(list(CLAIMS));
            Map<String, GenericKubernetesResource> policies = byName(list(POLICIES));
            Map<String, GenericKubernetesResource> services = byName(list(SERVICES));
            Map<String, GenericKubernetesResource> volumesByName = byName(volumes);
            Map<ResourceDefinitionContext, Map<String, GenericKubernetesResource>> found = Map.of(
                    CLAIMS, claims, POLICIES, policies, SERVICES, services, VOLUMES, volumesByName);
            for (Map.Entry<String, GenericKubernetesResource> candidate : candidates.entrySet()) {
                List<String> done = adopt(candidate.getKey(), candidate.getValue(),
                        (context, name) -> found.get(context).get(name));
                if (!done.isEmpty()) {
                    adopted.add(candidate.getKey());
                    patched.addAll(done);
                }
            }
        }
        List<String> leftAlone = new ArrayList<>();
        for (GenericKubernetesResource volume : volumes) {
            String name = volume.getMetadata().getName();
            Optional<String> job = jobOfName(name);
            if (job.isPresent() && !jobsWithVm.contains(job.get()) && !managed(volume) && released(volume)
                    && namespace.equals(string(volume, "spec", "claimRef", "namespace"))) {
                leftAlone.add(name);
            }
        }
        if (!adopted.isEmpty()) {
            log.info("Adopted {} job(s) of UCloud's IM in namespace {}: {} ({})", adopted.size(), namespace, adopted,
                    patched);
        }
        if (!leftAlone.isEmpty()) {
            log.info("Released PersistentVolumes of UCloud's IM whose jobs ended before this IM took over are left "
                    + "alone (this IM deletes only volumes of jobs it terminated): {}. They hold no disk (that is "
                    + "the file disk.img in the job folder); delete them with kubectl when they are no longer "
                    + "wanted.", leftAlone);
        }
        return new Report(adopted, patched, leftAlone);
    }

    /**
     * Adopts the job of a VM the caller has just read, when it is one of UCloud's IM that is not adopted yet;
     * reads the job's other objects by name.
     *
     * @return the VM as it is now (the one given when there was nothing to adopt), or null for null
     */
    public GenericKubernetesResource adopt(GenericKubernetesResource vm) {
        if (vm == null) {
            return null;
        }
        Optional<String> job = ucloudJobOf(vm, false);
        if (job.isEmpty()) {
            return vm;
        }
        List<String> patched = adopt(job.get(), vm, (context, name) -> read(context, name));
        log.info("Adopted job {} of UCloud's IM: {}", job.get(), patched);
        GenericKubernetesResource now = read(KubeVirtApi.virtualMachines(), vm.getMetadata().getName());
        return now == null ? vm : now;
    }

    /** Whether an object was adopted from UCloud's IM (it carries the mark {@code ucloud.dk/adopted}). */
    public static boolean isAdopted(GenericKubernetesResource object) {
        return object != null && adoptedMark(object);
    }

    /** Whether a VM is one of UCloud's IM's that the plugin has not adopted yet. */
    public static boolean isUnadopted(GenericKubernetesResource vm) {
        return vm != null && ucloudJobOf(vm, false).isPresent();
    }

    /**
     * The job of a VM of UCloud's layout: not adopted (no {@code managed-by} label) or, with
     * {@code includeAdopted}, adopted by the plugin (its label and the {@code ucloud.dk/adopted} mark).
     */
    static Optional<String> ucloudJobOf(GenericKubernetesResource vm, boolean includeAdopted) {
        if (vm.getMetadata().getDeletionTimestamp() != null) {
            return Optional.empty();
        }
        String name = vm.getMetadata().getName();
        Optional<String> job = jobOfName(name).filter(id -> name.equals(new VmJobNames(id).virtualMachine()));
        if (job.isEmpty()) {
            return Optional.empty();
        }
        boolean unadopted = !managed(vm);
        boolean adopted = MANAGER.equals(label(vm, MANAGED_BY)) && adoptedMark(vm);
        if (!unadopted && !(includeAdopted && adopted)) {
            return Optional.empty();
        }
        Object labels = vm.get("spec", "template", "metadata", "labels");
        if (!(labels instanceof Map<?, ?> template) || !name.equals(template.get(VM_NAME_LABEL))
                || !job.get().equals(template.get(JOB_ID)) || !"0".equals(String.valueOf(template.get(RANK_LABEL)))) {
            return Optional.empty();
        }
        return job;
    }

    /** {@code vm-<job>-<rank>} as UCloud's IM parses it: exactly three parts; the job a valid id. */
    static Optional<String> jobOfName(String name) {
        String[] parts = name == null ? new String[0] : name.split("-", -1);
        if (parts.length != 3 || !"vm".equals(parts[0]) || !JOB_ID_PATTERN.matcher(parts[1]).matches()
                || parts[1].length() > MAX_JOB_ID_LENGTH || !parts[2].matches("[0-9]+")) {
            return Optional.empty();
        }
        return Optional.of(parts[1]);
    }

    /** Patches the job's objects found by {@code find} that are UCloud's, the VM last; their names. */
    private List<String> adopt(String jobId, GenericKubernetesResource vm,
                               BiFunction<ResourceDefinitionContext, String, GenericKubernetesResource> find) {
        String vmName = vm.getMetadata().getName();
        String vmUid = vm.getMetadata().getUid();
        List<String> patched = new ArrayList<>();
        GenericKubernetesResource claim = find.apply(CLAIMS, vmName);
        if (ownedBy(claim, vmName, vmUid)) {
            patchIfNeeded(CLAIMS, claim, jobId).ifPresent(patched::add);
        }
        GenericKubernetesResource volume = find.apply(VOLUMES, vmName);
        if (volume != null && !managed(volume) && claimedBy(volume, claim, vmName)) {
            patchIfNeeded(VOLUMES, volume, jobId).ifPresent(patched::add);
        }
        GenericKubernetesResource policy = find.apply(POLICIES, new VmJobNames(jobId).networkPolicy());
        if (ownedBy(policy, vmName, vmUid)) {
            patchIfNeeded(POLICIES, policy, jobId).ifPresent(patched::add);
        }
        VmJobNames names = new VmJobNames(jobId);
        for (String service : List.of(names.service(), names.sshService(), names.publicIpService())) {
            GenericKubernetesResource found = find.apply(SERVICES, service);
            if (ownedBy(found, vmName, vmUid) && jobId.equals(label(found, JOB_ID))) {
                patchIfNeeded(SERVICES, found, jobId).ifPresent(patched::add);
            }
        }
        patchIfNeeded(KubeVirtApi.virtualMachines(), vm, jobId).ifPresent(patched::add);
        return patched;
    }

    private boolean claimedBy(GenericKubernetesResource volume, GenericKubernetesResource claim, String claimName) {
        Object claimRef = volume.get("spec", "claimRef");
        if (claimRef instanceof Map<?, ?> reference) {
            return namespace.equals(reference.get("namespace")) && claimName.equals(reference.get("name"));
        }
        return claim != null && volume.getMetadata().getName().equals(string(claim, "spec", "volumeName"));
    }

    /** Adds the labels and the mark unless the object is the plugin's already; "Kind/name" when it patched. */
    private Optional<String> patchIfNeeded(ResourceDefinitionContext context, GenericKubernetesResource object,
                                           String jobId) {
        if (managed(object)) {
            return Optional.empty();
        }
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        ObjectNode metadata = patch.putObject("metadata");
        metadata.putObject("labels").put(MANAGED_BY, MANAGER).put(JOB_ID, jobId);
        metadata.putObject("annotations").put(ADOPTED, "true");
        String name = object.getMetadata().getName();
        // An operation on an item (a stub) does not read the object first; one on a bare name does.
        GenericKubernetesResource stub = new GenericKubernetesResourceBuilder()
                .withApiVersion(apiVersion(context)).withKind(context.getKind())
                .withNewMetadata().withName(name).withNamespace(context.isNamespaceScoped() ? namespace : null)
                .endMetadata().build();
        try {
            if (context.isNamespaceScoped()) {
                client.genericKubernetesResources(context).inNamespace(namespace).resource(stub)
                        .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
            } else {
                client.genericKubernetesResources(context).resource(stub)
                        .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Optional.empty();   // gone meanwhile: nothing to adopt
            }
            throw new ReconcileException("Could not adopt " + context.getKind() + " " + name + " of UCloud's IM"
                    + " (job " + jobId + "): HTTP " + e.getCode() + " " + e.getMessage(), e);
        }
        return Optional.of(context.getKind() + "/" + name);
    }

    private List<GenericKubernetesResource> list(ResourceDefinitionContext context) {
        try {
            return context.isNamespaceScoped()
                    ? client.genericKubernetesResources(context).inNamespace(namespace).list().getItems()
                    : client.genericKubernetesResources(context).list().getItems();
        } catch (KubernetesClientException e) {
            throw new ReconcileException("Could not list " + context.getPlural() + " to adopt the jobs of UCloud's"
                    + " IM: HTTP " + e.getCode() + " " + e.getMessage(), e);
        }
    }

    private GenericKubernetesResource read(ResourceDefinitionContext context, String name) {
        try {
            return context.isNamespaceScoped()
                    ? client.genericKubernetesResources(context).inNamespace(namespace).withName(name).get()
                    : client.genericKubernetesResources(context).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new ReconcileException("Could not read " + context.getKind() + " " + name + " to adopt it: HTTP "
                    + e.getCode() + " " + e.getMessage(), e);
        }
    }

    private static boolean ownedBy(GenericKubernetesResource object, String vmName, String vmUid) {
        if (object == null || vmUid == null) {
            return false;
        }
        for (OwnerReference owner : object.getMetadata().getOwnerReferences()) {
            if (KubeVirtApi.API_VERSION.equals(owner.getApiVersion()) && "VirtualMachine".equals(owner.getKind())
                    && vmName.equals(owner.getName()) && vmUid.equals(owner.getUid())) {
                return true;
            }
        }
        return false;
    }

    private static boolean managed(GenericKubernetesResource object) {
        return label(object, MANAGED_BY) != null;
    }

    private static boolean adoptedMark(GenericKubernetesResource object) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations != null && "true".equals(annotations.get(ADOPTED));
    }

    private static boolean released(GenericKubernetesResource volume) {
        return "Released".equals(string(volume, "status", "phase"));
    }

    private static String label(GenericKubernetesResource object, String key) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }

    private static String string(GenericKubernetesResource object, Object... path) {
        Object value = object.get(path);
        return value == null ? null : value.toString();
    }

    private static Map<String, GenericKubernetesResource> byName(List<GenericKubernetesResource> objects) {
        Map<String, GenericKubernetesResource> byName = new HashMap<>();
        objects.forEach(object -> byName.put(object.getMetadata().getName(), object));
        return byName;
    }

    private static String apiVersion(ResourceDefinitionContext context) {
        return context.getGroup() == null || context.getGroup().isEmpty() ? context.getVersion()
                : context.getGroup() + "/" + context.getVersion();
    }

    private static ResourceDefinitionContext core(String kind, String plural, boolean namespaced) {
        return new ResourceDefinitionContext.Builder().withGroup("").withVersion("v1").withKind(kind)
                .withPlural(plural).withNamespaced(namespaced).build();
    }
}
