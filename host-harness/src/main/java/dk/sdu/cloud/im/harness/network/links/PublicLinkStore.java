package dk.sdu.cloud.im.harness.network.links;

import dk.sdu.cloud.im.harness.network.PublicLinkLookup;
import dk.sdu.cloud.im.spi.network.PublicLink;
import dk.sdu.cloud.im.spi.network.ResourceOwner;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The public links the provider created, by id: in memory, and in a JSON file of the data directory when it
 * has one ({@code public-links.json}, replaced whole on each change: links are few and change rarely). Reads
 * never wait for a write: they see an immutable snapshot. Writes are serialised on this store's own lock.
 */
public final class PublicLinkStore implements PublicLinkLookup {
    /** The file's name in the data directory. */
    public static final String FILE_NAME = "public-links.json";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<StoredLink>> LIST = new TypeReference<>() {
    };

    private final Optional<Path> file;
    private final Object writes = new Object();
    private volatile Map<String, PublicLink> byId;

    private PublicLinkStore(Optional<Path> file, Map<String, PublicLink> links) {
        this.file = file;
        this.byId = Map.copyOf(links);
    }

    /** A store that keeps nothing across restarts (tests, commands that keep no state). */
    public static PublicLinkStore inMemory() {
        return new PublicLinkStore(Optional.empty(), Map.of());
    }

    /**
     * Opens the store kept in {@code file}, reading what it holds.
     *
     * @throws UncheckedIOException when the file exists and cannot be read as the store's file
     */
    public static PublicLinkStore open(Path file) {
        requireNonNull(file, "file is null");
        Map<String, PublicLink> links = new LinkedHashMap<>();
        if (Files.exists(file)) {
            try {
                List<StoredLink> read = JSON.readValue(Files.readAllBytes(file), LIST);
                if (read == null || read.stream().anyMatch(java.util.Objects::isNull)) {
                    throw new IOException("it holds null where a link belongs");
                }
                for (StoredLink link : read) {
                    links.put(link.id(), link.toLink());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the public links in " + file + ": " + e.getMessage(), e);
            } catch (JacksonException e) {
                throw new UncheckedIOException("cannot read the public links in " + file + ": " + e.getMessage(),
                        new IOException(e));
            }
        }
        return new PublicLinkStore(Optional.of(file), links);
    }

    @Override
    public Optional<PublicLink> find(String id) {
        return Optional.ofNullable(byId.get(requireNonNull(id, "id is null")));
    }

    /** The link with this domain, if any. */
    public Optional<PublicLink> findByDomain(String domain) {
        requireNonNull(domain, "domain is null");
        return byId.values().stream().filter(link -> link.domain().equals(domain)).findFirst();
    }

    /** Every link. */
    public Collection<PublicLink> all() {
        return byId.values();
    }

    /** Adds or replaces links (by id), all or none. */
    public void putAll(List<PublicLink> links) {
        requireNonNull(links, "links is null");
        synchronized (writes) {
            Map<String, PublicLink> next = new LinkedHashMap<>(byId);
            links.forEach(link -> next.put(link.id(), link));
            write(next);
        }
    }

    /** Removes links by id; ids not held are ignored. */
    public void removeAll(Collection<String> ids) {
        requireNonNull(ids, "ids is null");
        synchronized (writes) {
            Map<String, PublicLink> next = new LinkedHashMap<>(byId);
            ids.forEach(next::remove);
            write(next);
        }
    }

    private void write(Map<String, PublicLink> next) {
        if (file.isPresent()) {
            List<StoredLink> stored = new ArrayList<>();
            next.values().forEach(link -> stored.add(StoredLink.of(link)));
            Path target = file.get();
            Path temporary = target.resolveSibling(target.getFileName() + ".new");
            try {
                Files.write(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(stored));
                try {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the public links to " + target, e);
            }
        }
        byId = Map.copyOf(next);
    }

    /** A link in the file: flat, so that the file does not depend on the SPI records' shapes. */
    private record StoredLink(String id, String createdBy, String project, String domain) {
        /** Checked as the link it makes, so that a damaged file fails while it is read (Jackson reports it). */
        StoredLink {
            new PublicLink(id, new ResourceOwner(createdBy, project), domain);
        }

        static StoredLink of(PublicLink link) {
            return new StoredLink(link.id(), link.owner().createdBy(), link.owner().project(), link.domain());
        }

        PublicLink toLink() {
            return new PublicLink(id, new ResourceOwner(createdBy, project), domain);
        }
    }
}
