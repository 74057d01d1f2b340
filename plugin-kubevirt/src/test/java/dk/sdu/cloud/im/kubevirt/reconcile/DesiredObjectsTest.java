package dk.sdu.cloud.im.kubevirt.reconcile;

import dk.sdu.cloud.im.kubevirt.testing.VmJobFixture;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DesiredObjectsTest {

    final DesiredObjects valid = new VmJobFixture("42", "ns").desired();

    @Test
    void theVmMustBeAKubeVirtVirtualMachine() {
        GenericKubernetesResource notAVm = new GenericKubernetesResourceBuilder().withApiVersion("v1").withKind("Pod")
                .withNewMetadata().withName("p").endMetadata().build();
        assertThatThrownBy(() -> new DesiredObjects("42", notAVm, valid.ownedByVm(), valid.volumes()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vm must be a kubevirt.io/v1 VirtualMachine, got v1 Pod");
    }

    @Test
    void everyObjectNeedsAName() {
        List<HasMetadata> owned = new ArrayList<>(valid.ownedByVm());
        owned.add(new ConfigMapBuilder().withNewMetadata().endMetadata().build());
        assertThatThrownBy(() -> new DesiredObjects("42", valid.vm(), owned, valid.volumes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a desired ConfigMap of job 42 has no name");
    }

    @Test
    void namesAreUniquePerKind() {
        List<HasMetadata> owned = new ArrayList<>(valid.ownedByVm());
        owned.add(valid.ownedByVm().get(0));
        assertThatThrownBy(() -> new DesiredObjects("42", valid.vm(), owned, valid.volumes()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("job 42 has two desired PersistentVolumeClaim objects named vm-42-0");
    }

    @Test
    void aRunStrategyCanBeSetWithoutTouchingTheOriginal() {
        DesiredObjects halted = valid.withRunStrategy("Halted");
        assertThat((String) halted.vm().get("spec", "runStrategy")).isEqualTo("Halted");
        assertThat((String) valid.vm().get("spec", "runStrategy")).isEqualTo("RerunOnFailure");
        assertThat(halted.vmName()).isEqualTo("vm-42-0");
    }
}
