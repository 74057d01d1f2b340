package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionNames;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Kubernetes' discovery documents for what the embedded API holds, so that {@code kubectl} (and any client-go
 * program) can map {@code vm}, {@code pvc}, ... to a resource: {@code /api} ({@code APIVersions}),
 * {@code /api/v1} and {@code /apis/<group>/<version>} ({@code APIResourceList}), {@code /apis}
 * ({@code APIGroupList}) and {@code /apis/<group>} ({@code APIGroup}).
 *
 * <p>Built-in kinds come from {@link #BUILT_IN} (the core, networking, storage and apiextensions kinds the IM
 * and its plugins write, with Kubernetes' own short names and verbs); custom resources from the
 * CustomResourceDefinitions in the store at the time of the request (KubeVirt's and CDI's names, short names,
 * categories and status subresources exactly as registered); KubeVirt's aggregated
 * {@code subresources.kubevirt.io} API from {@link #KUBEVIRT_SUBRESOURCES}. The aggregated discovery form
 * ({@code apidiscovery.k8s.io}) is not served: an answer in plain {@code application/json} makes client-go fall
 * back to these documents.
 */
final class ApiDiscovery {

    /** The verbs of a collection of objects that can be listed, watched and written. */
    static final List<String> ALL_VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch",
            "update", "watch");
    private static final List<String> STATUS_VERBS = List.of("get", "patch", "update");
    private static final String KUBEVIRT_SUBRESOURCE_GROUP = "subresources.kubevirt.io";

    /**
     * One entry of an {@code APIResourceList}.
     *
     * @param name a plural, or {@code <plural>/<subresource>}
     */
    record Resource(String group, String version, String name, String singularName, boolean namespaced,
                    String kind, List<String> verbs, List<String> shortNames, List<String> categories) {
        Resource {
            requireNonNull(group, "group is null");
            requireNonNull(version, "version is null");
            requireNonNull(name, "name is null");
            requireNonNull(singularName, "singularName is null");
            requireNonNull(kind, "kind is null");
            verbs = List.copyOf(verbs);
            shortNames = List.copyOf(shortNames);
            categories = List.copyOf(categories);
        }

        String groupVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }

        APIResource toApiResource() {
            return new APIResourceBuilder().withName(name).withSingularName(singularName).withNamespaced(namespaced)
                    .withKind(kind).withVerbs(verbs).withShortNames(shortNames.isEmpty() ? null : shortNames)
                    .withCategories(categories.isEmpty() ? null : categories).build();
        }
    }

    /** The built-in kinds served, with the status and log subresources Kubernetes lists for them. */
    static final List<Resource> BUILT_IN = builtIn();

    /**
     * KubeVirt's aggregated subresource API (virt-api), served for {@code v1} and {@code v1alpha3}: the verbs
     * are those of KubeVirt's default {@code kubevirt.io:edit} role ({@code get} for streams and reads,
     * {@code update} for actions). Listed so that discovery tells of the group; the console and VNC streams
     * are what the simulator serves.
     */
    static final List<Resource> KUBEVIRT_SUBRESOURCES = kubevirtSubresources();

    /**
     * What {@code /version} answers: the Kubernetes release whose API the simulation follows (kubectl warns
     * when its own minor version is more than one away), marked as this simulation in {@code gitVersion}.
     */
    static final String VERSION_JSON = "{\"major\":\"1\",\"minor\":\"32\","
            + "\"gitVersion\":\"v1.32.0+ucloud-im-embedded\",\"gitCommit\":\"\",\"gitTreeState\":\"clean\","
            + "\"buildDate\":\"1970-01-01T00:00:00Z\",\"goVersion\":\"\",\"compiler\":\"\","
            + "\"platform\":\"linux/amd64\"}";

    private static final Pattern KUBE_VERSION = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

    private final KubernetesSerialization serialization;

    ApiDiscovery(KubernetesSerialization serialization) {
        this.serialization = requireNonNull(serialization, "serialization is null");
    }

    /**
     * The JSON document for a discovery path (without query), or empty when the path is not one.
     *
     * @param path        e.g. {@code /apis/kubevirt.io/v1}
     * @param crds        the CustomResourceDefinitions in the store now
     * @param hostAndPort the address clients reach the API at (for {@code /api}'s server addresses)
     */
    Optional<String> document(String path, List<CustomResourceDefinition> crds, String hostAndPort) {
        List<String> segments = segments(path);
        if (segments.equals(List.of("version"))) {
            return Optional.of(VERSION_JSON);
        }
        if (segments.equals(List.of("api"))) {
            return Optional.of(serialization.asJson(new APIVersionsBuilder().withVersions("v1")
                    .addNewServerAddressByClientCIDR("0.0.0.0/0", hostAndPort).build()));
        }
        if (segments.equals(List.of("apis"))) {
            return Optional.of(serialization.asJson(new APIGroupListBuilder().withGroups(groups(crds)).build()));
        }
        List<Resource> resources = resources(crds);
        if (segments.size() == 2 && segments.get(0).equals("api")) {
            return resourceList("", segments.get(1), resources);
        }
        if (segments.size() == 2 && segments.get(0).equals("apis")) {
            return groups(crds).stream().filter(group -> group.getName().equals(segments.get(1))).findFirst()
                    .map(serialization::asJson);
        }
        if (segments.size() == 3 && segments.get(0).equals("apis")) {
            return resourceList(segments.get(1), segments.get(2), resources);
        }
        return Optional.empty();
    }

    /** Whether a named group is one of Kubernetes' own (of {@link #BUILT_IN}), not a custom resource's. */
    static boolean isBuiltInGroup(String group) {
        return BUILT_IN.stream().anyMatch(resource -> resource.group().equals(group));
    }

    /** Every resource served: built-in, custom and KubeVirt's subresource API. */
    List<Resource> resources(List<CustomResourceDefinition> crds) {
        List<Resource> all = new ArrayList<>(BUILT_IN);
        for (CustomResourceDefinition crd : crds) {
            all.addAll(fromDefinition(crd));
        }
        all.addAll(KUBEVIRT_SUBRESOURCES);
        return all;
    }

    /** The resources a CustomResourceDefinition serves: one per served version, plus its status subresource. */
    static List<Resource> fromDefinition(CustomResourceDefinition crd) {
        String group = crd.getSpec().getGroup();
        CustomResourceDefinitionNames names = crd.getSpec().getNames();
        boolean namespaced = "Namespaced".equals(crd.getSpec().getScope());
        String singular = names.getSingular() != null ? names.getSingular() : names.getKind().toLowerCase();
        List<Resource> resources = new ArrayList<>();
        for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
            if (!Boolean.TRUE.equals(version.getServed())) {
                continue;
            }
            resources.add(new Resource(group, version.getName(), names.getPlural(), singular, namespaced,
                    names.getKind(), ALL_VERBS, orEmpty(names.getShortNames()), orEmpty(names.getCategories())));
            if (version.getSubresources() != null && version.getSubresources().getStatus() != null) {
                resources.add(new Resource(group, version.getName(), names.getPlural() + "/status", "", namespaced,
                        names.getKind(), STATUS_VERBS, List.of(), List.of()));
            }
        }
        return resources;
    }

    private Optional<String> resourceList(String group, String version, List<Resource> resources) {
        String groupVersion = group.isEmpty() ? version : group + "/" + version;
        List<APIResource> matching = resources.stream().filter(r -> r.groupVersion().equals(groupVersion))
                .map(Resource::toApiResource).toList();
        if (matching.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(serialization.asJson(new APIResourceListBuilder().withGroupVersion(groupVersion)
                .withResources(matching).build()));
    }

    /** The named groups (not the core one), each with its versions, the preferred one first. */
    List<APIGroup> groups(List<CustomResourceDefinition> crds) {
        Map<String, Set<String>> versions = new LinkedHashMap<>();
        for (Resource resource : resources(crds)) {
            if (!resource.group().isEmpty()) {
                versions.computeIfAbsent(resource.group(), g -> new LinkedHashSet<>()).add(resource.version());
            }
        }
        List<APIGroup> groups = new ArrayList<>();
        versions.forEach((group, served) -> {
            List<GroupVersionForDiscovery> ordered = served.stream().sorted(ApiDiscovery::byPriority)
                    .map(v -> new GroupVersionForDiscovery(group + "/" + v, v)).toList();
            groups.add(new APIGroupBuilder().withName(group).withVersions(ordered)
                    .withPreferredVersion(ordered.get(0)).build());
        });
        return groups;
    }

    /**
     * Kubernetes' version priority: GA before beta before alpha, higher numbers first; other names last, by
     * name. The first is the group's preferred version.
     */
    static int byPriority(String a, String b) {
        long[] left = priorityKey(a);
        long[] right = priorityKey(b);
        int byKey = java.util.Arrays.compare(left, right);
        return byKey != 0 ? byKey : a.compareTo(b);
    }

    // Smaller sorts first: stability (0 GA, 1 beta, 2 alpha, 3 other), then the major and minor numbers, descending.
    private static long[] priorityKey(String version) {
        Matcher matcher = KUBE_VERSION.matcher(version);
        if (!matcher.matches()) {
            return new long[] {3, 0, 0};
        }
        long major = Long.parseLong(matcher.group(1));
        if (matcher.group(2) == null) {
            return new long[] {0, -major, 0};
        }
        long stability = matcher.group(2).equals("beta") ? 1 : 2;
        return new long[] {stability, -major, -Long.parseLong(matcher.group(3))};
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return segments;
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }

    private static List<Resource> builtIn() {
        List<Resource> resources = new ArrayList<>();
        core(resources, "pods", "pod", true, "Pod", List.of("po"), List.of("all"), "status", "log");
        core(resources, "services", "service", true, "Service", List.of("svc"), List.of("all"), "status");
        core(resources, "endpoints", "endpoints", true, "Endpoints", List.of("ep"), List.of());
        core(resources, "persistentvolumes", "persistentvolume", false, "PersistentVolume", List.of("pv"),
                List.of(), "status");
        core(resources, "persistentvolumeclaims", "persistentvolumeclaim", true, "PersistentVolumeClaim",
                List.of("pvc"), List.of(), "status");
        core(resources, "secrets", "secret", true, "Secret", List.of(), List.of());
        core(resources, "configmaps", "configmap", true, "ConfigMap", List.of("cm"), List.of());
        core(resources, "events", "event", true, "Event", List.of("ev"), List.of());
        core(resources, "nodes", "node", false, "Node", List.of("no"), List.of(), "status");
        core(resources, "serviceaccounts", "serviceaccount", true, "ServiceAccount", List.of("sa"), List.of());
        resources.add(new Resource("", "v1", "namespaces", "namespace", false, "Namespace",
                List.of("create", "delete", "get", "list", "patch", "update", "watch"), List.of("ns"), List.of()));
        resources.add(new Resource("", "v1", "namespaces/status", "", false, "Namespace", STATUS_VERBS, List.of(),
                List.of()));
        resources.add(new Resource("networking.k8s.io", "v1", "networkpolicies", "networkpolicy", true,
                "NetworkPolicy", ALL_VERBS, List.of("netpol"), List.of()));
        resources.add(new Resource("networking.k8s.io", "v1", "ingresses", "ingress", true, "Ingress", ALL_VERBS,
                List.of("ing"), List.of()));
        resources.add(new Resource("networking.k8s.io", "v1", "ingresses/status", "", true, "Ingress",
                STATUS_VERBS, List.of(), List.of()));
        resources.add(new Resource("networking.k8s.io", "v1", "ingressclasses", "ingressclass", false,
                "IngressClass", ALL_VERBS, List.of(), List.of()));
        resources.add(new Resource("storage.k8s.io", "v1", "storageclasses", "storageclass", false, "StorageClass",
                ALL_VERBS, List.of("sc"), List.of()));
        resources.add(new Resource("apiextensions.k8s.io", "v1", "customresourcedefinitions",
                "customresourcedefinition", false, "CustomResourceDefinition", ALL_VERBS, List.of("crd", "crds"),
                List.of("api-extensions")));
        resources.add(new Resource("apiextensions.k8s.io", "v1", "customresourcedefinitions/status", "", false,
                "CustomResourceDefinition", STATUS_VERBS, List.of(), List.of()));
        return List.copyOf(resources);
    }

    private static void core(List<Resource> resources, String plural, String singular, boolean namespaced,
                             String kind, List<String> shortNames, List<String> categories, String... subresources) {
        resources.add(new Resource("", "v1", plural, singular, namespaced, kind, ALL_VERBS, shortNames, categories));
        for (String subresource : subresources) {
            List<String> verbs = subresource.equals("log") ? List.of("get") : STATUS_VERBS;
            resources.add(new Resource("", "v1", plural + "/" + subresource, "", namespaced, kind, verbs,
                    List.of(), List.of()));
        }
    }

    private static List<Resource> kubevirtSubresources() {
        List<Resource> resources = new ArrayList<>();
        for (String version : List.of("v1", "v1alpha3")) {
            for (String stream : List.of("console", "vnc", "portforward", "guestosinfo", "filesystemlist",
                    "userlist")) {
                resources.add(new Resource(KUBEVIRT_SUBRESOURCE_GROUP, version, "virtualmachineinstances/" + stream,
                        "", true, "VirtualMachineInstance", List.of("get"), List.of(), List.of()));
            }
            for (String action : List.of("pause", "unpause", "softreboot", "reset", "freeze", "unfreeze",
                    "addvolume", "removevolume")) {
                resources.add(new Resource(KUBEVIRT_SUBRESOURCE_GROUP, version, "virtualmachineinstances/" + action,
                        "", true, "VirtualMachineInstance", List.of("update"), List.of(), List.of()));
            }
            for (String action : List.of("start", "stop", "restart", "migrate", "addvolume", "removevolume",
                    "memorydump")) {
                resources.add(new Resource(KUBEVIRT_SUBRESOURCE_GROUP, version, "virtualmachines/" + action, "",
                        true, "VirtualMachine", List.of("update"), List.of(), List.of()));
            }
        }
        return List.copyOf(resources);
    }
}
