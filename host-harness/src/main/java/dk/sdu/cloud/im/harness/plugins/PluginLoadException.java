package dk.sdu.cloud.im.harness.plugins;

import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** The plugins cannot all be used, so the host refuses to start; says which and why, for every one. */
public final class PluginLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    /**
     * @param pluginsDirectory the plugins directory
     * @param problems         one line per problem, each naming the jar or plugin; not empty
     */
    public PluginLoadException(Path pluginsDirectory, List<String> problems) {
        super(message(requireNonNull(pluginsDirectory, "pluginsDirectory is null"), requireNonNull(problems, "problems is null")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a PluginLoadException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** One line per problem. */
    public List<String> problems() {
        return problems;
    }

    private static String message(Path directory, List<String> problems) {
        StringBuilder text = new StringBuilder("cannot start with the plugins in ").append(directory).append(':');
        for (String problem : problems) {
            text.append(System.lineSeparator()).append("  ").append(problem);
        }
        return text.toString();
    }
}
