package dk.sdu.cloud.im.kubevirt.informers;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

import static java.util.Objects.requireNonNull;

/**
 * An informer's store that keeps each object as its deflated JSON and decodes it on every read: an object held
 * as maps of maps ({@link GenericKubernetesResource}) takes several times its JSON's size on the heap, its
 * deflated JSON a fraction of it. Every read returns a copy of its own, so a reader cannot change the store.
 *
 * <p>Objects of one kind are much alike (the same keys, labels, images, paths): the JSON of the first object put is
 * the deflater's preset dictionary for every object of the store, so that each one after it takes little more
 * than what makes it differ.
 *
 * <p>What no reader needs is dropped before an object is kept ({@link Keep}); the object the informer hands to
 * its handlers is pruned the same way, so that handlers and reads agree. The informer reads an object back once
 * per event (the one an update replaces), and its readers once per look-up.
 */
final class CompactStore implements ItemStore<GenericKubernetesResource> {

    /** At most this many inflaters are kept for reuse; one more is made when all are in use. */
    private static final int SPARE_INFLATERS = 4;
    /** Deflate looks back 32 KiB at most: a longer dictionary would not be used. */
    private static final int DICTIONARY_BYTES = 32 * 1024;

    private final KubernetesSerialization serialization;
    private final Keep keep;
    private final Map<String, Kept> items = new ConcurrentHashMap<>();
    /** Guarded by itself: the informer puts from one thread, so it is hardly ever contended. */
    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
    private final ConcurrentLinkedQueue<Inflater> inflaters = new ConcurrentLinkedQueue<>();
    /** The first object's JSON, set once (under {@link #deflater}) before anything is kept; never changed. */
    private volatile byte[] dictionary;

    CompactStore(KubernetesSerialization serialization, Keep keep) {
        this.serialization = requireNonNull(serialization, "serialization is null");
        this.keep = requireNonNull(keep, "keep is null");
    }

    @Override
    public String getKey(GenericKubernetesResource object) {
        return Cache.metaNamespaceKeyFunc(object);
    }

    @Override
    public GenericKubernetesResource put(String key, GenericKubernetesResource object) {
        // The informer's own copy, just read from the watch or list: nobody else holds it yet.
        prune(object, keep);
        return decode(items.put(key, new Kept(object.getMetadata().getResourceVersion(), encode(object))));
    }

    @Override
    public GenericKubernetesResource remove(String key) {
        return decode(items.remove(key));
    }

    /** The {@code resourceVersion} of the object kept under a key, without decoding it; null when none is kept. */
    String resourceVersion(String key) {
        Kept kept = items.get(key);
        return kept == null ? null : kept.version();
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<GenericKubernetesResource> values() {
        return items.values().stream().map(this::decode);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public GenericKubernetesResource get(String key) {
        return decode(items.get(key));
    }

    /** Forgets every object: the informer is closed, and whoever still holds it holds no objects with it. */
    void clear() {
        items.clear();
    }

    /** The bytes kept for all objects (for tests and benchmarks). */
    long storedBytes() {
        return items.values().stream().mapToLong(kept -> kept.compact().length).sum();
    }

    /** Drops from an object what no reader of its kind needs. */
    static void prune(GenericKubernetesResource object, Keep keep) {
        ObjectMeta metadata = object.getMetadata();
        if (metadata != null && metadata.getManagedFields() != null && !metadata.getManagedFields().isEmpty()) {
            // The API server's record of which manager set which field: often a third of an object, and the
            // plugin neither compares nor writes it (an update without it keeps the server's).
            metadata.setManagedFields(null);
        }
        if (keep == Keep.METADATA_AND_STATUS) {
            object.getAdditionalProperties().remove("spec");
        }
    }

    private byte[] encode(GenericKubernetesResource object) {
        byte[] json = serialization.asJson(object).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 3 + 64);
        byte[] buffer = new byte[4096];
        synchronized (deflater) {
            if (dictionary == null) {
                dictionary = json.length <= DICTIONARY_BYTES ? json
                        : java.util.Arrays.copyOfRange(json, json.length - DICTIONARY_BYTES, json.length);
            }
            deflater.reset();
            deflater.setDictionary(dictionary);
            deflater.setInput(json);
            deflater.finish();
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        return out.toByteArray();
    }

    private GenericKubernetesResource decode(Kept kept) {
        if (kept == null) {
            return null;
        }
        byte[] compact = kept.compact();
        Inflater inflater = inflaters.poll();
        if (inflater == null) {
            inflater = new Inflater(true);
        }
        // Whatever was kept was deflated with the dictionary, which is set before the first object is kept.
        inflater.setDictionary(dictionary);
        try (InputStream in = new InflaterInputStream(new TrailingByteInput(compact), inflater, 4096)) {
            return serialization.unmarshal(in, GenericKubernetesResource.class);
        } catch (IOException e) {
            throw new UncheckedIOException("an informer's object could not be read back", e);
        } finally {
            inflater.reset();
            if (inflaters.size() < SPARE_INFLATERS) {
                inflaters.offer(inflater);
            } else {
                inflater.end();
            }
        }
    }

    /**
     * One object as kept: its version apart, for the readers that only compare versions (a version costs some
     * 50 bytes, a decode a parse of the whole object).
     */
    private record Kept(String version, byte[] compact) {
    }

    /**
     * The deflated bytes and one zero byte after them: an inflater without zlib's header wants one byte more than
     * the stream holds to see its end.
     */
    private static final class TrailingByteInput extends InputStream {
        private final byte[] bytes;
        private int position;

        TrailingByteInput(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            if (position < bytes.length) {
                return bytes[position++] & 0xff;
            }
            return position++ == bytes.length ? 0 : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (position > bytes.length) {
                return -1;
            }
            if (position == bytes.length) {
                into[offset] = 0;
                position++;
                return 1;
            }
            int count = Math.min(length, bytes.length - position);
            System.arraycopy(bytes, position, into, offset, count);
            position += count;
            return count;
        }
    }
}
