package dk.sdu.cloud.im.harness.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain text table: a header row and rows, columns padded to their widest cell, two spaces apart. */
final class TextTable {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    TextTable(String... header) {
        this.columns = header.length;
        rows.add(header.clone());
    }

    /** Adds a row; line breaks in cells become spaces, so that each row stays one line. */
    TextTable row(String... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
        }
        rows.add(Arrays.stream(cells).map(c -> c == null ? "" : c.replaceAll("\\s*[\\r\\n]+\\s*", " ")).toArray(String[]::new));
        return this;
    }

    /** The table, each line prefixed with {@code indent}; the last column is not padded. */
    String render(String indent) {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? row[i] : pad(row[i], widths[i]) + "  ");
            }
            text.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return text.toString();
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }
}
