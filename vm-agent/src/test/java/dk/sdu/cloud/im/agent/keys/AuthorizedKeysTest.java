package dk.sdu.cloud.im.agent.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthorizedKeysTest {
    @TempDir
    Path home;

    @Test
    void aFirstPushCreatesDotSsh0700AndTheFile0600() throws Exception {
        var keys = new AuthorizedKeys(home);
        var applied = keys.apply(List.of("ssh-ed25519 AAAA1 a@b"));
        assertThat(applied).isEqualTo(new AuthorizedKeys.Applied(1, 0));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(".ssh")))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.file()))).isEqualTo("rw-------");
        assertThat(Files.readString(keys.file())).isEqualTo("ssh-ed25519 AAAA1 a@b ucloud-managed-key\n");
    }

    @Test
    void theUsersLinesStay_theAgentsLinesAreReplaced_badKeysAreSkippedAndCounted() throws Exception {
        var keys = new AuthorizedKeys(home);
        Files.createDirectories(keys.file().getParent());
        Files.writeString(keys.file(), "# mine\nssh-rsa AAAAmine me@home\nssh-rsa AAAAold ucloud-managed-key\n\nssh-ed25519 AAAAlater me@work\n");

        var applied = keys.apply(List.of("ssh-ed25519 AAAAnew x@y", "ssh-ed25519 AAAA\nsplit", "ssh-rsa " + "A".repeat(16 * 1024), ""));

        assertThat(applied).isEqualTo(new AuthorizedKeys.Applied(1, 3));
        assertThat(Files.readString(keys.file())).isEqualTo(
                "# mine\nssh-rsa AAAAmine me@home\n\nssh-ed25519 AAAAlater me@work\nssh-ed25519 AAAAnew x@y ucloud-managed-key\n");

        assertThat(keys.apply(List.of())).isEqualTo(new AuthorizedKeys.Applied(0, 0));
        assertThat(Files.readString(keys.file())).isEqualTo("# mine\nssh-rsa AAAAmine me@home\n\nssh-ed25519 AAAAlater me@work\n");
    }

    @Test
    void theFileIsReplacedByRenameNotRewrittenInPlace() throws Exception {
        var keys = new AuthorizedKeys(home);
        keys.apply(List.of("ssh-ed25519 AAAA1 a@b"));
        // A hard link keeps the old file: a rename leaves it as it was, an in-place write would change it.
        var oldFile = home.resolve("old-authorized_keys");
        Files.createLink(oldFile, keys.file());
        var inodeBefore = Files.getAttribute(keys.file(), "unix:ino");

        keys.apply(List.of("ssh-ed25519 AAAA2 c@d"));

        assertThat(Files.readString(oldFile)).isEqualTo("ssh-ed25519 AAAA1 a@b ucloud-managed-key\n");
        assertThat(Files.readString(keys.file())).isEqualTo("ssh-ed25519 AAAA2 c@d ucloud-managed-key\n");
        assertThat(Files.getAttribute(keys.file(), "unix:ino")).isNotEqualTo(inodeBefore);
        try (var left = Files.list(keys.file().getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("authorized_keys");
        }
    }
}
