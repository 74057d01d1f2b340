package dk.sdu.cloud.im.kubevirt.admission;

import static java.util.Objects.requireNonNull;

/**
 * A public link of a VM job, resolved: the link's domain leads to a port of the VM.
 *
 * @param linkId the link's id at Core
 * @param domain the link's domain, e.g. {@code app-mysite.apps.example.org}
 * @param port   the port of the VM it leads to, 1-65535
 */
public record VmLink(String linkId, String domain, int port) {
    public VmLink {
        requireNonNull(linkId, "linkId is null");
        requireNonNull(domain, "domain is null");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, got " + port);
        }
    }
}
