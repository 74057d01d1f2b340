package dk.sdu.cloud.im.harness.config;

import dk.sdu.cloud.im.spi.config.ConfigProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class YamlConfigReaderTest {
    @TempDir
    Path temp;

    private ConfigProblem problemOf(String yaml) throws IOException {
        Path file = Files.writeString(temp.resolve("config.yaml"), yaml);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new YamlConfigReader().read(file));
        assertThat(e.file()).isEqualTo(file);
        assertThat(e.problems()).hasSize(1);
        return e.problems().get(0);
    }

    @Test
    void aMappingIsRead() throws IOException {
        Path file = Files.writeString(temp.resolve("config.yaml"), "provider:\n  id: k8s\n");
        ConfigTree tree = new YamlConfigReader().read(file);
        assertThat(tree.textAt("provider.id")).isEqualTo("k8s");
        assertThat(tree.find("provider.missing")).isNull();
    }

    @Test
    void aSyntaxErrorGivesLineAndColumn() throws IOException {
        ConfigProblem problem = problemOf("provider:\n  id: k8s\nservices: [\n  type: x\n");
        assertThat(problem.path()).isEqualTo(YamlConfigReader.FILE_PATH);
        assertThat(problem.message()).startsWith("YAML syntax error at line ").contains(", column ");
        assertThat(problem.message()).doesNotContain("^").doesNotContain("\n");
    }

    @Test
    void aDuplicateKeyIsASyntaxError() throws IOException {
        ConfigProblem problem = problemOf("provider:\n  id: a\n  id: b\n");
        assertThat(problem.message()).startsWith("YAML syntax error at line 3").contains("id");
    }

    @Test
    void anEmptyFileIsAProblem() throws IOException {
        assertThat(problemOf("").message()).contains("empty");
        assertThat(problemOf("# only a comment\n").message()).contains("empty");
    }

    @Test
    void aListAtTheTopIsAProblem() throws IOException {
        assertThat(problemOf("- a\n- b\n").message()).startsWith("expected a mapping of keys at the top of the file");
    }

    @Test
    void aMissingFileIsAProblem() {
        Path file = temp.resolve("absent.yaml");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new YamlConfigReader().read(file));
        assertThat(e.problems()).singleElement().isEqualTo(new ConfigProblem(YamlConfigReader.FILE_PATH, "file not found"));
        assertThat(e.getMessage()).contains(file.toString()).contains("1 problem");
    }
}
