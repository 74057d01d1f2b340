package dk.sdu.cloud.im.kubevirt.agent;

import dk.sdu.cloud.im.kubevirt.admission.VmJobNames;
import dk.sdu.cloud.im.kubevirt.cloudinit.AgentTokens;
import dk.sdu.cloud.im.kubevirt.cloudinit.AgentTokensReader;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobObjectsFactory;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * The agent tokens of jobs, read from their cloud-init Secrets (where the lifecycle keeps them, so an IM that
 * restarts still knows them) and then kept in memory: one entry per job whose agent authenticated, dropped
 * when the job is terminated or its token no longer matches (a job whose VM was made anew has new tokens).
 *
 * <p>A Secret is read on the given executor, never on a connection's thread, and under no lock: reading is
 * cluster I/O. Two agents of one job that dial at once may both read it; the answers are the same.
 */
public final class SecretAgentTokens {
    private final KubernetesClient client;
    private final String namespace;
    private final Executor executor;
    private final AgentTokensReader reader = new AgentTokensReader();
    private final Map<String, AgentTokens> known = new ConcurrentHashMap<>();

    public SecretAgentTokens(KubernetesClient client, String namespace, Executor executor) {
        this.client = requireNonNull(client, "client is null");
        this.namespace = requireNonNull(namespace, "namespace is null");
        this.executor = requireNonNull(executor, "executor is null");
    }

    /** The job's tokens, or empty when the job is no VM job of this IM (no such Secret, or none of ours). */
    public CompletableFuture<Optional<AgentTokens>> of(String jobId) {
        requireNonNull(jobId, "jobId is null");
        if (!VmJobNames.isDnsLabel(jobId)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        AgentTokens cached = known.get(jobId);
        if (cached != null) {
            return CompletableFuture.completedFuture(Optional.of(cached));
        }
        try {
            return CompletableFuture.supplyAsync(() -> read(jobId), executor);
        } catch (RejectedExecutionException stopping) {
            return CompletableFuture.failedFuture(stopping);
        }
    }

    /** Keeps the job's tokens in memory (its agent authenticated with them). */
    void remember(String jobId, AgentTokens tokens) {
        known.put(jobId, tokens);
    }

    /** Forgets the job's tokens: the job ended, or the ones kept did not match. */
    public void forget(String jobId) {
        known.remove(jobId);
    }

    private Optional<AgentTokens> read(String jobId) {
        Secret secret = client.secrets().inNamespace(namespace).withName(new VmJobNames(jobId).cloudInitSecret())
                .get();
        return reader.readEncoded(secret == null || secret.getData() == null ? null
                : secret.getData().get(VmJobObjectsFactory.USER_DATA_KEY));
    }
}
