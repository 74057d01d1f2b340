package dk.sdu.cloud.im.kubevirt.admission;

import dk.sdu.cloud.im.spi.network.PrivateNetwork;
import dk.sdu.cloud.im.spi.network.ResourceOwner;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PrivateNetworkChangesTest {
    private static final ResourceOwner ALICE = new ResourceOwner("alice", null);
    private static final PrivateNetwork LAB = new PrivateNetwork("n1", ALICE, "Lab", "lab");
    private static final PrivateNetwork HPC = new PrivateNetwork("n2", ALICE, "HPC", "hpc");

    private static VmNetworking of(PrivateNetwork... networks) {
        return new VmNetworking(List.of(), List.of(), List.of(networks));
    }

    @Test
    void theSameNetworksNeedNothing() {
        assertThat(PrivateNetworkChanges.restartNotice(of(LAB, HPC), of(LAB, HPC))).isEmpty();
        assertThat(PrivateNetworkChanges.restartNotice(of(), of())).isEmpty();
    }

    @Test
    void anAttachedOrDetachedNetworkAppliesAtTheNextStartAndTheUserIsTold() {
        assertThat(PrivateNetworkChanges.restartNotice(of(LAB), of(LAB, HPC))).contains("The virtual machine joins "
                + "the private network 'HPC' (hpc) when it next starts: restart it (or suspend and resume it) to "
                + "apply the change.");
        assertThat(PrivateNetworkChanges.restartNotice(of(LAB, HPC), of(HPC)).orElseThrow())
                .startsWith("The virtual machine leaves the private network 'Lab' (lab) when it next starts");
        assertThat(PrivateNetworkChanges.restartNotice(of(LAB, HPC), of(HPC, LAB)).orElseThrow())
                .as("another first network is another subdomain").contains("takes its subdomain from")
                .contains("'HPC'");
    }
}
