package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.admission.VmJobNames;
import dk.sdu.cloud.im.kubevirt.cloudinit.AgentTokens;
import dk.sdu.cloud.im.kubevirt.cloudinit.AgentTokensReader;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobObjectsFactory;
import dk.sdu.cloud.im.kubevirt.reconcile.ObjectCache;
import dk.sdu.cloud.im.kubevirt.reconcile.ReconcileException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A job's agent tokens: the ones in its cloud-init Secret when the job has a VM (a guest may have booted with
 * them; cloud-init runs once, so new ones would never reach it), else new ones: 32 random bytes each from
 * {@link SecureRandom}, URL-safe base64 without padding. The Secret is read from the {@link ObjectCache} when it
 * can tell (the tokens of a Secret never change once made), else from the API server.
 */
final class AgentTokenSource {
    private static final int TOKEN_BYTES = 32;

    private static final ResourceDefinitionContext SECRETS = ResourceDefinitionContext.fromResourceType(Secret.class);

    private final KubernetesClient client;
    private final String namespace;
    private final SecureRandom random;
    private final ObjectCache cache;
    private final AgentTokensReader reader = new AgentTokensReader();

    AgentTokenSource(KubernetesClient client, String namespace, SecureRandom random, ObjectCache cache) {
        this.client = requireNonNull(client, "client is null");
        this.namespace = requireNonNull(namespace, "namespace is null");
        this.random = requireNonNull(random, "random is null");
        this.cache = requireNonNull(cache, "cache is null");
    }

    /**
     * The tokens of a job.
     *
     * @param vmExists whether the job has a VM; without one its Secret (if any) is a leftover the garbage
     *                 collector is about to take, and is not read
     */
    AgentTokens forJob(VmJobNames names, boolean vmExists) {
        requireNonNull(names, "names is null");
        if (vmExists) {
            Optional<AgentTokens> existing = existing(names.cloudInitSecret());
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        return generate();
    }

    /** New tokens. */
    AgentTokens generate() {
        return new AgentTokens(token(), token());
    }

    private Optional<AgentTokens> existing(String secretName) {
        ObjectCache.Lookup cached = cache.lookup(SECRETS, secretName);
        if (cached.known()) {
            return reader.readEncoded(cached.existing().map(AgentTokenSource::userData).orElse(null));
        }
        Secret secret;
        try {
            secret = client.secrets().inNamespace(namespace).withName(secretName).get();
        } catch (KubernetesClientException e) {
            throw new ReconcileException("Could not read Secret " + secretName + " in namespace " + namespace + ": "
                    + e.getMessage() + " (HTTP " + e.getCode() + ")", e);
        }
        return reader.readEncoded(secret == null || secret.getData() == null ? null
                : secret.getData().get(VmJobObjectsFactory.USER_DATA_KEY));
    }

    private static String userData(GenericKubernetesResource secret) {
        return secret.getAdditionalProperties().get("data") instanceof Map<?, ?> data
                && data.get(VmJobObjectsFactory.USER_DATA_KEY) instanceof String value ? value : null;
    }

    private String token() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
