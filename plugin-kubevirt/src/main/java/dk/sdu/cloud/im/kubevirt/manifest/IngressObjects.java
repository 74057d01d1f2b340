package dk.sdu.cloud.im.kubevirt.manifest;

import dk.sdu.cloud.im.kubevirt.KubeVirtConfig;
import dk.sdu.cloud.im.kubevirt.admission.VmJobPlan;
import dk.sdu.cloud.im.kubevirt.admission.VmLink;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The {@code networking.k8s.io/v1} Ingress of each public link of a job: host = the link's domain, path {@code /}
 * (Prefix) to the job's Service {@code j-<job>} at the link's port (which {@link NetworkObjects} adds to that
 * Service), with the class, TLS Secret and annotations of {@code virtualMachines.ingress}.
 *
 * <p>An Ingress stays while the VM is suspended: the link stays bound to the job at Core, and the controller answers
 * 503 while the Service has no endpoint, which tells a visitor what a missing route would hide. The ingress
 * controller reaches the VM's pod through the job's NetworkPolicy only if a policy lets the controller's pods in:
 * {@link #controllerRule} when {@code controllerNamespace} is configured, else the namespace's own policies (the
 * operator's, as in UCloud; see {@code docs/kubevirt-backend.md}).
 */
final class IngressObjects {
    /** The label Kubernetes gives every namespace, its name. */
    static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private final String namespace;
    private final KubeVirtConfig.LinkIngress settings;

    IngressObjects(String namespace, KubeVirtConfig.LinkIngress settings) {
        this.namespace = requireNonNull(namespace, "namespace is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    /**
     * The NetworkPolicy rule that lets the ingress controller's namespace reach the ports the job's links lead to,
     * when {@code controllerNamespace} is configured and the job has links.
     */
    Optional<NetworkPolicyIngressRule> controllerRule(VmJobPlan plan) {
        List<Integer> ports = plan.networking().linkPorts();
        if (ports.isEmpty() || settings.controllerNamespace().isEmpty()) {
            return Optional.empty();
        }
        NetworkPolicyIngressRuleBuilder rule = new NetworkPolicyIngressRuleBuilder()
                .addNewFrom().withNewNamespaceSelector()
                .addToMatchLabels(NAMESPACE_NAME_LABEL, settings.controllerNamespace().get())
                .endNamespaceSelector().endFrom();
        ports.forEach(port -> rule.addNewPort().withProtocol("TCP").withPort(new IntOrString(port)).endPort());
        return Optional.of(rule.build());
    }

    /** One Ingress per link, in the plan's order. */
    List<Ingress> ingresses(VmJobPlan plan) {
        List<Ingress> ingresses = new ArrayList<>();
        for (VmLink link : plan.networking().links()) {
            ingresses.add(ingress(plan, link));
        }
        return List.copyOf(ingresses);
    }

    private Ingress ingress(VmJobPlan plan, VmLink link) {
        IngressBuilder builder = new IngressBuilder()
                .withNewMetadata()
                .withName(plan.names().linkIngress(link.linkId()))
                .withNamespace(namespace)
                .withLabels(VmJobLabels.objectLabels(plan.jobId()))
                .withAnnotations(settings.annotations().isEmpty() ? null : new TreeMap<>(settings.annotations()))
                .endMetadata()
                .withNewSpec()
                .withIngressClassName(settings.className().orElse(null))
                .addNewRule()
                .withHost(link.domain())
                .withNewHttp()
                .addNewPath()
                .withPath("/")
                .withPathType("Prefix")
                .withNewBackend()
                .withNewService()
                .withName(plan.names().service())
                .withNewPort().withNumber(link.port()).endPort()
                .endService()
                .endBackend()
                .endPath()
                .endHttp()
                .endRule()
                .endSpec();
        settings.tlsSecret().ifPresent(secret -> builder.editSpec()
                .withTls(new IngressTLSBuilder().withHosts(link.domain()).withSecretName(secret).build())
                .endSpec());
        return builder.build();
    }
}
