package dk.sdu.cloud.im.simulator;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestFaultInjectorTest {

    private final RequestFaultInjector injector = new RequestFaultInjector();

    /** Binomial(10000, 0.05): mean 500, standard deviation 21.8; the bound is 5 deviations either side. */
    @Test
    void aRateOfFivePercentFailsAboutFivePercentOfClientRequests() {
        injector.plan(new RequestFaults(0.05, 7L, EnumSet.of(FaultKind.INTERNAL_ERROR, FaultKind.TIMEOUT)));

        List<FaultKind> drawn = draws(10_000, get());

        long failed = drawn.stream().filter(kind -> kind != null).count();
        assertThat(failed).isBetween(391L, 609L);
        assertThat(drawn).contains(FaultKind.INTERNAL_ERROR, FaultKind.TIMEOUT);
        assertThat(injector.injected().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(failed);
    }

    @Test
    void theSameSeedDrawsTheSameFaultsAndAnotherSeedOthers() {
        RequestFaults plan = new RequestFaults(0.05, 7L, EnumSet.allOf(FaultKind.class));
        injector.plan(plan);
        List<FaultKind> first = draws(2_000, post());
        injector.plan(plan);
        List<FaultKind> again = draws(2_000, post());
        injector.plan(new RequestFaults(0.05, 8L, EnumSet.allOf(FaultKind.class)));
        List<FaultKind> otherSeed = draws(2_000, post());

        assertThat(again).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @Test
    void theSimulationsRequestsNeverFailAndDrawNothing() {
        injector.plan(new RequestFaults(1.0, 7L, EnumSet.allOf(FaultKind.class)));
        RecordedRequest own = new RecordedRequest("HTTP/1.1", HttpMethod.POST, "/api/v1/namespaces/n/configmaps",
                Headers.builder().add(EmbeddedKubernetes.SIMULATION_HEADER, "true").build(), new Buffer());

        assertThat(draws(100, own)).containsOnlyNulls();
        assertThat(injector.injected()).isEmpty();
    }

    @Test
    void kindsApplyOnlyWhereTheyMakeSense() {
        injector.plan(new RequestFaults(1.0, 7L, EnumSet.of(FaultKind.CONFLICT)));
        assertThat(injector.draw(get())).isNull();
        assertThat(injector.draw(post())).isEqualTo(FaultKind.CONFLICT);
        assertThat(injector.draw(watch())).isNull();

        injector.plan(new RequestFaults(1.0, 7L, EnumSet.of(FaultKind.INTERNAL_ERROR, FaultKind.WATCH_CLOSE)));
        assertThat(injector.draw(watch())).isEqualTo(FaultKind.WATCH_CLOSE);
        assertThat(injector.draw(get())).isEqualTo(FaultKind.INTERNAL_ERROR);
    }

    @Test
    void aPlanIsValidated() {
        assertThatThrownBy(() -> new RequestFaults(1.5, 1L, Set.of(FaultKind.CONFLICT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rate");
        assertThatThrownBy(() -> new RequestFaults(Double.NaN, 1L, Set.of(FaultKind.CONFLICT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rate");
        assertThatThrownBy(() -> new RequestFaults(0.1, 1L, Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kind");
        assertThatThrownBy(() -> new RequestFaults(0.1, 1L, Set.of(FaultKind.TIMEOUT), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeoutHold");
        assertThat(new RequestFaults(0.1, 1L, Set.of(FaultKind.CONFLICT, FaultKind.INTERNAL_ERROR)).kinds())
                .containsExactly(FaultKind.INTERNAL_ERROR, FaultKind.CONFLICT);
        assertThat(new RequestFaults(0.0, 0L, EnumSet.noneOf(FaultKind.class))).isEqualTo(RequestFaults.none());
    }

    private List<FaultKind> draws(int count, RecordedRequest request) {
        List<FaultKind> drawn = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            drawn.add(injector.draw(request));
        }
        return drawn;
    }

    private static RecordedRequest get() {
        return new RecordedRequest("HTTP/1.1", HttpMethod.GET, "/api/v1/namespaces/n/configmaps/a",
                Headers.builder().build(), new Buffer());
    }

    private static RecordedRequest post() {
        return new RecordedRequest("HTTP/1.1", HttpMethod.POST, "/api/v1/namespaces/n/configmaps",
                Headers.builder().build(), new Buffer());
    }

    private static RecordedRequest watch() {
        return new RecordedRequest("HTTP/1.1", HttpMethod.GET, "/api/v1/namespaces/n/configmaps?watch=true",
                Headers.builder().build(), new Buffer());
    }
}
