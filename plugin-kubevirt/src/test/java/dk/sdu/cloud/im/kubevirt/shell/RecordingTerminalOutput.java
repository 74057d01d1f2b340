package dk.sdu.cloud.im.kubevirt.shell;

import dk.sdu.cloud.im.spi.compute.TerminalOutput;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the user's terminal received. */
final class RecordingTerminalOutput implements TerminalOutput {
    final List<String> data = new CopyOnWriteArrayList<>();
    final List<String> closed = new CopyOnWriteArrayList<>();

    @Override
    public void data(String text) {
        if (!closed.isEmpty()) {
            throw new AssertionError("data after closed: " + text);
        }
        data.add(text);
    }

    @Override
    public void closed(String reason) {
        closed.add(reason);
    }

    /** Everything shown, as one text. */
    String screen() {
        return String.join("", data);
    }
}
