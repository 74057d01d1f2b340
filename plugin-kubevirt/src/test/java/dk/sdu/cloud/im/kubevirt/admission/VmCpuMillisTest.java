package dk.sdu.cloud.im.kubevirt.admission;

import dk.sdu.cloud.im.spi.host.Product;
import dk.sdu.cloud.im.spi.host.Product.Fraction;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** UCloud's IM's CPU request and limit of a VM, from the product. */
class VmCpuMillisTest {

    private static Product product(int cpu, int gpu, Fraction fraction, int reservedPerCore) {
        return new Product("p", "c", "g", cpu, 16, gpu, true, false, "", "", "", Product.DEFAULT_GPU_TYPE,
                fraction, reservedPerCore);
    }

    @Test
    void theRequestLeavesTheReservedMillicoresPerVcpu() {
        assertThat(VmCpuMillis.of(product(4, 0, Fraction.WHOLE, 25))).isEqualTo(new VmCpuMillis(3900, 4000));
    }

    @Test
    void withoutGpusTheFractionScalesBoth() {
        // 4 vCPUs at 1/2: 2 cores; limit 2000m, request floor(2 * (1000 - 8)).
        assertThat(VmCpuMillis.of(product(4, 0, new Fraction(1, 2), 8))).isEqualTo(new VmCpuMillis(1984, 2000));
        // 1/3 of 1 vCPU: 333.3... cores' millis, rounded down in both.
        assertThat(VmCpuMillis.of(product(1, 0, new Fraction(1, 3), 0))).isEqualTo(new VmCpuMillis(333, 333));
    }

    @Test
    void withGpusTheFractionIsTheGpusShareAndCpuIsWhole() {
        assertThat(VmCpuMillis.of(product(2, 1, new Fraction(1, 7), 8))).isEqualTo(new VmCpuMillis(1984, 2000));
    }

    @Test
    void aZeroNumeratorCountsAsTheWholeMachine() {
        assertThat(VmCpuMillis.of(product(2, 0, new Fraction(0, 4), 0))).isEqualTo(new VmCpuMillis(2000, 2000));
    }

    @Test
    void aProductWithoutReservationRequestsWhatItMayUse() {
        assertThat(VmCpuMillis.of(new Product("p", "c", "g", 8, 32, 0, true, false))).isEqualTo(VmCpuMillis.whole(8));
    }

    @Test
    void quantitiesAreWholeCoresWhenWholeElseMillicores() {
        assertThat(VmCpuMillis.quantity(4000)).isEqualTo("4");
        assertThat(VmCpuMillis.quantity(3900)).isEqualTo("3900m");
        assertThat(VmCpuMillis.quantity(0)).isEqualTo("0");
    }

    @Test
    void theRequestNeverExceedsTheLimit() {
        assertThatThrownBy(() -> new VmCpuMillis(2000, 1000)).isInstanceOf(IllegalArgumentException.class);
    }
}
