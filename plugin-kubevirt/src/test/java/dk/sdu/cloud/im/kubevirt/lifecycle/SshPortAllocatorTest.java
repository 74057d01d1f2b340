package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.admission.SshAccess;
import dk.sdu.cloud.im.kubevirt.testing.EmbeddedClusterTest;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static dk.sdu.cloud.im.kubevirt.testing.Awaits.await;
import static org.assertj.core.api.Assertions.assertThat;

class SshPortAllocatorTest extends EmbeddedClusterTest {

    static final SshAccess RANGE = new SshAccess("10.0.0.10", "ssh.example.org", 2000, 2003);
    SshPortAllocator allocator;

    @BeforeEach
    void startAllocator() {
        allocator = new SshPortAllocator(informersOn(client));
    }

    void sshService(String jobId, int port, boolean ours) {
        ServiceBuilder service = new ServiceBuilder().withNewMetadata().withName("j-" + jobId + "-ssh")
                .withNamespace(namespace).addToLabels("ucloud.dk/jobId", jobId).endMetadata()
                .withNewSpec().addNewPort().withName("ssh").withPort(port).endPort().endSpec();
        if (ours) {
            service.editMetadata().addToLabels("app.kubernetes.io/managed-by", "ucloud-im").endMetadata();
        }
        admin.services().inNamespace(namespace).resource(service.build()).create();
    }

    @Test
    void aJobKeepsThePortOfItsServiceAndOthersGetTheLowestFree() {
        sshService("a", 2001, true);
        allocator.start();

        assertThat(allocator.allocate("a", RANGE)).isEqualTo(OptionalInt.of(2001));
        assertThat(allocator.allocate("b", RANGE)).isEqualTo(OptionalInt.of(2000));
        assertThat(allocator.allocate("c", RANGE)).isEqualTo(OptionalInt.of(2002));
        assertThat(allocator.allocate("d", RANGE)).isEmpty();
        assertThat(allocator.portOf("b")).isEqualTo(OptionalInt.of(2000));
        assertThat(allocator.portOf("d")).isEmpty();

        allocator.release("b");
        assertThat(allocator.allocate("d", RANGE)).isEqualTo(OptionalInt.of(2000));
        // Asking again gives the same port.
        assertThat(allocator.allocate("d", RANGE)).isEqualTo(OptionalInt.of(2000));
    }

    @Test
    void servicesAppearingLaterAreSeenAndOnlyOursCount() {
        allocator.start();
        sshService("x", 2000, true);
        sshService("y", 2001, false);
        await().until(() -> allocator.hasService("x"));

        assertThat(allocator.allocate("z", RANGE)).isEqualTo(OptionalInt.of(2001));
        assertThat(allocator.hasService("y")).isFalse();
    }

    @Test
    void aServiceMovedToAnotherPortFreesItsOldOneAndHoldsTheNewOne() {
        sshService("a", 2000, true);
        allocator.start();
        admin.services().inNamespace(namespace).withName("j-a-ssh").edit(service -> {
            service.getSpec().getPorts().get(0).setPort(2002);
            return service;
        });
        await().until(() -> allocator.portOf("a").equals(OptionalInt.of(2002)));

        assertThat(allocator.allocate("b", RANGE)).isEqualTo(OptionalInt.of(2000));
        assertThat(allocator.allocate("c", RANGE)).isEqualTo(OptionalInt.of(2001));
        assertThat(allocator.allocate("d", RANGE)).as("2002 is a's").isEmpty();
    }

    @Test
    void aPortOutsideTheRangeIsReplaced() {
        sshService("a", 9999, true);
        allocator.start();

        assertThat(allocator.portOf("a")).isEqualTo(OptionalInt.of(9999));
        assertThat(allocator.allocate("a", RANGE)).isEqualTo(OptionalInt.of(2000));
    }
}
