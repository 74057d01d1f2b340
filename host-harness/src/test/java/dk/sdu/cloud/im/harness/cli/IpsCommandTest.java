package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.publicip.NewPublicIp;
import dk.sdu.cloud.im.harness.publicip.PoolEntry;
import dk.sdu.cloud.im.harness.publicip.PublicIpStore;
import dk.sdu.cloud.im.spi.network.IpProtocol;
import dk.sdu.cloud.im.spi.network.PortRange;
import dk.sdu.cloud.im.spi.network.ResourceOwner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ucloud-im ips add|list|remove} on a data directory's pool. */
class IpsCommandTest {
    @TempDir
    Path data;

    private CliRuns.Run ips(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "ips";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--data";
        all[args.length + 2] = data.toString();
        return CliRuns.run(all);
    }

    @Test
    void addPutsAddressesInThePool() {
        CliRuns.Run run = ips("add", "192.0.2.10", "192.0.2.11=10.0.0.11", "2001:0db8:0:0::1");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(PublicIpStore.in(data).read().pool()).containsExactly(
                new PoolEntry("192.0.2.10", "192.0.2.10"), new PoolEntry("192.0.2.11", "10.0.0.11"),
                new PoolEntry("2001:db8:0:0:0:0:0:1", "2001:db8:0:0:0:0:0:1"));
    }

    @Test
    void addRefusesWhatIsNotAnAddressAndAddsNothing() {
        CliRuns.Run run = ips("add", "192.0.2.10", "example.org");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("example.org").contains("not an IPv4 or IPv6 address");
        assertThat(PublicIpStore.in(data).read().pool()).isEmpty();
    }

    @Test
    void addRefusesAnAddressInThePoolAlready() {
        ips("add", "192.0.2.10");

        CliRuns.Run run = ips("add", "192.0.2.11", "192.0.2.10");

        assertThat(run.status()).isEqualTo(IpsCommand.REFUSED);
        assertThat(run.err()).contains("192.0.2.10 is in the pool already").contains("nothing was changed");
        assertThat(PublicIpStore.in(data).read().pool()).hasSize(1);
    }

    @Test
    void listShowsAllocations() {
        ips("add", "192.0.2.10=10.0.0.10", "192.0.2.11");
        PublicIpStore.in(data).change(state -> state.allocate(List.of(new NewPublicIp("ip-1",
                new ResourceOwner("alice", "p-1"), List.of(new PortRange(80, 81, IpProtocol.TCP))))));

        CliRuns.Run run = ips("list");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("192\\.0\\.2\\.10\\s+10\\.0\\.0\\.10\\s+ip-1\\s+alice \\(project p-1\\)"
                + "\\s+TCP 80-81");
        assertThat(run.out()).containsPattern("192\\.0\\.2\\.11\\s+192\\.0\\.2\\.11\\s+-\\s+-\\s+-");
        assertThat(run.out()).contains("2 address(es), 1 free");
    }

    @Test
    void removeOfAnAllocatedAddressNeedsForceAndNamesTheResource() {
        ips("add", "192.0.2.10");
        PublicIpStore.in(data).change(state -> state.allocate(List.of(new NewPublicIp("ip-1",
                new ResourceOwner("alice", null), List.of()))));

        CliRuns.Run refused = ips("remove", "192.0.2.10");

        assertThat(refused.status()).isEqualTo(IpsCommand.REFUSED);
        assertThat(refused.err()).contains("allocated to public IP ip-1").contains("--force");
        assertThat(PublicIpStore.in(data).read().pool()).hasSize(1);

        CliRuns.Run forced = ips("remove", "192.0.2.10", "--force");

        assertThat(forced.status()).as(forced.err()).isZero();
        assertThat(PublicIpStore.in(data).read().pool()).isEmpty();
        assertThat(PublicIpStore.in(data).read().allocations()).isEmpty();
    }

    @Test
    void removeOfAFreeAddress() {
        ips("add", "192.0.2.10", "192.0.2.11");

        CliRuns.Run run = ips("remove", "192.0.2.10");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(PublicIpStore.in(data).read().pool()).containsExactly(new PoolEntry("192.0.2.11", "192.0.2.11"));
    }

    @Test
    void removeOfAnAddressNotInThePoolIsRefused() {
        CliRuns.Run run = ips("remove", "192.0.2.99");

        assertThat(run.status()).isEqualTo(IpsCommand.REFUSED);
        assertThat(run.err()).contains("192.0.2.99 is not in the pool");
    }
}
