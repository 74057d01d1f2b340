package dk.sdu.cloud.im.kubevirt.reconcile;

import dk.sdu.cloud.im.kubevirt.admission.VmJobNames;
import dk.sdu.cloud.im.kubevirt.manifest.KubeVirtApi;
import dk.sdu.cloud.im.kubevirt.manifest.PowerState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dk.sdu.cloud.im.kubevirt.manifest.VmJobLabels.JOB_ID;
import static dk.sdu.cloud.im.kubevirt.manifest.VmJobLabels.MANAGED_BY;
import static dk.sdu.cloud.im.kubevirt.manifest.VmJobLabels.MANAGER;
import static java.util.Objects.requireNonNull;

/**
 * Brings a VM job's objects in the cluster in line with its {@link DesiredObjects}, and carries out the
 * lifecycle steps that are object changes: suspend, unsuspend, terminate, and the deletion of volumes that the
 * plugin made and that are Released.
 *
 * <p>A reconcile of a new job creates the VirtualMachine, then the PersistentVolumes, then the objects the VM
 * owns, each with an owner reference {@code {apiVersion: kubevirt.io/v1, kind: VirtualMachine, name, uid}} to the
 * VM. The VM comes first so that a job's objects never exist without it: a reconcile cut off after any step
 * leaves a VM whose next reconcile (or deletion) takes care of the rest, and a volume of the job without a VM
 * means the VM was deleted, never that a start was cut short. A reconcile of a job whose VM exists updates the
 * VM last, so that a VM switched on finds everything else in place. It is
 * idempotent: when nothing differs it only reads (from its {@link ObjectCache} when it has one: then it makes
 * no request at all; else one GET per object), zero writes; what differs is written with a PUT carrying the
 * {@code resourceVersion} it was read with, retried a few times on 409 (or 404) after a read from the API
 * server, never from the cache. An object the cache says is missing is created; a 409 there is read from the
 * API server too. A step that fails throws
 * {@link ReconcileException} after the earlier steps are done; the next reconcile carries on from what exists.
 * Every object gets the labels {@code app.kubernetes.io/managed-by: ucloud-im} and {@code ucloud.dk/jobId}.
 * A volume of the job that is {@code Released} (its claim went with a deleted VM) loses its stale
 * {@code claimRef}, so that the claim made again can bind it.
 *
 * <p>The VM's {@code spec.runStrategy} belongs to the lifecycle, not to the reconcile: once the VM exists, a
 * reconcile keeps whatever it has, {@link #suspend} sets {@code Halted} and {@link #unsuspend} {@code RerunOnFailure}.
 * While the VM is halted the Services that exist only while it runs (SSH, public IPs) are kept away, so that a
 * reconcile after an interrupted suspend finishes it; a running VM's reconcile deletes those it no longer wants.
 *
 * <p>Stateless and thread-safe; calls for the same job must not overlap (the caller serialises per job).
 */
public final class ObjectReconciler {

    private static final Logger log = LoggerFactory.getLogger(ObjectReconciler.class);
    /** Attempts of one write that keeps meeting 409 Conflict before giving up. */
    static final int CONFLICT_ATTEMPTS = 5;
    private static final String HALTED = "Halted";

    /** PersistentVolume spec fields that may change; every other one (the source, volumeMode) may not. */
    private static final Set<String> MUTABLE_VOLUME_FIELDS = Set.of("capacity", "accessModes",
            "persistentVolumeReclaimPolicy", "storageClassName", "mountOptions", "claimRef", "nodeAffinity",
            "volumeAttributesClassName");
    /** PersistentVolumeClaim spec fields that may change after creation. */
    private static final Set<String> MUTABLE_CLAIM_FIELDS = Set.of("resources", "volumeAttributesClassName");

    private final KubernetesClient client;
    private final String namespace;
    private final KubernetesSerialization serialization;
    private final ObjectCache cache;
    private final Map<Class<? extends KubernetesResource>, ResourceDefinitionContext> contexts =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** A reconciler that reads every object from the API server. */
    public ObjectReconciler(KubernetesClient client, String namespace) {
        this(client, namespace, ObjectCache.NONE);
    }

    /** A reconciler that reads the objects from the cache first (see the class comment). */
    public ObjectReconciler(KubernetesClient client, String namespace, ObjectCache cache) {
        this.client = requireNonNull(client, "client is null");
        this.namespace = requireNonNull(namespace, "namespace is null");
        this.cache = requireNonNull(cache, "cache is null");
        this.serialization = client.getKubernetesSerialization();
    }

    /** Creates or updates a job's objects; the run strategy of an existing VM is kept. */
    public ReconcileResult reconcile(DesiredObjects desired) {
        requireNonNull(desired, "desired is null");
        return apply(desired, false, readVm(desired.vmName()));
    }

    /**
     * {@link #reconcile(DesiredObjects)} with the job's VM as the caller has just read it
     * ({@link #virtualMachine(String)}), which saves reading it again.
     *
     * @param existingVm the VM, or null when it does not exist
     */
    public ReconcileResult reconcile(DesiredObjects desired, GenericKubernetesResource existingVm) {
        requireNonNull(desired, "desired is null");
        return apply(desired, false, toNode(existingVm));
    }

    /**
     * Sets the VM's run strategy to the running one ({@link PowerState#RUNNING}) and ensures every object (the
     * SSH Service included).
     */
    public ReconcileResult unsuspend(DesiredObjects desired) {
        requireNonNull(desired, "desired is null");
        return apply(desired.withRunStrategy(PowerState.RUNNING.runStrategy()), true, readVm(desired.vmName()));
    }

    /** {@link #unsuspend(DesiredObjects)} with the job's VM as just read (null when it does not exist). */
    public ReconcileResult unsuspend(DesiredObjects desired, GenericKubernetesResource existingVm) {
        requireNonNull(desired, "desired is null");
        return apply(desired.withRunStrategy(PowerState.RUNNING.runStrategy()), true, toNode(existingVm));
    }

    /** The job's VirtualMachine as the server has it now. */
    public java.util.Optional<GenericKubernetesResource> virtualMachine(String jobId) {
        requireNonNull(jobId, "jobId is null");
        String name = new VmJobNames(jobId).virtualMachine();
        GenericKubernetesResource found = step("read", "VirtualMachine", name,
                () -> operations(KubeVirtApi.virtualMachines()).withName(name).get());
        record(KubeVirtApi.virtualMachines(), name, found);
        return java.util.Optional.ofNullable(found);
    }

    /**
     * The job's VirtualMachine as the cache has it (the IM's own writes included); read from the server only when
     * the cache cannot tell. Read-only. For deciding what a start does; whatever is written from it carries its
     * {@code resourceVersion}.
     *
     * <p>The cache holds only VMs labelled as the plugin's, so a VM that another IM (UCloud's own) made since
     * the plugin opened looks absent here. Making the job's objects then meets the VM at once: the reconcile
     * throws {@link VmAppearedException} before it writes anything, and the caller reads the VM with
     * {@link #virtualMachine(String)}. A start of a new job thus makes no read at all.
     */
    public java.util.Optional<GenericKubernetesResource> knownVirtualMachine(String jobId) {
        requireNonNull(jobId, "jobId is null");
        String name = new VmJobNames(jobId).virtualMachine();
        ObjectCache.Lookup cached = cache.lookup(KubeVirtApi.virtualMachines(), name);
        return cached.known() ? cached.existing() : virtualMachine(jobId);
    }

    private JsonNode readVm(String name) {
        return get(KubeVirtApi.virtualMachines(), "VirtualMachine", name);
    }

    private JsonNode toNode(GenericKubernetesResource object) {
        return object == null ? null : serialization.convertValue(object, JsonNode.class);
    }

    private ReconcileResult apply(DesiredObjects desired, boolean applyRunStrategy, JsonNode existingVm) {
        List<ObjectChange> changes = new ArrayList<>();
        String jobId = desired.jobId();
        // One read decides the path: a job without a VM is (nearly always) new, so its objects are created
        // without reading them first; a job with one is compared object by object.
        boolean fresh = existingVm == null;

        if (fresh) {
            // The owner first: what it owns needs its uid, and nothing of the job exists without it. A new job's
            // objects go out as they are, stamped, without the trees a comparison needs.
            GenericKubernetesResource vm = stamped(desired.vm(), jobId, true);
            boolean halted = vm.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                    && HALTED.equals(spec.get("runStrategy"));
            GenericKubernetesResource created = createNew(KubeVirtApi.virtualMachines(), "VirtualMachine", vm);
            if (created == null) {
                // Someone else's VM (or one made since the caller looked): not overwritten from a guess.
                throw new VmAppearedException(jobId, desired.vmName());
            }
            changes.add(new ObjectChange("VirtualMachine", desired.vmName(), ObjectChange.Action.CREATED));
            createDependents(desired, created, halted, changes);
        } else {
            JsonNode vmWanted = prepare(desired.vm(), jobId, true);
            if (!applyRunStrategy && existingVm.path("spec").has("runStrategy")) {
                ((ObjectNode) vmWanted.path("spec")).set("runStrategy", existingVm.path("spec").get("runStrategy"));
            }
            boolean halted = HALTED.equals(vmWanted.path("spec").path("runStrategy").asString(""));
            // The VM last: one that is switched on finds its volumes, Secret and Services in place, so the job
            // is not reported running before its SSH Service exists.
            ensureDependents(desired, ownerReference(existingVm), halted, changes);
            changes.add(ensure(KubeVirtApi.virtualMachines(), vmWanted, existingVm));
        }
        ReconcileResult result = new ReconcileResult(changes);
        if (!result.unchanged()) {
            log.info("Reconciled job {}: {}", jobId, result.changes().stream()
                    .filter(c -> c.action() != ObjectChange.Action.UNCHANGED).toList());
        }
        return result;
    }

    /**
     * A new job's volumes, then the objects its VM owns, each created as it is; one that exists already (409) is
     * read from the API server and compared like any other. The Services that exist only while the VM runs are
     * left out while it is halted.
     */
    private void createDependents(DesiredObjects desired, GenericKubernetesResource vm, boolean halted,
                                  List<ObjectChange> changes) {
        String jobId = desired.jobId();
        for (HasMetadata volume : desired.volumes()) {
            changes.add(createOrConverge(stamped(volume, jobId, false), jobId, false));
        }
        List<String> whileRunning = KubeVirtObjects.whileRunningServiceNames(jobId);
        OwnerReference owner = new OwnerReferenceBuilder().withApiVersion(KubeVirtApi.API_VERSION)
                .withKind("VirtualMachine").withName(vm.getMetadata().getName()).withUid(vm.getMetadata().getUid())
                .build();
        for (HasMetadata object : desired.ownedByVm()) {
            if (halted && "Service".equals(object.getKind()) && whileRunning.contains(object.getMetadata().getName())) {
                continue;
            }
            HasMetadata wanted = stamped(object, jobId, true);
            wanted.getMetadata().setOwnerReferences(List.of(owner));
            changes.add(createOrConverge(wanted, jobId, true));
        }
    }

    /** Creates a stamped object; one that exists already is compared (its owner reference included) and updated. */
    private ObjectChange createOrConverge(HasMetadata wanted, String jobId, boolean namespaced) {
        ResourceDefinitionContext context = contextOf(wanted);
        String kind = wanted.getKind();
        String name = wanted.getMetadata().getName();
        if (createNew(context, kind, wanted) != null) {
            return new ObjectChange(kind, name, ObjectChange.Action.CREATED);
        }
        return converge(context, prepare(wanted, jobId, namespaced), kind, name, null);
    }

    /**
     * The volumes, then the objects the VM owns, of a job whose VM exists. The Services that exist only while the
     * VM runs ({@link KubeVirtObjects#whileRunningServiceNames}) are kept away from a halted VM, and deleted from a
     * running one that no longer wants them (a public IP detached).
     */
    private void ensureDependents(DesiredObjects desired, JsonNode owner, boolean halted, List<ObjectChange> changes) {
        String jobId = desired.jobId();
        for (HasMetadata volume : desired.volumes()) {
            changes.add(ensure(contextOf(volume), prepare(volume, jobId, false), null));
        }
        List<String> whileRunning = KubeVirtObjects.whileRunningServiceNames(jobId);
        Set<String> wanted = new java.util.HashSet<>();
        for (HasMetadata object : desired.ownedByVm()) {
            boolean service = "Service".equals(object.getKind());
            if (halted && service && whileRunning.contains(object.getMetadata().getName())) {
                continue;
            }
            if (service) {
                wanted.add(object.getMetadata().getName());
            }
            ObjectNode wantedObject = prepare(object, jobId, true);
            ((ObjectNode) wantedObject.path("metadata")).set("ownerReferences",
                    JsonNodeFactory.instance.arrayNode().add(owner));
            changes.add(ensure(contextOf(object), wantedObject, null));
        }
        for (String name : whileRunning) {
            // Read first: a reconcile with nothing to do must not write.
            if (!wanted.contains(name) && exists(serviceContext(), "Service", name)) {
                deleteIfPresent(serviceContext(), "Service", name).ifPresent(changes::add);
            }
        }
    }

    /**
     * Halts the job's VM ({@code spec.runStrategy: Halted}, by JSON merge patch) and deletes the Services that
     * exist only while it runs (SSH, public IPs).
     * A job without a VM is left as it is.
     */
    public ReconcileResult suspend(String jobId) {
        return suspend(jobId, Map.of());
    }

    /**
     * {@link #suspend(String)}, setting annotations on the VM in the same write (e.g. the lifecycle step); the
     * VM is written when its run strategy or one of these annotations differs.
     */
    public ReconcileResult suspend(String jobId, Map<String, String> annotations) {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(annotations, "annotations is null");
        List<ObjectChange> changes = new ArrayList<>();
        String vmName = new VmJobNames(jobId).virtualMachine();
        JsonNode vm = get(KubeVirtApi.virtualMachines(), "VirtualMachine", vmName);
        if (vm == null) {
            return new ReconcileResult(changes);
        }
        boolean annotated = annotations.entrySet().stream().allMatch(entry ->
                entry.getValue().equals(vm.path("metadata").path("annotations").path(entry.getKey()).asString(null)));
        if (!HALTED.equals(vm.path("spec").path("runStrategy").asString("")) || !annotated) {
            ObjectNode patch = JsonNodeFactory.instance.objectNode();
            patch.putObject("spec").put("runStrategy", HALTED);
            if (!annotations.isEmpty()) {
                ObjectNode wanted = patch.putObject("metadata").putObject("annotations");
                annotations.forEach(wanted::put);
            }
            GenericKubernetesResource halted = step("halt", "VirtualMachine", vmName,
                    () -> operations(KubeVirtApi.virtualMachines())
                            .resource(stub(KubeVirtApi.API_VERSION, "VirtualMachine", vmName))
                            .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString()));
            record(KubeVirtApi.virtualMachines(), vmName, halted);
            changes.add(new ObjectChange("VirtualMachine", vmName, ObjectChange.Action.UPDATED));
        } else {
            changes.add(new ObjectChange("VirtualMachine", vmName, ObjectChange.Action.UNCHANGED));
        }
        boolean halting = changes.get(0).action() == ObjectChange.Action.UPDATED;
        for (String service : KubeVirtObjects.whileRunningServiceNames(jobId)) {
            // Halted already (a repeated or resumed suspend): read first, so that one with nothing left to do
            // writes nothing.
            if (halting || exists(serviceContext(), "Service", service)) {
                deleteIfPresent(serviceContext(), "Service", service).ifPresent(changes::add);
            }
        }
        return new ReconcileResult(changes);
    }

    /**
     * Deletes the job's VM (the cluster's garbage collector then deletes what it owns) and those of the job's
     * volumes that no claim ever bound, which would otherwise never be Released. A job without a VM is fine.
     */
    public ReconcileResult terminate(String jobId) {
        requireNonNull(jobId, "jobId is null");
        List<ObjectChange> changes = new ArrayList<>();
        String vmName = new VmJobNames(jobId).virtualMachine();
        boolean deleted = step("delete", "VirtualMachine", vmName,
                () -> !operations(KubeVirtApi.virtualMachines()).withName(vmName).delete().isEmpty());
        if (deleted) {
            changes.add(new ObjectChange("VirtualMachine", vmName, ObjectChange.Action.DELETED));
        }
        for (GenericKubernetesResource volume : ourVolumes(Map.of(MANAGED_BY, MANAGER, JOB_ID, jobId))) {
            JsonNode node = serialization.convertValue(volume, JsonNode.class);
            // Reserved for its claim (a claimRef without uid) or for nobody, and never bound: no claim will
            // ever release it. One that was bound has the claim's uid and becomes Released when it goes.
            String phase = node.path("status").path("phase").asString("");
            boolean neverClaimed = node.path("spec").path("claimRef").path("uid").asString("").isEmpty()
                    && !"Bound".equals(phase) && !"Released".equals(phase);
            if (neverClaimed) {
                deleteIfPresent(volumeContext(), "PersistentVolume", volume.getMetadata().getName())
                        .ifPresent(changes::add);
            }
        }
        return new ReconcileResult(changes);
    }

    /**
     * Deletes the PersistentVolumes the plugin made (label {@code app.kubernetes.io/managed-by: ucloud-im})
     * whose phase is {@code Released}; volumes of anyone else are never touched, nor volumes adopted from
     * UCloud's IM unless the plugin terminated their job (annotation {@code ucloud.dk/lifecycle: terminating}).
     *
     * @return the names of the deleted volumes
     */
    public List<String> deleteReleasedVolumes() {
        List<String> deleted = new ArrayList<>();
        for (GenericKubernetesResource volume : ourVolumes(Map.of(MANAGED_BY, MANAGER))) {
            JsonNode node = serialization.convertValue(volume, JsonNode.class);
            String phase = node.path("status").path("phase").asString("");
            boolean adoptedAndNotTerminated = adoptedStorage(node) && !"terminating".equals(
                    node.path("metadata").path("annotations").path("ucloud.dk/lifecycle").asString(""));
            if ("Released".equals(phase) && !adoptedAndNotTerminated) {
                deleteIfPresent(volumeContext(), "PersistentVolume", volume.getMetadata().getName())
                        .ifPresent(change -> deleted.add(change.name()));
            }
        }
        if (!deleted.isEmpty()) {
            log.info("Deleted released volumes {}", deleted);
        }
        return deleted;
    }

    /**
     * Sets annotations on a PersistentVolume (JSON merge patch; a value is replaced, others are kept).
     *
     * @return false when there is no such volume
     */
    public boolean annotateVolume(String name, Map<String, String> annotations) {
        requireNonNull(name, "name is null");
        requireNonNull(annotations, "annotations is null");
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        ObjectNode wanted = patch.putObject("metadata").putObject("annotations");
        annotations.forEach(wanted::put);
        try {
            GenericKubernetesResource volume = new GenericKubernetesResourceBuilder().withApiVersion("v1")
                    .withKind("PersistentVolume").withNewMetadata().withName(name).endMetadata().build();
            record(volumeContext(), name, client.genericKubernetesResources(volumeContext()).resource(volume)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString()));
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw failure("annotate", "PersistentVolume", name, e);
        }
    }

    /**
     * Deletes one PersistentVolume of the plugin's, e.g. one seen Released.
     *
     * @return whether it was there
     */
    public boolean deleteVolume(String name) {
        requireNonNull(name, "name is null");
        boolean deleted = deleteIfPresent(volumeContext(), "PersistentVolume", name).isPresent();
        if (deleted) {
            log.info("Deleted released volume {}", name);
        }
        return deleted;
    }

    private List<GenericKubernetesResource> ourVolumes(Map<String, String> labels) {
        return step("list", "PersistentVolume", labels.toString(),
                () -> client.genericKubernetesResources(volumeContext()).withLabels(labels).list().getItems());
    }

    /** An object as it is to be sent: namespaced here, labelled as the job's, Secret data encoded. */
    private ObjectNode prepare(HasMetadata object, String jobId, boolean namespaced) {
        ObjectNode node = (ObjectNode) serialization.convertValue(object, JsonNode.class);
        ObjectNode metadata = (ObjectNode) node.get("metadata");
        if (namespaced) {
            String objectNamespace = metadata.path("namespace").asString(null);
            if (objectNamespace != null && !objectNamespace.equals(namespace)) {
                throw new IllegalArgumentException(object.getKind() + " " + object.getMetadata().getName()
                        + " of job " + jobId + " is in namespace " + objectNamespace + ", not in " + namespace);
            }
            metadata.put("namespace", namespace);
        } else {
            metadata.remove("namespace");
        }
        ObjectNode labels = metadata.has("labels") ? (ObjectNode) metadata.get("labels") : metadata.putObject("labels");
        labels.put(MANAGED_BY, MANAGER);
        labels.put(JOB_ID, jobId);
        if ("Secret".equals(object.getKind()) && node.has("stringData")) {
            // The API server turns stringData into data; compare and write what it would store.
            ObjectNode data = node.has("data") ? (ObjectNode) node.get("data") : node.putObject("data");
            for (Map.Entry<String, JsonNode> entry : node.get("stringData").properties()) {
                data.put(entry.getKey(), Base64.getEncoder().encodeToString(
                        entry.getValue().asString("").getBytes(StandardCharsets.UTF_8)));
            }
            node.remove("stringData");
        }
        return node;
    }

    /**
     * {@link #prepare} on the object itself, for a create that needs no tree: namespaced here (or not at all),
     * labelled as the job's, a Secret's {@code stringData} encoded into {@code data}. The desired objects are the
     * reconciler's to complete (see {@link DesiredObjects}).
     */
    private <T extends HasMetadata> T stamped(T object, String jobId, boolean namespaced) {
        io.fabric8.kubernetes.api.model.ObjectMeta metadata = object.getMetadata();
        if (namespaced) {
            String objectNamespace = metadata.getNamespace();
            if (objectNamespace != null && !objectNamespace.equals(namespace)) {
                throw new IllegalArgumentException(object.getKind() + " " + metadata.getName() + " of job " + jobId
                        + " is in namespace " + objectNamespace + ", not in " + namespace);
            }
            metadata.setNamespace(namespace);
        } else {
            metadata.setNamespace(null);
        }
        Map<String, String> labels = metadata.getLabels() == null ? new java.util.LinkedHashMap<>()
                : new java.util.LinkedHashMap<>(metadata.getLabels());
        labels.put(MANAGED_BY, MANAGER);
        labels.put(JOB_ID, jobId);
        metadata.setLabels(labels);
        if (object instanceof Secret secret && secret.getStringData() != null && !secret.getStringData().isEmpty()) {
            // The API server turns stringData into data; send what it would store, as prepare compares.
            Map<String, String> data = secret.getData() == null ? new java.util.LinkedHashMap<>()
                    : new java.util.LinkedHashMap<>(secret.getData());
            secret.getStringData().forEach((key, value) -> data.put(key, Base64.getEncoder().encodeToString(
                    (value == null ? "" : value).getBytes(StandardCharsets.UTF_8))));
            secret.setData(data);
            secret.setStringData(null);
        }
        return object;
    }

    /** Creates an object as it is (typed or generic); null when it exists already (409). */
    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> T createNew(ResourceDefinitionContext context, String kind, T object) {
        try {
            T created;
            if (object instanceof GenericKubernetesResource generic) {
                created = (T) operations(context).resource(generic).create();
            } else if (context.isNamespaceScoped()) {
                created = client.resource(object).inNamespace(namespace).create();
            } else {
                created = client.resource(object).create();
            }
            cache.seen(context, created);
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return null;
            }
            throw failure("create", kind, object.getMetadata().getName(), e);
        }
    }

    /**
     * Creates or updates one object of a job whose VM exists. {@code known}: the server's object when the caller
     * has just read it; else the cache's view, which is only compared and written back with its version.
     */
    private ObjectChange ensure(ResourceDefinitionContext context, JsonNode wanted, JsonNode known) {
        String kind = wanted.path("kind").asString();
        String name = wanted.path("metadata").path("name").asString();
        JsonNode actual = known;
        if (actual == null) {
            ObjectCache.Lookup cached = cache.lookup(context, name);
            actual = cached.existing().map(this::toNode).orElse(null);
            if (cached.known() && actual == null) {
                GenericKubernetesResource created = create(context, kind, name, wanted);
                if (created != null) {
                    return new ObjectChange(kind, name, ObjectChange.Action.CREATED);
                }
            }
        }
        return converge(context, wanted, kind, name, actual);
    }

    /**
     * Compares an object with what is wanted and writes the difference, reading it from the API server first when
     * {@code actual} is null; a 409 or 404 on the write reads it again, a few times at most.
     */
    private ObjectChange converge(ResourceDefinitionContext context, JsonNode wanted, String kind, String name,
                             JsonNode actual) {
        for (int attempt = 1; attempt <= CONFLICT_ATTEMPTS; attempt++) {
            if (actual == null) {
                actual = get(context, kind, name);
            }
            if (actual == null) {
                GenericKubernetesResource created = create(context, kind, name, wanted);
                if (created != null) {
                    return new ObjectChange(kind, name, ObjectChange.Action.CREATED);
                }
                continue;   // someone created it meanwhile: compare with theirs
            }
            JsonNode target = adoptedStorage(actual) ? keepingSpecOf(actual, wanted, kind, name) : wanted;
            checkImmutable(kind, name, target, actual);
            boolean released = isReleasedVolume(actual);
            if (!released && ManagedFields.match(target, actual)) {
                return new ObjectChange(kind, name, ObjectChange.Action.UNCHANGED);
            }
            Set<String> replacedWhole = "VirtualMachine".equals(kind) ? Set.of("spec") : Set.of();
            ObjectNode body = ManagedFields.overlay(actual, target, replacedWhole);
            if (released) {
                // Its claim is gone (the job's VM was deleted, and the claim with it), and a Released volume
                // binds no new claim: without the old claimRef it is Available to the claim we are making.
                log.info("PersistentVolume {} was released by a claim that is gone; freeing it for the job", name);
                ((ObjectNode) body.path("spec")).remove("claimRef");
            }
            JsonNode updated = update(context, kind, name, body,
                    released ? "status.phase Released" : ManagedFields.firstDifference(target, actual));
            if (updated != null) {
                return new ObjectChange(kind, name, ObjectChange.Action.UPDATED);
            }
            actual = null;  // 409 (or 404): read again from the API server and retry
        }
        throw new ReconcileException("Could not update " + kind + " " + name + " in namespace " + namespace
                + ": it kept changing under us (" + CONFLICT_ATTEMPTS + " conflicts in a row)");
    }

    /**
     * A volume or claim that UCloud's IM made and the plugin adopted: its spec, which Kubernetes does not let
     * change, stays as UCloud's IM made it (a volume source from another storage configuration included).
     */
    private static boolean adoptedStorage(JsonNode actual) {
        String kind = actual.path("kind").asString("");
        return ("PersistentVolume".equals(kind) || "PersistentVolumeClaim".equals(kind))
                && "true".equals(actual.path("metadata").path("annotations").path(KubeVirtObjects.ADOPTED).asString(""));
    }

    private static JsonNode keepingSpecOf(JsonNode actual, JsonNode wanted, String kind, String name) {
        if (!ManagedFields.contains(wanted.path("spec"), actual.path("spec"), "spec", "")) {
            log.info("{} {} was made by UCloud's IM and differs from what this IM would make ({}); it is kept as it "
                    + "is", kind, name, ManagedFields.firstDifference(wanted, actual));
        }
        ObjectNode target = (ObjectNode) wanted.deepCopy();
        target.set("spec", actual.path("spec").deepCopy());
        return target;
    }

    private static boolean isReleasedVolume(JsonNode object) {
        return "PersistentVolume".equals(object.path("kind").asString(""))
                && "Released".equals(object.path("status").path("phase").asString(""))
                && object.path("spec").has("claimRef");
    }

    private void checkImmutable(String kind, String name, JsonNode wanted, JsonNode actual) {
        Set<String> mutable;
        if ("PersistentVolume".equals(kind)) {
            mutable = MUTABLE_VOLUME_FIELDS;
        } else if ("PersistentVolumeClaim".equals(kind)) {
            mutable = MUTABLE_CLAIM_FIELDS;
        } else {
            return;
        }
        for (Map.Entry<String, JsonNode> field : wanted.path("spec").properties()) {
            JsonNode current = actual.path("spec").path(field.getKey());
            if (!mutable.contains(field.getKey())
                    && !ManagedFields.contains(field.getValue(), current, field.getKey(), "spec")) {
                throw new ImmutableFieldException(kind + " " + name + " exists with spec." + field.getKey() + " "
                        + (current.isMissingNode() ? "unset" : current.toString()) + ", but the job now needs "
                        + field.getValue() + "; Kubernetes does not allow changing it. Delete the "
                        + ("PersistentVolume".equals(kind) ? "volume (after its claim)" : "claim")
                        + " to have it made again, or restore the storage configuration that made it.");
            }
        }
    }

    private JsonNode get(ResourceDefinitionContext context, String kind, String name) {
        GenericKubernetesResource found = step("read", kind, name, () -> operations(context).withName(name).get());
        record(context, name, found);
        return found == null ? null : serialization.convertValue(found, JsonNode.class);
    }

    /** Whether the object exists, by the cache when it can tell; only for deciding to delete (which cannot harm). */
    private boolean exists(ResourceDefinitionContext context, String kind, String name) {
        ObjectCache.Lookup cached = cache.lookup(context, name);
        return cached.known() ? cached.object() != null : get(context, kind, name) != null;
    }

    /** Creates an object; null when it exists already (409). */
    private GenericKubernetesResource create(ResourceDefinitionContext context, String kind, String name,
                                             JsonNode wanted) {
        try {
            GenericKubernetesResource created = operations(context)
                    .resource(serialization.convertValue(wanted, GenericKubernetesResource.class)).create();
            cache.seen(context, created);
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return null;
            }
            throw failure("create", kind, name, e);
        }
    }

    /** Replaces an object; null on 409 (changed since it was read) or 404 (deleted since it was read). */
    private JsonNode update(ResourceDefinitionContext context, String kind, String name, JsonNode body,
                            String difference) {
        try {
            log.debug("Updating {} {} ({} differs)", kind, name, difference);
            GenericKubernetesResource updated = operations(context)
                    .resource(serialization.convertValue(body, GenericKubernetesResource.class)).update();
            cache.seen(context, updated);
            return serialization.convertValue(updated, JsonNode.class);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409 || e.getCode() == 404) {
                return null;
            }
            throw failure("update", kind, name, e);
        }
    }

    private java.util.Optional<ObjectChange> deleteIfPresent(ResourceDefinitionContext context, String kind,
                                                             String name) {
        boolean deleted = step("delete", kind, name, () -> !operations(context).withName(name).delete().isEmpty());
        cache.gone(context, name);
        return deleted ? java.util.Optional.of(new ObjectChange(kind, name, ObjectChange.Action.DELETED))
                : java.util.Optional.empty();
    }

    /** Tells the cache what the API server just said of an object. */
    private void record(ResourceDefinitionContext context, String name, GenericKubernetesResource found) {
        if (found == null) {
            cache.gone(context, name);
        } else {
            cache.seen(context, found);
        }
    }

    private <T> T step(String verb, String kind, String name, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            throw failure(verb, kind, name, e);
        }
    }

    private ReconcileException failure(String verb, String kind, String name, KubernetesClientException e) {
        String reason = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage() : e.getMessage();
        return new ReconcileException("Could not " + verb + " " + kind + " " + name + " in namespace " + namespace
                + ": " + reason + " (HTTP " + e.getCode() + ")", e);
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> operations(ResourceDefinitionContext context) {
        return context.isNamespaceScoped()
                ? client.genericKubernetesResources(context).inNamespace(namespace)
                : client.genericKubernetesResources(context);
    }

    private ResourceDefinitionContext contextOf(HasMetadata object) {
        if (object instanceof GenericKubernetesResource) {
            if (KubeVirtApi.API_VERSION.equals(object.getApiVersion())
                    && "VirtualMachine".equals(object.getKind())) {
                return KubeVirtApi.virtualMachines();
            }
            throw new IllegalArgumentException("untyped " + object.getApiVersion() + " " + object.getKind()
                    + " objects are not supported; give a typed fabric8 object");
        }
        @SuppressWarnings("unchecked")
        Class<? extends KubernetesResource> type = (Class<? extends KubernetesResource>) object.getClass();
        // Worked out from the class's annotations (and a pluralisation): once per type is enough.
        return contexts.computeIfAbsent(type, ResourceDefinitionContext::fromResourceType);
    }

    private static ResourceDefinitionContext serviceContext() {
        return ResourceDefinitionContext.fromResourceType(io.fabric8.kubernetes.api.model.Service.class);
    }

    private static ResourceDefinitionContext volumeContext() {
        return ResourceDefinitionContext.fromResourceType(io.fabric8.kubernetes.api.model.PersistentVolume.class);
    }

    private static JsonNode ownerReference(JsonNode vm) {
        ObjectNode reference = JsonNodeFactory.instance.objectNode();
        reference.put("apiVersion", KubeVirtApi.API_VERSION);
        reference.put("kind", "VirtualMachine");
        reference.put("name", vm.path("metadata").path("name").asString());
        reference.put("uid", vm.path("metadata").path("uid").asString());
        return reference;
    }

    // An operation on an item (even a stub) does not GET the object first; one on a bare name does.
    private GenericKubernetesResource stub(String apiVersion, String kind, String name) {
        return new GenericKubernetesResourceBuilder().withApiVersion(apiVersion).withKind(kind)
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata().build();
    }
}
