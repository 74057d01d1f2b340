package dk.sdu.cloud.im.harness.metrics;

import dk.sdu.cloud.im.harness.store.JobStore;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.job.JobState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * The harness's meters and their Prometheus rendering.
 *
 * <p>Meters (Prometheus names): {@code http_server_requests_seconds{method,route,status}},
 * {@code ucloud_im_jobs{state}} (recorded jobs per state, read from the store at each scrape),
 * {@code ucloud_im_job_updates_received_total{state}} (updates sent by backends through
 * {@link #countingUpdates(JobUpdates)}; {@code state="none"} for message-only updates), and the JVM's
 * memory, GC, threads, class loading, CPU and uptime.
 */
public final class HarnessMetrics implements AutoCloseable {
    /** The content type of {@link #scrape()}: Prometheus text format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics;

    /**
     * @param store the job store whose jobs are counted by state
     */
    public HarnessMetrics(JobStore store) {
        requireNonNull(store, "store is null");
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        this.gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        for (JobState state : JobState.values()) {
            Gauge.builder("ucloud.im.jobs", store, s -> s.countByState().getOrDefault(state, 0L))
                    .description("Jobs recorded by the harness, by current state")
                    .tag("state", state.name())
                    .strongReference(true)
                    .register(registry);
        }
    }

    /** The registry, for further meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Records one HTTP request.
     *
     * @param method the HTTP method
     * @param route  the matched route template (e.g. {@code /ucloud/{providerId}/jobs}), never the raw path,
     *               so that ids do not become labels; {@code unmatched} when no route matched (also for
     *               requests refused before routing, i.e. 401s)
     * @param status the response status
     * @param time   how long it took
     */
    public void recordRequest(String method, String route, int status, Duration time) {
        Timer.builder("http.server.requests")
                .description("HTTP requests served")
                .tag("method", method)
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .register(registry)
                .record(time);
    }

    /** A {@link JobUpdates} that counts every update and hands it on to {@code delegate}. */
    public JobUpdates countingUpdates(JobUpdates delegate) {
        return new CountingJobUpdates(delegate, this);
    }

    void countUpdate(JobState state) {
        Counter.builder("ucloud.im.job.updates.received")
                .description("Job updates received from compute backends")
                .tag("state", state == null ? "none" : state.name())
                .register(registry)
                .increment();
    }

    /** Every meter in Prometheus text format ({@link #CONTENT_TYPE}). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
