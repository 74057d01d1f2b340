package dk.sdu.cloud.im.harness.config;

import dk.sdu.cloud.im.spi.config.ConfigProblem;

import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** The configuration file has problems; all of them, not only the first. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final transient List<ConfigProblem> problems;

    /**
     * @param file     the configuration file
     * @param problems every problem found, with absolute key paths; not empty
     */
    public ConfigException(Path file, List<ConfigProblem> problems) {
        super(message(requireNonNull(file, "file is null"), requireNonNull(problems, "problems is null")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    /** The configuration file. */
    public Path file() {
        return file;
    }

    /** Every problem, in a stable order. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String message(Path file, List<ConfigProblem> problems) {
        StringBuilder text = new StringBuilder()
                .append(file).append(": ").append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems");
        for (ConfigProblem problem : problems) {
            text.append(System.lineSeparator()).append("  ").append(problem);
        }
        return text.toString();
    }
}
