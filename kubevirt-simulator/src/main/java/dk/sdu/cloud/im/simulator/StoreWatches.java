package dk.sdu.cloud.im.simulator;

import io.fabric8.mockwebserver.crud.AttributeSet;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The open watches on the CRUD store, and the events of its changes.
 *
 * <p>A change and a watch's start are atomic with respect to each other (one monitor, held only while the
 * store changes or is copied, and while events are queued): a watch sees every object exactly once, either
 * in its first {@code ADDED}s or as a later event. Nothing is written to a websocket while the monitor is
 * held: events are queued on the watch's {@link OrderedExecutor} and written from the pool.
 *
 * <p>A client that lists and then watches from the list's {@code resourceVersion} (an informer) must also learn of
 * the objects deleted in between, as a real API server replays them: each deletion gets a resource version of its
 * own and is kept as a tombstone (the last {@value #TOMBSTONES}), and a watch from version {@code v} first gets a
 * {@code DELETED} for every tombstone after {@code v} that it sees.
 */
final class StoreWatches {

    /** A change of the store: the key and JSON before (null when created) and after (null when deleted). */
    record Change(AttributeSet oldKey, String oldState, AttributeSet newKey, String newState) {
    }

    /** How many deletions are kept for watches that start from an older version. */
    static final int TOMBSTONES = 4096;

    private record Tombstone(long version, AttributeSet key, String state) {
    }

    private final Object monitor = new Object();
    private final ArrayDeque<Tombstone> tombstones = new ArrayDeque<>();
    private final LongSupplier nextVersion;
    private final Set<StoreWatch> open = ConcurrentHashMap.newKeySet();
    private final Executor senders;
    private final Function<AttributeSet, List<Map.Entry<AttributeSet, String>>> snapshot;

    /**
     * @param senders  the pool that writes events to websockets (its threads may wait for a write)
     * @param snapshot    a copy of the store's entries that match a query (called with no other store change
     *                    under way)
     * @param nextVersion the store's next resource version (each call a new, larger one), given to deletions
     */
    StoreWatches(Executor senders, Function<AttributeSet, List<Map.Entry<AttributeSet, String>>> snapshot,
                 LongSupplier nextVersion) {
        this.senders = requireNonNull(senders, "senders is null");
        this.snapshot = requireNonNull(snapshot, "snapshot is null");
        this.nextVersion = requireNonNull(nextVersion, "nextVersion is null");
    }

    /** A watch of the objects that match a query; it starts when its websocket opens. */
    StoreWatch newWatch(AttributeSet query, long sinceVersion) {
        return new StoreWatch(query, sinceVersion, this, new OrderedExecutor(senders));
    }

    /** Changes the store and sends the change's event to the open watches that see it. */
    void change(Supplier<Change> storeChange) {
        synchronized (monitor) {
            Change change = storeChange.get();
            if (Objects.equals(change.oldState(), change.newState())) {
                return;
            }
            if (change.newState() == null && change.oldState() != null && change.oldKey() != null) {
                tombstones.addLast(new Tombstone(nextVersion.getAsLong(), change.oldKey(), change.oldState()));
                if (tombstones.size() > TOMBSTONES) {
                    tombstones.removeFirst();
                }
            }
            for (StoreWatch watch : open) {
                boolean matchedBefore = change.oldState() != null && change.oldKey() != null
                        && watch.matches(change.oldKey());
                boolean matchesNow = change.newState() != null && change.newKey() != null
                        && watch.matches(change.newKey());
                if (matchedBefore && matchesNow) {
                    watch.send("MODIFIED", change.newState());
                } else if (matchedBefore) {
                    watch.send("DELETED", change.oldState());
                } else if (matchesNow) {
                    watch.send("ADDED", change.newState());
                }
            }
        }
    }

    /**
     * Sends {@code DELETED} for what the watch's client may still hold from its list (the deletions after the
     * version it watches from), {@code ADDED} for every object the watch sees now, and from then on every change
     * it sees. A deletion of an object that is there again comes before its {@code ADDED}.
     */
    void start(StoreWatch watch) {
        synchronized (monitor) {
            if (watch.sinceVersion() >= 0) {
                for (Tombstone tombstone : tombstones) {
                    if (tombstone.version() > watch.sinceVersion() && watch.matches(tombstone.key())) {
                        watch.send("DELETED", tombstone.state());
                    }
                }
            }
            for (Map.Entry<AttributeSet, String> entry : snapshot.apply(watch.query())) {
                watch.send("ADDED", entry.getValue());
            }
            open.add(watch);
        }
    }

    /** Forgets a watch whose websocket ended. Never waits for the monitor: it may run on the event loop. */
    void end(StoreWatch watch) {
        open.remove(watch);
    }

    /** The number of open watches. */
    int openWatches() {
        return open.size();
    }
}
