package dk.sdu.cloud.im.harness.chaos;

import dk.sdu.cloud.im.harness.auth.CoreTokenSigner;
import dk.sdu.cloud.im.harness.auth.ProviderKeyPair;
import dk.sdu.cloud.im.harness.auth.UCloudPublicKeyFile;
import dk.sdu.cloud.im.harness.client.CallCredentials;
import dk.sdu.cloud.im.harness.client.SignedCoreCredentials;
import dk.sdu.cloud.im.harness.testing.ServeConfigs;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration the run gives the IM: the demo's template from the host's jar (the example's products,
 * HostPath storage, SSH on, image downloads allowed from 127.0.0.1, where the run serves its image) with the
 * run's folders, a loopback port the IM binds as it starts (port 0: its ready line names it, {@link ServingLine}),
 * the folder of Core's public key, its data directory, and {@code harness.kubernetes.mode: kubeconfig} pointing at
 * the run's cluster.
 */
final class ChaosImConfig {
    private static final String TEMPLATE = "/dk/sdu/cloud/im/harness/demo/demo-config.yaml";
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final int SSH_PORT_MIN = 2000;

    private ChaosImConfig() {
    }

    /** The settings of one run's IM. */
    record Settings(Path fileSystem, Path dataDirectory, Path kubeconfig, Path coreKeyFolder, int jobs,
                    Map<String, String> extra) {
    }

    /**
     * A key pair of Core's for one run: the public half written to {@code folder} (the IM's
     * {@code harness.auth.publicKeyFolder}), the private half signing the run's calls.
     */
    static CallCredentials coreCredentials(Path folder) {
        ProviderKeyPair keys = ProviderKeyPair.generate();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        UCloudPublicKeyFile.write(folder.resolve(UCloudPublicKeyFile.KEY_FILE), keys.publicKey());
        return new SignedCoreCredentials(new CoreTokenSigner(keys.privateKey(), Clock.systemUTC()), Clock.systemUTC());
    }

    static Path write(Path file, Settings settings) {
        ObjectNode root = (ObjectNode) YAML.readTree(template());
        String fs = settings.fileSystem().toAbsolutePath().toString();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("services.fileSystem.mountPoint", quoted(fs));
        values.put("services.fileSystem.trashStagingArea", quoted(fs + "/trash"));
        values.put("services.compute.virtualMachines.storage.hostPath", quoted(fs));
        values.put("services.compute.ssh.portMin", Integer.toString(SSH_PORT_MIN));
        values.put("services.compute.ssh.portMax", Integer.toString(SSH_PORT_MIN + settings.jobs() + 100));
        values.put("harness.server", "{ bindHost: 127.0.0.1, port: 0, routeBindAddress: 127.0.0.1 }");
        // The agent endpoint's own listener (no agent dials it here): a port the IM binds (0), not the template's
        // fixed one.
        values.put("services.compute.virtualMachines.agentEndpoint", quoted(ServeConfigs.AGENT_ENDPOINT));
        // The run's own client signs as Core does, with the key whose public half is in coreKeyFolder.
        values.put("harness.auth", "{ mode: jwt, publicKeyFolder: "
                + quoted(settings.coreKeyFolder().toAbsolutePath().toString()) + " }");
        values.put("harness.dataDirectory", quoted(settings.dataDirectory().toAbsolutePath().toString()));
        values.put("harness.kubernetes", "{ mode: kubeconfig, kubeconfig: "
                + quoted(settings.kubeconfig().toAbsolutePath().toString()) + " }");
        // No real Core: the harness plays it (kubeconfig mode would otherwise call the Core of provider.hosts).
        values.put("harness.core", "{ mode: local, drives: { '17': '' } }");
        values.putAll(settings.extra());
        values.forEach((path, yaml) -> set(root, path, yaml));
        try {
            Files.writeString(file, YAML.writeValueAsString(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static void set(ObjectNode root, String path, String yaml) {
        List<String> keys = List.of(path.split("\\."));
        ObjectNode parent = root;
        for (String key : keys.subList(0, keys.size() - 1)) {
            JsonNode child = parent.get(key);
            parent = child instanceof ObjectNode object ? object : parent.putObject(key);
        }
        parent.set(keys.get(keys.size() - 1), YAML.readTree(yaml));
    }

    private static String quoted(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static byte[] template() {
        try (InputStream in = ChaosImConfig.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException(TEMPLATE + " is missing from the host's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
