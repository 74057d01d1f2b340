package dk.sdu.cloud.im.kubevirt.admission;

import dk.sdu.cloud.im.spi.job.AppParameterValue;
import dk.sdu.cloud.im.spi.job.JobOwner;
import dk.sdu.cloud.im.spi.network.NetworkResources;
import dk.sdu.cloud.im.spi.network.PublicLink;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Resolves a job's public links (its {@code ingress} resources) through the host's {@link NetworkResources}: each
 * must be a link the provider created, held by the job's owner, named once, and bound to a port of the VM (a VM has
 * no default web port, as in UCloud's KubeVirt IM, so a link without one leads nowhere).
 */
final class LinkAdmission {
    /** The type tag of a public link among a job's resources. */
    static final String INGRESS = "ingress";

    private final NetworkResources networks;

    LinkAdmission(NetworkResources networks) {
        this.networks = requireNonNull(networks, "networks is null");
    }

    /** The job's links, in its order; every problem is added to {@code problems}. */
    List<VmLink> links(List<AppParameterValue> resources, JobOwner owner, List<String> problems) {
        List<VmLink> links = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (AppParameterValue resource : resources) {
            if (!INGRESS.equals(resource.type())) {
                continue;
            }
            String id = resource.id();
            if (id == null || id.isBlank()) {
                problems.add("A public link of the job names no link (its id is missing).");
                continue;
            }
            String shownId = UserText.printable(id);
            if (!seen.add(id)) {
                problems.add("The public link " + shownId + " is attached to the job more than once.");
                continue;
            }
            Optional<PublicLink> link = networks.publicLink(id);
            if (link.isEmpty()) {
                problems.add("The public link " + shownId + " is not known to this provider.");
                continue;
            }
            String shown = "The public link " + shownId + " (" + link.get().domain() + ")";
            if (owner == null || !link.get().owner().heldBy(owner)) {
                problems.add(shown + " belongs to another user or project than the job's.");
                continue;
            }
            Integer port = resource.port();
            if (port == null || port == 0) {
                problems.add(shown + " is bound to no port: bind the link to the port of the virtual machine "
                        + "that its web server listens on.");
                continue;
            }
            if (port < 1 || port > 65535) {
                problems.add(shown + " is bound to port " + port + ", which is not a TCP port (1-65535).");
                continue;
            }
            links.add(new VmLink(id, link.get().domain(), port));
        }
        return List.copyOf(links);
    }
}
