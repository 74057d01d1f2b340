package dk.sdu.cloud.im.spi.compute;

/**
 * The size of a user's terminal, in character cells.
 *
 * @param cols columns, 1-{@value #MAX}
 * @param rows rows, 1-{@value #MAX}
 */
public record TerminalSize(int cols, int rows) {
    /** The largest number of columns or rows accepted; a terminal larger than this is a client's error. */
    public static final int MAX = 1000;

    public TerminalSize {
        if (cols < 1 || cols > MAX || rows < 1 || rows > MAX) {
            throw new IllegalArgumentException(
                    "a terminal size must be 1-" + MAX + " columns and rows, got " + cols + "x" + rows);
        }
    }
}
