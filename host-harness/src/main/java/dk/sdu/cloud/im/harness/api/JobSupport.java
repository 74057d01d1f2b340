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
     * The virtual machine features. Only what works is {@code true}: suspension is implemented;
     * VNC, terminal, logs and web come with the guest-access work and stay false until it lands; peers,
     * time extension and link binding are not offered for VMs by this provider.
     */
    record VirtualMachineSupport(boolean enabled, boolean web, boolean vnc, boolean logs, boolean terminal,
                                 boolean peers, boolean timeExtension, boolean bindLinkToPort,
                                 boolean suspension) {
        static VirtualMachineSupport of(boolean enabled) {
            return new VirtualMachineSupport(enabled, false, false, false, false, false, false, false, enabled);
        }
    }
}
