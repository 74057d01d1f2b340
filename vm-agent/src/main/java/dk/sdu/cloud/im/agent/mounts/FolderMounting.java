package dk.sdu.cloud.im.agent.mounts;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Mounts every entry of the mounts file, once per agent start, and keeps the outcomes for the IM. */
public final class FolderMounting {
    private static final Logger LOG = LoggerFactory.getLogger(FolderMounting.class);

    private final MountsFileReader reader;
    private final Mounter mounter;

    public FolderMounting(MountsFileReader reader, Mounter mounter) {
        this.reader = requireNonNull(reader, "reader is null");
        this.mounter = requireNonNull(mounter, "mounter is null");
    }

    public List<MountResult> mountAll(Path mountsFile) {
        List<MountEntry> entries;
        try {
            entries = reader.read(mountsFile);
        } catch (IOException e) {
            // Without a readable file there is no entry to report on; the log says why nothing was mounted.
            LOG.error("no folders mounted: {}", e.getMessage());
            return List.of();
        }
        var results = new ArrayList<MountResult>();
        for (var entry : entries) {
            var result = mounter.mount(entry);
            if (result.outcome() == MountResult.Outcome.FAILED) {
                LOG.warn("folder {} (tag {}) not mounted: {}", entry.path(), entry.tag(), result.message());
            } else {
                LOG.info("folder {} (tag {}): {}", entry.path(), entry.tag(), result.outcome().wireName());
            }
            results.add(result);
        }
        return List.copyOf(results);
    }
}
