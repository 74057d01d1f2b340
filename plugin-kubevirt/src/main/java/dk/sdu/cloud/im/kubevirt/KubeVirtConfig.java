package dk.sdu.cloud.im.kubevirt;

import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ConfigSection;
import dk.sdu.cloud.im.kubevirt.disk.IpNetwork;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * {@code services.compute.virtualMachines}: the KubeVirt backend's own keys. {@code storage} below it
 * belongs to the host (its {@code type}) and to the selected storage plugin (the rest).
 *
 * @param enabled                   whether virtual machines may run at all
 * @param podLevelResources         ask for pod-level cpu/memory resources (UCloud's
 *                                  {@code ucloud.dk/podLevelResources} annotation)
 * @param imageCacheFolder          where golden images are cached, relative to
 *                                  {@code services.fileSystem.mountPoint}
 * @param agentEndpoint             the websocket URL at which guests' agents reach the IM
 * @param missingVmGraceSeconds     how long a job's VM may be missing before the job is reported ended
 * @param shellAgentTimeoutSeconds  how long a shell waits for the guest's agent to answer before it uses the
 *                                  VM's serial console instead, 1-{@value #MAX_SHELL_AGENT_TIMEOUT_SECONDS}
 * @param imageDownloads            from which networks disk images may be downloaded beyond the public
 *                                  internet
 * @param agentBundle               the guest agent's bundle, a folder of the IM's installation (relative) or
 *                                  anywhere (absolute); the backend copies it into the provider's
 *                                  {@code ucloud-exe} folder, the guests' {@code /opt/ucloud}
 * @param agentConnectTimeoutSeconds how long after its boot began a guest's agent may take to connect before
 *                                  the job's status points the user to the console; 0: never
 * @param ingress                   how the Ingresses of public links are made
 * @param maxParallelStarts         how many starts (and unsuspends) of different jobs the backend carries out
 *                                  at the same time, at most; more wait their turn
 */
@ConfigSection("services.compute.virtualMachines")
public record KubeVirtConfig(
        @ConfigDefault("false") boolean enabled,
        @ConfigDefault("false") boolean podLevelResources,
        @ConfigDefault("vm-golden-images") String imageCacheFolder,
        @ConfigDefault("ws://ucloud-im:42000/api/vmagent") String agentEndpoint,
        @ConfigDefault("300") int missingVmGraceSeconds,
        @ConfigDefault("" + DEFAULT_SHELL_AGENT_TIMEOUT_SECONDS) int shellAgentTimeoutSeconds,
        @ConfigDefault("{}") ImageDownloads imageDownloads,
        @ConfigDefault(KubeVirtConfig.DEFAULT_AGENT_BUNDLE) String agentBundle,
        @ConfigDefault("" + KubeVirtConfig.DEFAULT_AGENT_CONNECT_TIMEOUT_SECONDS) int agentConnectTimeoutSeconds,
        @ConfigDefault("{}") LinkIngress ingress,
        @ConfigDefault("" + KubeVirtConfig.DEFAULT_MAX_PARALLEL_STARTS) int maxParallelStarts
) implements ValidatedConfig {
    /** The default of {@code agentConnectTimeoutSeconds}: most images boot to their agent within a minute or two. */
    public static final int DEFAULT_AGENT_CONNECT_TIMEOUT_SECONDS = 300;
    /**
     * The default of {@code maxParallelStarts}: a start is a couple of dozen short API requests, so a few in
     * flight keep an API server busy without queueing behind each other.
     */
    public static final int DEFAULT_MAX_PARALLEL_STARTS = 8;
    /** The default of {@code shellAgentTimeoutSeconds}. */
    public static final int DEFAULT_SHELL_AGENT_TIMEOUT_SECONDS = 5;
    /** A TTY token is valid for 30 s (docs/agent-protocol.md): waiting longer for the agent gains nothing. */
    public static final int MAX_SHELL_AGENT_TIMEOUT_SECONDS = 30;
    /** Where an installation carries the agent bundle, relative to the installation folder. */
    public static final String DEFAULT_AGENT_BUNDLE = "guest/vm-agent";

    public KubeVirtConfig {
        requireNonNull(imageDownloads, "imageDownloads is null");
        requireNonNull(agentBundle, "agentBundle is null");
        requireNonNull(ingress, "ingress is null");
    }

    /**
     * The configuration without {@code imageDownloads} (images only from public addresses) and with the default
     * {@code shellAgentTimeoutSeconds}.
     */
    public KubeVirtConfig(boolean enabled, boolean podLevelResources, String imageCacheFolder, String agentEndpoint,
                          int missingVmGraceSeconds) {
        this(enabled, podLevelResources, imageCacheFolder, agentEndpoint, missingVmGraceSeconds,
                DEFAULT_SHELL_AGENT_TIMEOUT_SECONDS, ImageDownloads.PUBLIC_ONLY, DEFAULT_AGENT_BUNDLE,
                DEFAULT_AGENT_CONNECT_TIMEOUT_SECONDS, LinkIngress.DEFAULTS, DEFAULT_MAX_PARALLEL_STARTS);
    }

    /** The same configuration with other {@code imageDownloads}. */
    public KubeVirtConfig withImageDownloads(ImageDownloads other) {
        return new KubeVirtConfig(enabled, podLevelResources, imageCacheFolder, agentEndpoint, missingVmGraceSeconds,
                shellAgentTimeoutSeconds, other, agentBundle, agentConnectTimeoutSeconds, ingress,
                maxParallelStarts);
    }

    /** The same configuration with another {@code shellAgentTimeoutSeconds}. */
    public KubeVirtConfig withShellAgentTimeoutSeconds(int seconds) {
        return new KubeVirtConfig(enabled, podLevelResources, imageCacheFolder, agentEndpoint, missingVmGraceSeconds,
                seconds, imageDownloads, agentBundle, agentConnectTimeoutSeconds, ingress, maxParallelStarts);
    }

    /** The same configuration with another {@code agentBundle}. */
    public KubeVirtConfig withAgentBundle(String other) {
        return new KubeVirtConfig(enabled, podLevelResources, imageCacheFolder, agentEndpoint, missingVmGraceSeconds,
                shellAgentTimeoutSeconds, imageDownloads, other, agentConnectTimeoutSeconds, ingress,
                maxParallelStarts);
    }

    /** The same configuration with another {@code agentConnectTimeoutSeconds}. */
    public KubeVirtConfig withAgentConnectTimeoutSeconds(int seconds) {
        return new KubeVirtConfig(enabled, podLevelResources, imageCacheFolder, agentEndpoint, missingVmGraceSeconds,
                shellAgentTimeoutSeconds, imageDownloads, agentBundle, seconds, ingress, maxParallelStarts);
    }

    /** The same configuration with another {@code ingress}. */
    public KubeVirtConfig withIngress(LinkIngress other) {
        return new KubeVirtConfig(enabled, podLevelResources, imageCacheFolder, agentEndpoint, missingVmGraceSeconds,
                shellAgentTimeoutSeconds, imageDownloads, agentBundle, agentConnectTimeoutSeconds, other,
                maxParallelStarts);
    }

    /** The same configuration with another {@code maxParallelStarts}. */
    public KubeVirtConfig withMaxParallelStarts(int starts) {
        return new KubeVirtConfig(enabled, podLevelResources, imageCacheFolder, agentEndpoint, missingVmGraceSeconds,
                shellAgentTimeoutSeconds, imageDownloads, agentBundle, agentConnectTimeoutSeconds, ingress, starts);
    }

    /**
     * {@code services.compute.virtualMachines.ingress}: how the {@code networking.k8s.io/v1} Ingress of each public
     * link is made (cluster mode; embedded mode routes links through the IM itself).
     *
     * @param className   the Ingress's {@code spec.ingressClassName}; empty: the cluster's default class
     * @param tlsSecret   the Secret (in the jobs' namespace) with the certificate for the links' domains, usually a
     *                    wildcard for {@code *<publicLinks.suffix>}; empty: no {@code tls} section (TLS ends in front
     *                    of the ingress controller, or not at all)
     * @param annotations extra annotations of every Ingress, e.g. the controller's timeouts for websockets
     * @param controllerNamespace the namespace of the ingress controller's pods: when given, the NetworkPolicy of a
     *                    job with links lets that namespace reach the links' ports; empty: the namespace's own
     *                    policies must let the controller in (as with UCloud's IM)
     */
    public record LinkIngress(Optional<String> className, Optional<String> tlsSecret, Map<String, String> annotations,
                              Optional<String> controllerNamespace)
            implements ValidatedConfig {
        /** The cluster's default class, no TLS, no annotations, no rule for the controller. */
        public static final LinkIngress DEFAULTS = new LinkIngress(Optional.empty(), Optional.empty(), Map.of(),
                Optional.empty());

        private static final Pattern SUBDOMAIN = Pattern.compile(
                "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
        private static final Pattern ANNOTATION_KEY = Pattern.compile(
                "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

        public LinkIngress {
            requireNonNull(className, "className is null");
            requireNonNull(tlsSecret, "tlsSecret is null");
            annotations = Map.copyOf(requireNonNull(annotations, "annotations is null"));
            requireNonNull(controllerNamespace, "controllerNamespace is null");
        }

        @Override
        public List<ConfigProblem> validate() {
            List<ConfigProblem> problems = new ArrayList<>();
            className.filter(name -> !isSubdomain(name)).ifPresent(name -> problems.add(new ConfigProblem("className",
                    "must be the name of an IngressClass (lowercase letters, digits, '-' and '.'), got '" + name + "'")));
            tlsSecret.filter(name -> !isSubdomain(name)).ifPresent(name -> problems.add(new ConfigProblem("tlsSecret",
                    "must be the name of a Secret (lowercase letters, digits, '-' and '.'), got '" + name + "'")));
            controllerNamespace.filter(name -> name.length() > 63 || !name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"))
                    .ifPresent(name -> problems.add(new ConfigProblem("controllerNamespace",
                            "must be the name of a namespace (a DNS label), got '" + name + "'")));
            annotations.keySet().stream().sorted().filter(key -> key.length() > 316
                    || !ANNOTATION_KEY.matcher(key).matches()).forEach(key -> problems.add(new ConfigProblem(
                    "annotations", "'" + key + "' is not a valid annotation key (an optional DNS prefix and '/', then "
                    + "letters, digits, '-', '_' and '.')")));
            return problems;
        }

        private static boolean isSubdomain(String name) {
            return name.length() <= 253 && SUBDOMAIN.matcher(name).matches();
        }
    }

    /**
     * {@code services.compute.virtualMachines.imageDownloads}: exceptions to the rule that disk images are
     * downloaded only from public addresses (see {@code docs/disk-preparation.md}). Loopback, link-local,
     * private, shared (CGNAT), multicast, broadcast, reserved and unspecified addresses are refused unless
     * a network here allows them.
     *
     * @param allowedNetworks networks in CIDR notation (e.g. {@code 10.0.5.0/24}, {@code fd00:5::/64}, or a
     *                        single address) that images may come from although they are not public, e.g.
     *                        an internal mirror
     * @param blockedNetworks networks refused although they are public, e.g. the cluster's pod and service
     *                        ranges when those are not private addresses; they win over
     *                        {@code allowedNetworks}
     */
    public record ImageDownloads(List<String> allowedNetworks, List<String> blockedNetworks)
            implements ValidatedConfig {
        /** No exceptions: images only from public addresses. */
        public static final ImageDownloads PUBLIC_ONLY = new ImageDownloads(List.of(), List.of());

        public ImageDownloads {
            allowedNetworks = List.copyOf(requireNonNull(allowedNetworks, "allowedNetworks is null"));
            blockedNetworks = List.copyOf(requireNonNull(blockedNetworks, "blockedNetworks is null"));
        }

        @Override
        public List<ConfigProblem> validate() {
            List<ConfigProblem> problems = new ArrayList<>();
            checkNetworks("allowedNetworks", allowedNetworks, problems);
            checkNetworks("blockedNetworks", blockedNetworks, problems);
            return problems;
        }

        private static void checkNetworks(String key, List<String> networks, List<ConfigProblem> problems) {
            for (int i = 0; i < networks.size(); i++) {
                try {
                    IpNetwork.parse(networks.get(i));
                } catch (IllegalArgumentException e) {
                    problems.add(new ConfigProblem(key + "[" + i + "]", e.getMessage()));
                }
            }
        }
    }

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        if (imageCacheFolder.isBlank() || imageCacheFolder.startsWith("/")
                || List.of(imageCacheFolder.split("/")).contains("..")) {
            problems.add(new ConfigProblem("imageCacheFolder",
                    "must be a folder relative to services.fileSystem.mountPoint, got '" + imageCacheFolder + "'"));
        }
        if (!agentEndpoint.startsWith("ws://") && !agentEndpoint.startsWith("wss://")) {
            problems.add(new ConfigProblem("agentEndpoint",
                    "must be a ws:// or wss:// URL, got '" + agentEndpoint + "'"));
        } else {
            agentEndpointProblem().ifPresent(problem -> problems.add(new ConfigProblem("agentEndpoint", problem)));
        }
        if (agentBundle.isBlank()) {
            problems.add(new ConfigProblem("agentBundle",
                    "must name the agent bundle's folder (relative to the installation, or absolute)"));
        }
        if (missingVmGraceSeconds < 0) {
            problems.add(new ConfigProblem("missingVmGraceSeconds",
                    "must not be negative, got " + missingVmGraceSeconds));
        }
        if (agentConnectTimeoutSeconds < 0) {
            problems.add(new ConfigProblem("agentConnectTimeoutSeconds",
                    "must not be negative (0: never point to the console), got " + agentConnectTimeoutSeconds));
        }
        if (maxParallelStarts < 1) {
            problems.add(new ConfigProblem("maxParallelStarts", "must be at least 1, got " + maxParallelStarts));
        }
        if (shellAgentTimeoutSeconds < 1 || shellAgentTimeoutSeconds > MAX_SHELL_AGENT_TIMEOUT_SECONDS) {
            problems.add(new ConfigProblem("shellAgentTimeoutSeconds", "must be 1-" + MAX_SHELL_AGENT_TIMEOUT_SECONDS
                    + " (a TTY token is valid for " + MAX_SHELL_AGENT_TIMEOUT_SECONDS + " s), got "
                    + shellAgentTimeoutSeconds));
        }
        return problems;
    }

    /** What is wrong with the agent endpoint's URL beyond its scheme (it must give a port and path to serve). */
    private Optional<String> agentEndpointProblem() {
        try {
            URI uri = new URI(agentEndpoint);
            if (uri.getHost() == null) {
                return Optional.of("must name a host, got '" + agentEndpoint + "'");
            }
            if (uri.getQuery() != null || uri.getFragment() != null) {
                return Optional.of("must have no query or fragment, got '" + agentEndpoint + "'");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL (" + e.getReason() + "): '" + agentEndpoint + "'");
        }
    }
}
