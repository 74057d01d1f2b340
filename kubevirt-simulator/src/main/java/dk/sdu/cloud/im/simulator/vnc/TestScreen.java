package dk.sdu.cloud.im.simulator.vnc;

import java.time.Instant;
import java.util.Arrays;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static java.util.Objects.requireNonNull;

/**
 * The picture a simulated VMI shows on its screen: seven colour bars over a dark panel with the VMI's name,
 * the time (to the second, so a viewer sees the screen is live), the last pointer and key input and a title.
 * One per connection, used by one thread at a time; it only changes when told to, and says which rectangle
 * changed.
 */
public final class TestScreen {

    /** The screen's size, as ServerInit announces it. */
    public static final int WIDTH = 800;
    public static final int HEIGHT = 600;

    private static final int[] BARS = {0xC0C0C0, 0xC0C000, 0x00C0C0, 0x00C000, 0xC000C0, 0xC00000, 0x0000C0};
    private static final int BARS_HEIGHT = 400;
    private static final int PANEL = 0x202020;
    private static final int TEXT = 0xF0F0F0;
    private static final int SCALE = 3;
    private static final int ADVANCE = (BitmapFont.WIDTH + 1) * SCALE;
    private static final int LINE_HEIGHT = 36;
    private static final int MARGIN = 12;
    private static final int NAME_LINE = 0;
    private static final int TIME_LINE = 1;
    private static final int INPUT_LINE = 2;
    private static final int TITLE_LINE = 3;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final BitmapFont font;
    private final int[] pixels = new int[WIDTH * HEIGHT];
    private String time;
    private String pointer = "NONE";
    private String key = "NONE";

    /** Draws the whole screen for a VMI at a time. */
    public TestScreen(String name, BitmapFont font, Instant now) {
        requireNonNull(name, "name is null");
        this.font = requireNonNull(font, "font is null");
        requireNonNull(now, "now is null");
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                pixels[y * WIDTH + x] = y < BARS_HEIGHT ? BARS[Math.min(BARS.length - 1, x * BARS.length / WIDTH)] : PANEL;
            }
        }
        line(NAME_LINE, name);
        time = TIME.format(now);
        line(TIME_LINE, time);
        line(INPUT_LINE, inputText());
        line(TITLE_LINE, "KUBEVIRT SIMULATOR - TEST SCREEN");
    }

    /** Shows a time; the rectangle that changed, or null when the second shown is the same. */
    public Rect showTime(Instant now) {
        String text = TIME.format(now);
        if (text.equals(time)) {
            return null;
        }
        time = text;
        return line(TIME_LINE, text);
    }

    /** Shows where the pointer is and which buttons are down; the rectangle that changed. */
    public Rect showPointer(int x, int y, int buttons) {
        pointer = x + "," + y + " BUTTONS " + Integer.toBinaryString(buttons);
        return line(INPUT_LINE, inputText());
    }

    /** Shows the last key (an X keysym) pressed or released; the rectangle that changed. */
    public Rect showKey(long keysym, boolean down) {
        key = Long.toHexString(keysym) + (down ? " DOWN" : " UP");
        return line(INPUT_LINE, inputText());
    }

    private String inputText() {
        return "POINTER " + pointer + " KEY " + key;
    }

    /** The colour (0xRRGGBB) of a pixel. */
    public int rgb(int x, int y) {
        return pixels[y * WIDTH + x];
    }

    /** The whole screen. */
    public static Rect bounds() {
        return new Rect(0, 0, WIDTH, HEIGHT);
    }

    /** Puts the pixels of a rectangle (within the screen), row by row, into {@code into} from {@code offset}. */
    public void encode(Rect area, PixelFormat format, byte[] into, int offset) {
        int bytes = format.bytesPerPixel();
        int at = offset;
        for (int y = area.y(); y < area.y() + area.height(); y++) {
            for (int x = area.x(); x < area.x() + area.width(); x++) {
                format.encode(pixels[y * WIDTH + x], into, at);
                at += bytes;
            }
        }
    }

    // Clears a text line of the panel and draws text on it (cut at the screen's edge); its rectangle.
    private Rect line(int line, String text) {
        Rect area = new Rect(0, BARS_HEIGHT + MARGIN + line * LINE_HEIGHT, WIDTH, LINE_HEIGHT);
        for (int y = area.y(); y < area.y() + area.height(); y++) {
            Arrays.fill(pixels, y * WIDTH, y * WIDTH + WIDTH, PANEL);
        }
        int top = area.y() + (LINE_HEIGHT - BitmapFont.HEIGHT * SCALE) / 2;
        int characters = Math.min(text.length(), (WIDTH - 2 * MARGIN) / ADVANCE);
        for (int i = 0; i < characters; i++) {
            int left = MARGIN + i * ADVANCE;
            for (int row = 0; row < BitmapFont.HEIGHT; row++) {
                for (int column = 0; column < BitmapFont.WIDTH; column++) {
                    if (font.isSet(text.charAt(i), column, row)) {
                        fill(left + column * SCALE, top + row * SCALE);
                    }
                }
            }
        }
        return area;
    }

    private void fill(int left, int top) {
        for (int y = top; y < top + SCALE; y++) {
            Arrays.fill(pixels, y * WIDTH + left, y * WIDTH + left + SCALE, TEXT);
        }
    }
}
