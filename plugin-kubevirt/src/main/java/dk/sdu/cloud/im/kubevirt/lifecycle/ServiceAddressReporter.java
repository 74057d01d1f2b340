package dk.sdu.cloud.im.kubevirt.lifecycle;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import dk.sdu.cloud.im.kubevirt.reconcile.ObjectCache;

import dk.sdu.cloud.im.kubevirt.admission.VmJobNames;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobLabels;
import dk.sdu.cloud.im.spi.host.HostServiceUnavailableException;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Tells Core the cluster address of a job's Service {@code j-<job>} as the job label
 * {@code ucloud.dk/service-ip-address}, as UCloud's IM does (a stable address for the VM within the cluster).
 *
 * <p>Once per address: the address reported is kept on the Service itself
 * ({@link VmJobLabels#REPORTED_SERVICE_IP}), written after the host accepted the label (the host delivers it to
 * Core, retrying while Core is away). So an IM that starts again sends nothing for an unchanged address, and a
 * Service made anew, with a new address, is reported again. A Service without its address yet (the API server
 * assigns it when it creates the Service; a simulator may take a moment) is reported at the job's next
 * reconcile.
 */
final class ServiceAddressReporter {
    private static final Logger log = LoggerFactory.getLogger(ServiceAddressReporter.class);

    private static final ResourceDefinitionContext SERVICES = ResourceDefinitionContext.fromResourceType(Service.class);

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final KubernetesClient client;
    private final String namespace;
    private final JobUpdates updates;
    private final ObjectCache cache;

    /**
     * @param cache where the job's Service is read first (the reconciler's object cache), so that a job whose
     *              address was reported makes no request
     */
    ServiceAddressReporter(KubernetesClient client, String namespace, JobUpdates updates, ObjectCache cache) {
        this.client = requireNonNull(client, "client is null");
        this.namespace = requireNonNull(namespace, "namespace is null");
        this.updates = requireNonNull(updates, "updates is null");
        this.cache = requireNonNull(cache, "cache is null");
    }

    /**
     * Reports the address of the job's Service when it has one that was not reported yet. A failure is logged,
     * not thrown: the job runs without the label, and its next reconcile tries again.
     */
    void report(VmJobNames names) {
        requireNonNull(names, "names is null");
        try {
            reportOrThrow(names);
        } catch (KubernetesClientException e) {
            log.warn("Job {}: its Service address could not be reported: {}", names.jobId(), e.getMessage());
        }
    }

    private void reportOrThrow(VmJobNames names) {
        Service service = read(names.service());
        if (service == null || service.getSpec() == null) {
            return;
        }
        String address = service.getSpec().getClusterIP();
        if (address == null || address.isBlank() || "None".equals(address)) {
            return;
        }
        Map<String, String> annotations = service.getMetadata().getAnnotations();
        if (annotations != null && address.equals(annotations.get(VmJobLabels.REPORTED_SERVICE_IP))) {
            return;
        }
        try {
            updates.updateLabels(names.jobId(), Map.of(VmJobLabels.SERVICE_IP_ADDRESS, address));
        } catch (HostServiceUnavailableException e) {
            log.debug("Job {}: the host does not deliver job labels; its Service address {} is not reported",
                    names.jobId(), address);
            return;
        }
        String patch = "{\"metadata\":{\"annotations\":{\"" + VmJobLabels.REPORTED_SERVICE_IP + "\":\"" + address
                + "\"}}}";
        // Patched through the Service just read: fabric8 reads a resource named only by its name first.
        Service patched = client.services().inNamespace(namespace).resource(service)
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        if (patched != null) {
            cache.seen(SERVICES, patched);
        }
        log.info("Job {}: reported its Service address {} to Core", names.jobId(), address);
    }

    /** The Service from the cache when it can tell, else from the API server. */
    private Service read(String name) {
        ObjectCache.Lookup lookup = cache.lookup(SERVICES, name);
        if (!lookup.known()) {
            return client.services().inNamespace(namespace).withName(name).get();
        }
        return lookup.existing().map(object -> SERIALIZATION.convertValue(object, Service.class)).orElse(null);
    }
}
