package dk.sdu.cloud.im.kubevirt.cloudinit;

import static java.util.Objects.requireNonNull;

/**
 * The two NoCloud documents of a VM, as KubeVirt reads them from the {@code userdata} and
 * {@code networkdata} keys of the cloud-init Secret.
 *
 * @param userData    the {@code #cloud-config} user data (contains the agent's tokens)
 * @param networkData the network configuration, version 2
 */
public record CloudInitDocuments(String userData, String networkData) {
    public CloudInitDocuments {
        requireNonNull(userData, "userData is null");
        requireNonNull(networkData, "networkData is null");
    }

    /** Keeps the tokens inside the user data out of logs. */
    @Override
    public String toString() {
        return "CloudInitDocuments[userData=" + userData.length() + " chars, networkData=" + networkData.length()
                + " chars]";
    }
}
