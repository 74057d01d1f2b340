package dk.sdu.cloud.im.harness.core;

import dk.sdu.cloud.im.spi.host.SshKeyDirectory;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The plugins' {@link SshKeyDirectory} backed by Core: each lookup asks Core ({@link CoreSshKeys}). When Core
 * cannot be asked the lookup fails ({@link SshKeysUnavailableException}) instead of answering no keys, so that a
 * job's start is retried rather than a machine started without its owner's keys.
 *
 * <p>Core tells the IM nothing when keys change, so {@link #watch} tells only what a given source of changes tells
 * (the harness's Core: its key directory's file watch); without one it never calls.
 */
public final class CoreSshKeyDirectory implements SshKeyDirectory {
    private final CoreSshKeys keys;
    private final Optional<SshKeyDirectory> changes;

    /** Lookups through Core; no change notices. */
    public CoreSshKeyDirectory(CoreSshKeys keys) {
        this(keys, Optional.empty());
    }

    /**
     * @param changes whose {@link SshKeyDirectory#watch} reports changed keys (e.g. the source the harness's Core
     *                serves keys from)
     */
    public CoreSshKeyDirectory(CoreSshKeys keys, Optional<SshKeyDirectory> changes) {
        this.keys = requireNonNull(keys, "keys is null");
        this.changes = requireNonNull(changes, "changes is null");
    }

    @Override
    public List<String> authorizedKeys(String jobId) {
        try {
            return keys.ownerKeys(jobId);
        } catch (CoreCallException e) {
            throw new SshKeysUnavailableException("the SSH keys of job " + jobId + " could not be got from Core: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public AutoCloseable watch(Consumer<String> listener) {
        requireNonNull(listener, "listener is null");
        return changes.isPresent() ? changes.get().watch(listener) : () -> {
        };
    }
}
