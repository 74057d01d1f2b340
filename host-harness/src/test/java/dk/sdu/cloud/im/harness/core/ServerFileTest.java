package dk.sdu.cloud.im.harness.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** UCloud's {@code server.yml}: which file, what is required, what is accepted, and the errors. */
class ServerFileTest {
    @TempDir
    Path folder;

    private ServerFileException refusal() {
        ServerFileException e = catchThrowableOfType(ServerFileException.class, () -> ServerFile.read(folder));
        assertThat(e).as("server.yml should have been refused").isNotNull();
        return e;
    }

    @Test
    void theRefreshTokenIsRead() throws IOException {
        Files.writeString(folder.resolve("server.yml"), "refreshToken: \"abc-123\"\n");

        ServerFile server = ServerFile.read(folder);

        assertThat(server.refreshToken()).isEqualTo("abc-123");
        assertThat(server.file()).isEqualTo(folder.resolve("server.yml"));
        assertThat(server.hasDatabase()).isFalse();
        assertThat(server.toString()).doesNotContain("abc-123");
    }

    @Test
    void serverYamlIsReadWhenServerYmlIsAbsentAndServerYmlWins() throws IOException {
        Files.writeString(folder.resolve("server.yaml"), "refreshToken: from-yaml\n");
        assertThat(ServerFile.read(folder).refreshToken()).isEqualTo("from-yaml");

        Files.writeString(folder.resolve("server.yml"), "refreshToken: from-yml\n");
        assertThat(ServerFile.read(folder).refreshToken()).isEqualTo("from-yml");
    }

    @Test
    void uCloudsDatabaseSectionIsAcceptedAndNotUsed() throws IOException {
        Files.writeString(folder.resolve("server.yml"), """
                refreshToken: abc
                database:
                  host: { address: postgres.ucloud-im.svc, port: 5432 }
                  username: ucloud
                  password: secret
                  database: ucloud_im
                  ssl: true
                """);

        ServerFile server = ServerFile.read(folder);

        assertThat(server.refreshToken()).isEqualTo("abc");
        assertThat(server.hasDatabase()).isTrue();
    }

    @Test
    void noFileNamesTheFolderAndSaysWhatToWrite() {
        assertThat(refusal().getMessage()).contains("no server.yml in " + folder)
                .contains("refreshToken: <the provider's refresh token>")
                .contains("harness.core.mode: local");
    }

    @Test
    void aFileWithoutRefreshTokenIsNamedWithTheKeysItHas() throws IOException {
        Files.writeString(folder.resolve("server.yml"), "database: { host: { address: db } }\n");
        assertThat(refusal().getMessage()).startsWith(folder.resolve("server.yml") + " has no refreshToken")
                .contains("(it has: database)");
    }

    @Test
    void anEmptyFileIsNamed() throws IOException {
        Files.writeString(folder.resolve("server.yml"), "");
        assertThat(refusal().getMessage()).startsWith(folder.resolve("server.yml") + " is empty");
    }

    @Test
    void aFileThatIsNotYamlIsNamed() throws IOException {
        Files.writeString(folder.resolve("server.yml"), "refreshToken: [unclosed\n");
        assertThat(refusal().getMessage()).startsWith(folder.resolve("server.yml") + " is not valid YAML");
    }

    @Test
    void aRefreshTokenThatIsNoTextOrBlankIsRefused() throws IOException {
        Files.writeString(folder.resolve("server.yml"), "refreshToken: { a: 1 }\n");
        assertThat(refusal().getMessage()).contains("refreshToken must be a non-empty text");
        Files.writeString(folder.resolve("server.yml"), "refreshToken: ' '\n");
        assertThat(refusal().getMessage()).contains("refreshToken must be a non-empty text");
        Files.writeString(folder.resolve("server.yml"), "refreshToken: 'a b'\n");
        assertThat(refusal().getMessage()).contains("must not contain spaces");
    }

    @Test
    void aListIsNotAServerFile() throws IOException {
        Files.writeString(folder.resolve("server.yml"), "- refreshToken\n");
        assertThat(refusal().getMessage()).contains("must be a mapping");
    }

    @Test
    void writtenFilesAreTheOwnersOnlyAndReadBack() throws IOException {
        Path file = folder.resolve("core").resolve("server.yml");
        ServerFile.write(file, "tok");

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(ServerFile.readFile(file).refreshToken()).isEqualTo("tok");
    }
}
