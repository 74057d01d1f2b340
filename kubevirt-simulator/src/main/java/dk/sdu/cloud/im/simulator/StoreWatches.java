package dk.sdu.cloud.im.simulator;

import io.fabric8.mockwebserver.crud.AttributeSet;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The open watches on the CRUD store, and the events of its changes.
 *
 * <p>A change and a watch's start are atomic with respect to each other (one monitor, held only while the
 * store changes or is copied, and while events are queued): a watch sees every object exactly once, either
 * in its first {@code ADDED}s or as a later event. Nothing is written to a websocket while the monitor is
 * held: events are queued on the watch's {@link OrderedExecutor} and written from the pool.
 */
final class StoreWatches {

    /** A change of the store: the key and JSON before (null when created) and after (null when deleted). */
    record Change(AttributeSet oldKey, String oldState, AttributeSet newKey, String newState) {
    }

    private final Object monitor = new Object();
    private final Set<StoreWatch> open = ConcurrentHashMap.newKeySet();
    private final Executor senders;
    private final Supplier<List<Map.Entry<AttributeSet, String>>> snapshot;

    /**
     * @param senders  the pool that writes events to websockets (its threads may wait for a write)
     * @param snapshot a copy of the store's entries (called with no other store change under way)
     */
    StoreWatches(Executor senders, Supplier<List<Map.Entry<AttributeSet, String>>> snapshot) {
        this.senders = requireNonNull(senders, "senders is null");
        this.snapshot = requireNonNull(snapshot, "snapshot is null");
    }

    /** A watch of the objects that match a query; it starts when its websocket opens. */
    StoreWatch newWatch(AttributeSet query) {
        return new StoreWatch(query, this, new OrderedExecutor(senders));
    }

    /** Changes the store and sends the change's event to the open watches that see it. */
    void change(Supplier<Change> storeChange) {
        synchronized (monitor) {
            Change change = storeChange.get();
            if (Objects.equals(change.oldState(), change.newState())) {
                return;
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

    /** Sends {@code ADDED} for every object the watch sees now, and from then on every change it sees. */
    void start(StoreWatch watch) {
        synchronized (monitor) {
            for (Map.Entry<AttributeSet, String> entry : snapshot.get()) {
                if (watch.matches(entry.getKey())) {
                    watch.send("ADDED", entry.getValue());
                }
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
