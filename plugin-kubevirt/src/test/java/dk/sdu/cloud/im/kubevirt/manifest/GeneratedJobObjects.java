package dk.sdu.cloud.im.kubevirt.manifest;

import dk.sdu.cloud.im.kubevirt.cloudinit.AgentTokens;
import dk.sdu.cloud.im.kubevirt.testing.ExampleJobs;
import dk.sdu.cloud.im.kubevirt.testing.ExampleProvider;
import dk.sdu.cloud.im.spi.job.JobOwner;
import dk.sdu.cloud.im.spi.job.ProductReference;
import dk.sdu.cloud.im.spi.job.SshMode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * The objects the backend makes for a range of jobs, with both storage examples, running and halted, by a
 * readable name ({@code "<config>: <job>"} and {@code "<config>: <job>, halted"}): what the schema tests check.
 */
final class GeneratedJobObjects {
    static final AgentTokens TOKENS = new AgentTokens("a", "s");

    private GeneratedJobObjects() {
    }

    static Map<String, VmJobObjects> all() {
        Map<String, VmJobObjects> built = new LinkedHashMap<>();
        for (String config : List.of(ExampleProvider.HOSTPATH, ExampleProvider.CSI)) {
            ExampleProvider provider = ExampleProvider.load(config);
            jobs().forEach((name, change) -> {
                var plan = provider.admission().admit(ExampleJobs.vmJob(change));
                built.put(config + ": " + name, provider.objectsFactory().build(plan,
                        VmJobRuntimeInputs.running(TOKENS, List.of("ssh-ed25519 AAAA a"), OptionalInt.of(2001))));
                built.put(config + ": " + name + ", halted", provider.objectsFactory().build(plan,
                        new VmJobRuntimeInputs(PowerState.HALTED, TOKENS, List.of(), OptionalInt.empty())));
            });
        }
        return built;
    }

    private static Map<String, Consumer<ExampleJobs.Edit>> jobs() {
        Map<String, Consumer<ExampleJobs.Edit>> jobs = new LinkedHashMap<>();
        jobs.put("example job", job -> { });
        jobs.put("no SSH", job -> job.sshMode(SshMode.DISABLED));
        jobs.put("project job", job -> job.owner = new JobOwner("bob#2", "p-42"));
        jobs.put("no folders, 1 vCPU", job -> {
            job.resources.clear();
            job.product = new ProductReference("u1-standard-1", "u1-standard", "k8s");
        });
        jobs.put("several folders, read-only and explicit paths, own host name", job -> {
            job.hostname = "analysis";
            job.folder("/18/Data", null, true).folder("/19/Data", "/data/nineteen", false)
                    .folder("/20/Scratch", "/scratch", true);
        });
        return jobs;
    }
}
