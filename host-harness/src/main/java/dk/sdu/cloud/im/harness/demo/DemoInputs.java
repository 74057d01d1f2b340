package dk.sdu.cloud.im.harness.demo;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The demo's configuration and job, from the templates in the host's jar ({@code demo-config.yaml}, and
 * {@code job-vm.json}: a copy of the example job), with what only the run knows filled in.
 */
final class DemoInputs {
    static final String CONFIG_TEMPLATE = "demo-config.yaml";
    static final String JOB_TEMPLATE = "job-vm.json";
    static final String AGENT_ENDPOINT = "ws://127.0.0.1:0/api/vmagent";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private DemoInputs() {
    }

    /**
     * Writes the IM's configuration into the workspace: its folders, embedded mode, the harness playing Core (its key
     * checks the calls, mode jwt), and the guest
     * agents' endpoint {@code ws://127.0.0.1:0/api/vmagent} (the agents are local processes; port 0: the IM binds a
     * free port and tells the guests that one, so no other program can take it in between), and the agent bundle
     * when given (else the installation's).
     */
    static Path writeConfig(DemoWorkspace workspace, Optional<Path> agentBundle) {
        ObjectNode root = (ObjectNode) YAML.readTree(resource(CONFIG_TEMPLATE));
        String mountPoint = workspace.fileSystem().toAbsolutePath().toString();
        ObjectNode fileSystem = (ObjectNode) required(root, "services", "fileSystem");
        fileSystem.put("mountPoint", mountPoint);
        fileSystem.put("trashStagingArea", workspace.trash().toAbsolutePath().toString());
        ((ObjectNode) required(root, "services", "compute", "virtualMachines", "storage")).put("hostPath", mountPoint);
        ((ObjectNode) required(root, "services", "compute", "virtualMachines"))
                .put("agentEndpoint", AGENT_ENDPOINT);
        agentBundle.ifPresent(bundle -> ((ObjectNode) required(root, "services", "compute", "virtualMachines"))
                .put("agentBundle", bundle.toAbsolutePath().toString()));
        ObjectNode harness = (ObjectNode) required(root, "harness");
        harness.put("dataDirectory", workspace.root().relativize(workspace.dataDirectory()).toString());
        try {
            Files.writeString(workspace.config(), YAML.writeValueAsString(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return workspace.config();
    }

    /** The example VM job with its application's image at {@code image}. */
    static ObjectNode job(URI image) {
        ObjectNode job = (ObjectNode) JSON.readTree(resource(JOB_TEMPLATE));
        ObjectNode description = (ObjectNode) required(job, "status", "resolvedApplication", "invocation", "tool", "tool",
                "description");
        description.put("image", image.toString());
        return job;
    }

    private static JsonNode required(JsonNode root, String... path) {
        JsonNode node = root;
        for (String key : path) {
            node = node.path(key);
        }
        if (!node.isObject()) {
            throw new IllegalStateException("the demo's template lacks " + String.join(".", path));
        }
        return node;
    }

    private static byte[] resource(String name) {
        try (InputStream in = DemoInputs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the host's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
