package dk.sdu.cloud.im.harness.services;

import dk.sdu.cloud.im.spi.host.SshKeyDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * SSH keys of job owners, read from a directory that stands in for Core's key service: the file
 * {@code <directory>/<job id>.pub} holds the keys that may log in to that job, in {@code authorized_keys}
 * format (one key per line; blank lines and lines starting with {@code #} are skipped). No file means no
 * keys. The file is read at every call, so keys added later are seen.
 */
public final class DirectorySshKeyDirectory implements SshKeyDirectory {
    private final Path directory;

    public DirectorySshKeyDirectory(Path directory) {
        this.directory = requireNonNull(directory, "directory is null");
    }

    /** The file holding a job's keys. */
    public Path fileOf(String jobId) {
        requireNonNull(jobId, "jobId is null");
        if (!jobId.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*") || jobId.equals("..")) {
            throw new IllegalArgumentException("not a job id usable as a file name: '" + jobId + "'");
        }
        return directory.resolve(jobId + ".pub");
    }

    @Override
    public List<String> authorizedKeys(String jobId) {
        Path file = fileOf(jobId);
        try {
            return Files.readAllLines(file).stream()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the SSH keys of job " + jobId + " from " + file, e);
        }
    }
}
