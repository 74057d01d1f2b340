package dk.sdu.cloud.im.harness.network.privatenet;

import dk.sdu.cloud.im.spi.network.PrivateNetwork;
import dk.sdu.cloud.im.spi.network.ResourceOwner;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The private networks in a JSON file of the data directory ({@value #FILE}), rewritten whole on each change
 * (write to a temporary file, force it to disk, move it over the old one): networks are few and change rarely,
 * and a reader never sees half a file. Reads come from an immutable snapshot and never wait; changes are
 * serialised by a lock of this store alone.
 */
public final class FilePrivateNetworkStore implements PrivateNetworkStore {
    /** The file's name in the data directory. */
    public static final String FILE = "private-networks.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<Stored>> STORED = new TypeReference<>() { };

    private final Path file;
    private final Object writes = new Object();
    private volatile Map<String, PrivateNetwork> byId;

    private FilePrivateNetworkStore(Path file, Map<String, PrivateNetwork> byId) {
        this.file = file;
        this.byId = Collections.unmodifiableMap(new LinkedHashMap<>(byId));
    }

    /**
     * Opens the store of a data directory, reading what an earlier run kept.
     *
     * @throws UncheckedIOException when the file exists and cannot be read
     * @throws IllegalStateException when the file is not what this store writes
     */
    public static FilePrivateNetworkStore open(Path dataDirectory) {
        Path file = requireNonNull(dataDirectory, "dataDirectory is null").resolve(FILE);
        Map<String, PrivateNetwork> networks = new LinkedHashMap<>();
        if (Files.exists(file)) {
            try {
                List<Stored> read = JSON.readValue(Files.readAllBytes(file), STORED);
                if (read == null || read.stream().anyMatch(java.util.Objects::isNull)) {
                    throw new IllegalStateException("the private networks in " + file + " cannot be read: it holds "
                            + "null where a network belongs");
                }
                for (Stored stored : read) {
                    PrivateNetwork network = stored.network();
                    networks.put(network.id(), network);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the private networks in " + file, e);
            } catch (JacksonException e) {
                throw new IllegalStateException("the private networks in " + file + " cannot be read: "
                        + e.getMessage(), e);
            }
        }
        return new FilePrivateNetworkStore(file, networks);
    }

    @Override
    public Optional<PrivateNetwork> find(String id) {
        return Optional.ofNullable(byId.get(requireNonNull(id, "id is null")));
    }

    @Override
    public List<PrivateNetwork> all() {
        return List.copyOf(byId.values());
    }

    @Override
    public void create(List<PrivateNetwork> networks) {
        requireNonNull(networks, "networks is null");
        synchronized (writes) {
            Map<String, PrivateNetwork> next = new LinkedHashMap<>(byId);
            Map<String, String> subdomains = new LinkedHashMap<>();
            next.values().forEach(n -> subdomains.put(key(n.subdomain()), n.id()));
            for (PrivateNetwork network : networks) {
                PrivateNetwork kept = next.get(network.id());
                if (kept != null && !kept.equals(network)) {
                    throw new IllegalStateException("a different private network with the id " + network.id()
                            + " exists");
                }
                String holder = subdomains.putIfAbsent(key(network.subdomain()), network.id());
                if (holder != null && !holder.equals(network.id())) {
                    throw new IllegalStateException("the subdomain '" + network.subdomain()
                            + "' is taken by another private network");
                }
                next.put(network.id(), network);
            }
            if (!next.equals(byId)) {
                write(next);
                byId = Collections.unmodifiableMap(next);
            }
        }
    }

    @Override
    public void delete(List<String> ids) {
        requireNonNull(ids, "ids is null");
        synchronized (writes) {
            Map<String, PrivateNetwork> next = new LinkedHashMap<>(byId);
            ids.forEach(next::remove);
            if (next.size() != byId.size()) {
                write(next);
                byId = Collections.unmodifiableMap(next);
            }
        }
    }

    private static String key(String subdomain) {
        return subdomain.toLowerCase(Locale.ROOT);
    }

    private void write(Map<String, PrivateNetwork> networks) {
        List<Stored> stored = new ArrayList<>();
        networks.values().forEach(n -> stored.add(new Stored(n.id(), n.owner().createdBy(), n.owner().project(),
                n.name(), n.subdomain())));
        Path temporary = file.resolveSibling(FILE + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.write(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(stored));
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the private networks to " + file, e);
        }
    }

    /** A network as the file holds it. */
    private record Stored(String id, String createdBy, String project, String name, String subdomain) {
        /** Checked as the network it makes, so that a damaged file fails while it is read (Jackson reports it). */
        Stored {
            new PrivateNetwork(id, new ResourceOwner(createdBy, project), name, subdomain);
        }

        PrivateNetwork network() {
            return new PrivateNetwork(id, new ResourceOwner(createdBy, project), name, subdomain);
        }
    }
}
