package dk.sdu.cloud.im.harness.testing;

import dk.sdu.cloud.im.testdata.TestData;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example configurations shipped in the installation ({@code src/dist/config}), and variants of them
 * made by setting or removing keys, written to files for the host to read.
 */
public final class ExampleConfigs {
    private static final Path DIRECTORY = Path.of("src", "dist", "config");
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private final ObjectNode root;

    private ExampleConfigs(ObjectNode root) {
        this.root = root;
    }

    /** The example file itself. */
    public static Path file(String name) {
        Path file = DIRECTORY.resolve(name);
        assertThat(file).as("example configuration shipped with the installation").isRegularFile();
        return file;
    }

    /** A variant of an example, e.g. {@code config-csi.yaml}. */
    public static ExampleConfigs of(String name) {
        try {
            return new ExampleConfigs((ObjectNode) YAML.readTree(Files.readString(file(name))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A variant of UCloud's sample configuration ({@code TestData.CONFIG_UCLOUD_IM}), written for UCloud's own IM. */
    public static ExampleConfigs ucloudSample() {
        return new ExampleConfigs((ObjectNode) YAML.readTree(TestData.read(TestData.CONFIG_UCLOUD_IM)));
    }

    /** Sets the value at a dotted path (creating sections on the way) to the given YAML, e.g. {@code "[1, 2]"}. */
    public ExampleConfigs setYaml(String path, String yaml) {
        List<String> keys = List.of(path.split("\\."));
        ObjectNode parent = root;
        for (String key : keys.subList(0, keys.size() - 1)) {
            JsonNode child = parent.get(key);
            parent = child instanceof ObjectNode object ? object : parent.putObject(key);
        }
        parent.set(keys.get(keys.size() - 1), YAML.readTree(yaml));
        return this;
    }

    /** Removes the key at a dotted path (nothing happens when it is absent). */
    public ExampleConfigs remove(String path) {
        List<String> keys = List.of(path.split("\\."));
        JsonNode parent = root;
        for (String key : keys.subList(0, keys.size() - 1)) {
            parent = parent == null ? null : parent.get(key);
        }
        if (parent instanceof ObjectNode object) {
            object.remove(keys.get(keys.size() - 1));
        }
        return this;
    }

    /** Writes the variant as YAML. */
    public Path writeTo(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, YAML.writeValueAsString(root));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
