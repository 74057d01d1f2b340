package dk.sdu.cloud.im.kubevirt.disk;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The listeners of one running preparation. A listener that joins late first receives the latest event, so
 * everyone sees where the preparation is. Delivery holds this object's lock, which keeps each listener's
 * events in order and none lost or doubled while listeners join.
 */
final class ProgressFanout<E> {
    private static final Logger log = LoggerFactory.getLogger(ProgressFanout.class);

    interface Sink<E> {
        void accept(E event);
    }

    private final List<Sink<E>> sinks = new ArrayList<>();
    private E latest;

    synchronized void add(Sink<E> sink) {
        sinks.add(sink);
        if (latest != null) {
            deliver(sink, latest);
        }
    }

    /** The sink hears nothing more (e.g. its job stopped waiting for a shared download). */
    synchronized void remove(Sink<E> sink) {
        sinks.remove(sink);
    }

    synchronized void emit(E event) {
        latest = event;
        for (Sink<E> sink : sinks) {
            deliver(sink, event);
        }
    }

    private static <E> void deliver(Sink<E> sink, E event) {
        try {
            sink.accept(event);
        } catch (RuntimeException e) {
            log.warn("A disk preparation listener failed on {}", event, e);
        }
    }
}
