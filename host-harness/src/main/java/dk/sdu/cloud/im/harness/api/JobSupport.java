package dk.sdu.cloud.im.harness.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import static java.util.Objects.requireNonNull;

/**
 * What a product supports, in the shape of Core's {@code JobSupport} ({@code retrieveProducts}).
 *
 * @param product        the product
 * @param virtualMachine virtual machine support
 * @param docker         container support
 * @param nativeSupport  native (batch) support, {@code native} in JSON
 * @param queueStatus    {@code AVAILABLE}, {@code BUSY} or {@code FULL}
 */
record JobSupport(ProductRef product, VirtualMachineSupport virtualMachine, Toggle docker,
                  @JsonProperty("native") Toggle nativeSupport, String queueStatus) {
    JobSupport {
        requireNonNull(product, "product is null");
        requireNonNull(virtualMachine, "virtualMachine is null");
        requireNonNull(docker, "docker is null");
        requireNonNull(nativeSupport, "nativeSupport is null");
        requireNonNull(queueStatus, "queueStatus is null");
    }

    /** A product reference: {@code {id, category, provider}}. */
    record ProductRef(String id, String category, String provider) {
    }

    /** A kind of job that is on or off, with no features of its own here. */
    record Toggle(boolean enabled) {
    }

    /**
     * The virtual machine features, in the shape of Core's {@code UniversalBackendSupport} plus
     * {@code suspension}. Only what works is {@code true}: VNC ({@code harness.vnc}), the follow stream's logs
     * ({@code harness.follow}), the terminal ({@code harness.shell}) and suspension are implemented for every
     * VM; {@code web} is on when the provider offers web interfaces or public links, and {@code bindLinkToPort}
     * when it offers public links (a VM is reached on the web only through a link bound to one of its ports).
     * Peers and time extension are not offered for VMs by this provider.
     */
    record VirtualMachineSupport(boolean enabled, boolean web, boolean vnc, boolean logs, boolean terminal,
                                 boolean peers, boolean timeExtension, boolean bindLinkToPort,
                                 boolean suspension) {
        /**
         * @param enabled whether the product runs VMs; every other feature is off when it does not
         * @param web     whether jobs' web interfaces are offered
         * @param links   whether public links are offered
         */
        static VirtualMachineSupport of(boolean enabled, boolean web, boolean links) {
            return new VirtualMachineSupport(enabled, enabled && (web || links), enabled, enabled, enabled, false,
                    false, enabled && links, enabled);
        }
    }
}
