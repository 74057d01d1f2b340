package dk.sdu.cloud.im.harness.network.links;

import dk.sdu.cloud.im.harness.store.JobIntent;
import dk.sdu.cloud.im.harness.store.JobOperation;
import dk.sdu.cloud.im.harness.store.JobStore;
import dk.sdu.cloud.im.harness.store.JobSummary;
import dk.sdu.cloud.im.spi.job.AppParameterValue;
import dk.sdu.cloud.im.spi.job.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Which of the job store's jobs that have not ended (nor been asked to terminate) use a public link: the job's {@code ingress} resources name
 * the link's id and the port of the job it leads to. Read from the store each time, so that it never disagrees
 * with the jobs (a link is bound while a job that names it lives, as UCloud's {@code boundTo}).
 */
public final class LinkBindings {
    private static final Logger LOG = LoggerFactory.getLogger(LinkBindings.class);
    /** The type tag of a public link among a job's resources. */
    public static final String INGRESS = "ingress";

    private final JobStore store;
    private final JsonMapper json;

    public LinkBindings(JobStore store, JsonMapper json) {
        this.store = requireNonNull(store, "store is null");
        this.json = requireNonNull(json, "json is null");
    }

    /** The jobs that have not ended and use the link, with the port each binds it to (0 when none was given). */
    public List<Binding> jobsUsing(String linkId) {
        requireNonNull(linkId, "linkId is null");
        List<Binding> found = new ArrayList<>();
        for (JobSummary summary : store.list()) {
            if (summary.state().isFinal() || store.intent(summary.id()).map(JobIntent::operation)
                    .filter(JobOperation.TERMINATE::equals).isPresent()) {
                continue;
            }
            store.find(summary.id()).flatMap(stored -> read(stored.id(), stored.json())).ifPresent(job ->
                    linksOf(job).stream().filter(r -> linkId.equals(r.id())).findFirst().ifPresent(r ->
                            found.add(new Binding(job, r.port() == null ? 0 : r.port()))));
        }
        return List.copyOf(found);
    }

    /** A job's {@code ingress} resources, in order. */
    public static List<AppParameterValue> linksOf(Job job) {
        if (job.specification() == null) {
            return List.of();
        }
        return job.specification().resources().stream().filter(r -> INGRESS.equals(r.type())).toList();
    }

    private Optional<Job> read(String id, String text) {
        try {
            return Optional.of(json.readValue(text, Job.class));
        } catch (RuntimeException e) {
            LOG.warn("Stored job {} cannot be read as a job", id, e);
            return Optional.empty();
        }
    }

    /**
     * A job that uses a link.
     *
     * @param job  the job
     * @param port the port of its machine the link leads to
     */
    public record Binding(Job job, int port) {
        public Binding {
            requireNonNull(job, "job is null");
        }
    }
}
