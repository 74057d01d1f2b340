package dk.sdu.cloud.im.kubevirt.disk;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event it receives. */
final class RecordingListener implements DiskPreparationListener {
    private final List<DiskPreparationEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(DiskPreparationEvent event) {
        events.add(event);
    }

    List<DiskPreparationEvent> events() {
        return List.copyOf(events);
    }

    /** The phases in order, each run of equal phases counted once. */
    List<DiskPreparationPhase> phases() {
        List<DiskPreparationPhase> phases = new ArrayList<>();
        for (DiskPreparationEvent event : events) {
            if (phases.isEmpty() || phases.get(phases.size() - 1) != event.phase()) {
                phases.add(event.phase());
            }
        }
        return phases;
    }

    List<DiskPreparationEvent> of(DiskPreparationPhase phase) {
        return events.stream().filter(e -> e.phase() == phase).toList();
    }

    boolean saw(DiskPreparationPhase phase) {
        return events.stream().anyMatch(e -> e.phase() == phase);
    }

    DiskPreparationEvent last() {
        return events.get(events.size() - 1);
    }
}
