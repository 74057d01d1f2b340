package dk.sdu.cloud.im.harness.config;

import dk.sdu.cloud.im.spi.config.ConfigProblem;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads one YAML configuration file. A file that cannot be read or parsed gives one problem (with line and
 * column for a syntax error); a duplicate key is a syntax error, because YAML would silently keep one.
 */
public final class YamlConfigReader {
    /** The path that problems about the file as a whole are reported at. */
    public static final String FILE_PATH = "(file)";

    private final YAMLMapper yaml = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    /**
     * @throws ConfigException when the file is missing, unreadable, not YAML, or not a mapping at the top
     */
    public ConfigTree read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw fileProblem(file, "file not found");
        } catch (IOException e) {
            throw fileProblem(file, "cannot read the file: " + e);
        }
        return parse(file, text);
    }

    /**
     * Parses YAML text with the same rules as {@link #read(Path)}.
     *
     * @param file what the text is called in problems
     * @throws ConfigException when the text is not YAML, or not a mapping at the top
     */
    public ConfigTree parse(Path file, String text) {
        JsonNode root;
        try {
            root = yaml.readTree(text);
        } catch (JacksonException e) {
            throw fileProblem(file, syntaxMessage(e));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw fileProblem(file, "the file is empty; expected a mapping with at least 'provider' and 'services'");
        }
        if (!root.isObject()) {
            throw fileProblem(file, "expected a mapping of keys at the top of the file, got " + ValueText.describe(root));
        }
        return new ConfigTree(file, root);
    }

    private static String syntaxMessage(JacksonException e) {
        TokenStreamLocation location = e.getLocation();
        String where = location == null || location == TokenStreamLocation.NA || location.getLineNr() < 1
                ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        String reason = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        // The YAML parser's message repeats the position with a drawing of the line; keep only its words.
        String words = reason.lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.equals("^") && !line.startsWith("in reader"))
                .distinct()
                .collect(Collectors.joining("; "));
        return "YAML syntax error" + where + ": " + words;
    }

    private static ConfigException fileProblem(Path file, String message) {
        return new ConfigException(file, List.of(new ConfigProblem(FILE_PATH, message)));
    }
}
