package dk.sdu.cloud.im.kubevirt.admission;

import dk.sdu.cloud.im.spi.network.PrivateNetwork;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What attaching or detaching a private network means for a VM that runs: its membership is its pod's labels
 * and its resolver's search list, both fixed when the VM starts, so a change applies at the VM's next start
 * (a restart, or a suspend and unsuspend), and the user is told so. The shared objects of a network attached
 * are made at once (they harm no one), those of one detached stay while it has members.
 */
public final class PrivateNetworkChanges {

    private PrivateNetworkChanges() {
    }

    /**
     * The job message for a running VM whose networks change from {@code running} to {@code wanted}; empty when
     * the networks are the same (order aside from the first, which gives the subdomain).
     */
    public static Optional<String> restartNotice(VmNetworking running, VmNetworking wanted) {
        List<PrivateNetwork> before = running.privateNetworks();
        List<PrivateNetwork> after = wanted.privateNetworks();
        Set<String> beforeIds = before.stream().map(PrivateNetwork::id).collect(Collectors.toSet());
        Set<String> afterIds = after.stream().map(PrivateNetwork::id).collect(Collectors.toSet());
        boolean sameFirst = before.isEmpty() ? after.isEmpty()
                : !after.isEmpty() && before.get(0).id().equals(after.get(0).id());
        if (beforeIds.equals(afterIds) && sameFirst) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        List<String> joined = after.stream().filter(n -> !beforeIds.contains(n.id())).map(PrivateNetworkChanges::named)
                .toList();
        List<String> left = before.stream().filter(n -> !afterIds.contains(n.id())).map(PrivateNetworkChanges::named)
                .toList();
        if (!joined.isEmpty()) {
            parts.add("joins " + String.join(", ", joined));
        }
        if (!left.isEmpty()) {
            parts.add("leaves " + String.join(", ", left));
        }
        if (parts.isEmpty()) {
            parts.add("takes its subdomain from " + named(after.get(0)));
        }
        return Optional.of("The virtual machine " + String.join(" and ", parts) + " when it next starts: restart it "
                + "(or suspend and resume it) to apply the change.");
    }

    private static String named(PrivateNetwork network) {
        return "the private network '" + network.name() + "' (" + network.subdomain() + ")";
    }
}
