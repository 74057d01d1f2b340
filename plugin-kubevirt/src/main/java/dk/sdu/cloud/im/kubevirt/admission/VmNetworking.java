package dk.sdu.cloud.im.kubevirt.admission;

import dk.sdu.cloud.im.spi.network.PrivateNetwork;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The network resources a VM job was admitted with, resolved through the host's
 * {@link dk.sdu.cloud.im.spi.network.NetworkResources} and checked against the job's owner.
 *
 * @param privateNetworks the private networks the VM joins, in the order the job lists them (the first one gives
 *                        the VM its subdomain); no two with the same id
 */
public record VmNetworking(List<PrivateNetwork> privateNetworks) {
    /** A job without network resources. */
    public static final VmNetworking NONE = new VmNetworking(List.of());

    public VmNetworking {
        privateNetworks = List.copyOf(requireNonNull(privateNetworks, "privateNetworks is null"));
    }
}
