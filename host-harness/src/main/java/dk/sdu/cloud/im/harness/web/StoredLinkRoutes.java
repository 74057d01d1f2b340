package dk.sdu.cloud.im.harness.web;

import dk.sdu.cloud.im.harness.api.ComputeBackends;
import dk.sdu.cloud.im.harness.network.links.LinkBindings;
import dk.sdu.cloud.im.harness.network.links.PublicLinkStore;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.network.PublicLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Routes a domain as UCloud does a public link: the link with that domain, the job that uses it (not ended), and the
 * address its backend gives for the job's machine at the link's port ({@code ComputeBackend.webTarget}).
 */
public final class StoredLinkRoutes implements LinkRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(StoredLinkRoutes.class);

    private final PublicLinkStore links;
    private final LinkBindings bindings;
    private final ComputeBackends backends;

    public StoredLinkRoutes(PublicLinkStore links, LinkBindings bindings, ComputeBackends backends) {
        this.links = requireNonNull(links, "links is null");
        this.bindings = requireNonNull(bindings, "bindings is null");
        this.backends = requireNonNull(backends, "backends is null");
    }

    @Override
    public LinkRoute resolve(String host) {
        Optional<PublicLink> link = links.findByDomain(host);
        if (link.isEmpty()) {
            return LinkRoute.unknown("no public link has the domain '" + host + "'");
        }
        List<LinkBindings.Binding> users = bindings.jobsUsing(link.get().id());
        if (users.isEmpty()) {
            return LinkRoute.unknown("the public link " + host + " is not attached to a job");
        }
        LinkBindings.Binding binding = users.get(0);
        String jobId = binding.job().id();
        if (binding.port() < 1) {
            return LinkRoute.unavailable("the public link " + host + " is bound to no port of job " + jobId);
        }
        ComputeBackends.Selection selection = backends.select(binding.job());
        if (!selection.found()) {
            return LinkRoute.unavailable("job " + jobId + " cannot be reached: " + selection.problem());
        }
        Optional<InetSocketAddress> target;
        try {
            target = selection.backend().webTarget(binding.job(), 0, binding.port());
        } catch (JobRejectedException e) {
            return LinkRoute.unavailable("job " + jobId + " cannot be reached: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("{} failed to give the address of job {} for public link {}", selection.backend().name(), jobId,
                    host, e);
            return LinkRoute.unavailable("job " + jobId + " cannot be reached now; try again shortly");
        }
        return target.map(LinkRoute::to).orElseGet(() -> LinkRoute.unavailable("the machine of job " + jobId
                + " is not running (starting, suspended or stopping); try again once it runs"));
    }
}
