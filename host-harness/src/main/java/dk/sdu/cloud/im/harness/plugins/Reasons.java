package dk.sdu.cloud.im.harness.plugins;

import java.util.ArrayList;
import java.util.List;

/** Turns an exception chain into one readable line. */
final class Reasons {
    private Reasons() {
    }

    static String of(Throwable error) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = error; t != null && parts.size() < 5; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            String part = t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message.strip());
            if (!parts.contains(part)) {
                parts.add(part);
            }
        }
        return String.join("; caused by ", parts);
    }
}
