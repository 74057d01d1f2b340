package dk.sdu.cloud.im.kubevirt.cloudinit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A systemd unit file: named sections of {@code Key=value} lines. Values are checked to be single lines, so
 * that no value can add a directive or a section.
 *
 * @param fileName the unit's file name, e.g. {@code ucloud-vmagent.service}
 * @param sections the sections in order, each an ordered list of settings
 */
public record SystemdUnit(String fileName, Map<String, List<Map.Entry<String, String>>> sections) {

    public SystemdUnit {
        requireNonNull(fileName, "fileName is null");
        checkLine(fileName, "fileName");
        Map<String, List<Map.Entry<String, String>>> copy = new LinkedHashMap<>();
        sections.forEach((name, settings) -> {
            checkLine(name, "section name");
            settings.forEach(setting -> {
                checkLine(setting.getKey(), "key");
                checkLine(setting.getValue(), "value of " + setting.getKey());
            });
            copy.put(name, List.copyOf(settings));
        });
        sections = java.util.Collections.unmodifiableMap(copy);
    }

    /** A new unit to fill in section by section. */
    public static Builder builder(String fileName) {
        return new Builder(fileName);
    }

    /** The unit file's text. */
    public String text() {
        StringBuilder text = new StringBuilder();
        sections.forEach((name, settings) -> {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append('[').append(name).append("]\n");
            settings.forEach(setting -> text.append(setting.getKey()).append('=').append(setting.getValue())
                    .append('\n'));
        });
        return text.toString();
    }

    /**
     * The unit name of a mount unit for a path, escaped as {@code systemd-escape --path --suffix=mount} does:
     * {@code /opt/ucloud} gives {@code opt-ucloud.mount}.
     */
    public static String mountUnitName(String absolutePath) {
        if (!absolutePath.startsWith("/") || absolutePath.equals("/")) {
            throw new IllegalArgumentException("a mount unit needs an absolute path below /: " + absolutePath);
        }
        String trimmed = absolutePath.replaceAll("^/+|/+$", "");
        StringBuilder name = new StringBuilder();
        byte[] bytes = trimmed.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean plain = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                    || b == '_' || b == ':' || (b == '.' && i > 0);
            if (b == '/') {
                name.append('-');
            } else if (plain) {
                name.append((char) b);
            } else {
                name.append(String.format("\\x%02x", b));
            }
        }
        return name + ".mount";
    }

    private static void checkLine(String value, String what) {
        requireNonNull(value, what + " is null");
        if (value.chars().anyMatch(c -> c == '\n' || c == '\r' || c == 0)) {
            throw new IllegalArgumentException("a unit file " + what + " must be a single line: " + value);
        }
    }

    /** Fills in a unit section by section, keeping the order. */
    public static final class Builder {
        private final String fileName;
        private final Map<String, List<Map.Entry<String, String>>> sections = new LinkedHashMap<>();
        private List<Map.Entry<String, String>> current;

        private Builder(String fileName) {
            this.fileName = requireNonNull(fileName, "fileName is null");
        }

        /** Starts a section; the settings that follow go into it. */
        public Builder section(String name) {
            current = new ArrayList<>();
            sections.put(name, current);
            return this;
        }

        /** Adds a setting to the current section. */
        public Builder set(String key, String value) {
            if (current == null) {
                throw new IllegalStateException("set() before section()");
            }
            current.add(Map.entry(key, value));
            return this;
        }

        public SystemdUnit build() {
            return new SystemdUnit(fileName, sections);
        }
    }
}
