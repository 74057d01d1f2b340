package dk.sdu.cloud.im.kubevirt.testing;

import dk.sdu.cloud.im.spi.job.AppParameterValue;
import dk.sdu.cloud.im.spi.job.ApplicationInvocation;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobOwner;
import dk.sdu.cloud.im.spi.job.JobSpecification;
import dk.sdu.cloud.im.spi.job.JobStatus;
import dk.sdu.cloud.im.spi.job.NameAndVersion;
import dk.sdu.cloud.im.spi.job.ProductReference;
import dk.sdu.cloud.im.spi.job.ResolvedApplication;
import dk.sdu.cloud.im.spi.job.SshDescription;
import dk.sdu.cloud.im.spi.job.SshMode;
import dk.sdu.cloud.im.spi.job.Tool;
import dk.sdu.cloud.im.spi.job.ToolDescription;
import dk.sdu.cloud.im.spi.job.ToolReference;
import dk.sdu.cloud.im.testdata.TestData;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The example VM job ({@link TestData#VM_JOB}) and edited copies of it. */
public final class ExampleJobs {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ExampleJobs() {
    }

    /** The example job as Core sends it. */
    public static Job vmJob() {
        return JSON.readValue(TestData.read(TestData.VM_JOB), Job.class);
    }

    /** The example job with some fields changed. */
    public static Job vmJob(Consumer<Edit> change) {
        Edit edit = new Edit(vmJob());
        change.accept(edit);
        return edit.build();
    }

    /** The changeable parts of a job. */
    public static final class Edit {
        public String id;
        public JobOwner owner;
        public NameAndVersion application;
        public ProductReference product;
        public String hostname;
        public int replicas;
        public final Map<String, AppParameterValue> parameters;
        public final List<AppParameterValue> resources;
        public boolean sshEnabled;
        public final Map<String, String> labels;
        public String backend;
        public String image;
        public String imageSha256;
        public SshDescription ssh;
        private final Job original;

        private Edit(Job job) {
            original = job;
            JobSpecification spec = job.specification();
            id = job.id();
            owner = job.owner();
            application = spec.application();
            product = spec.product();
            hostname = spec.hostname();
            replicas = spec.replicas();
            parameters = new LinkedHashMap<>(spec.parameters());
            resources = new ArrayList<>(spec.resources());
            sshEnabled = spec.sshEnabled();
            labels = new LinkedHashMap<>(spec.labels());
            ToolDescription tool = job.toolDescription().orElseThrow();
            backend = tool.backend();
            image = tool.image();
            imageSha256 = tool.imageSha256();
            ssh = job.status().resolvedApplication().invocation().ssh();
        }

        public Edit sshMode(SshMode mode) {
            ssh = mode == null ? null : new SshDescription(mode);
            return this;
        }

        public Edit folder(String path, String mountPath, boolean readOnly) {
            resources.add(new AppParameterValue(AppParameterValue.FILE, path, mountPath, readOnly, null, null, null,
                    null, null));
            return this;
        }

        public Edit diskSize(Object value) {
            parameters.put("diskSize", new AppParameterValue("integer", null, null, null, value, null, null, null,
                    null));
            return this;
        }

        Job build() {
            JobSpecification spec = original.specification();
            JobSpecification newSpec = new JobSpecification(application, product, spec.name(), hostname,
                    replicas, parameters, resources, spec.timeAllocation(), sshEnabled, labels);
            ResolvedApplication app = original.status().resolvedApplication();
            ToolReference toolRef = app.invocation().tool();
            ApplicationInvocation invocation = new ApplicationInvocation(
                    new ToolReference(toolRef.name(), toolRef.version(),
                            new Tool(new ToolDescription(backend, image, imageSha256))),
                    ssh, app.invocation().vnc());
            JobStatus status = original.status();
            JobStatus newStatus = new JobStatus(status.state(), status.startedAt(), status.expiresAt(),
                    new ResolvedApplication(app.metadata(), invocation), status.allowRestart());
            return new Job(id, original.createdAt(), owner, newSpec, newStatus, original.updates());
        }
    }
}
