package dk.sdu.cloud.im.simulator.vnc;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TestScreenTest {

    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    static final BitmapFont FONT = new BitmapFont();

    static int textPixels(TestScreen screen, Rect area) {
        int count = 0;
        for (int y = area.y(); y < area.y() + area.height(); y++) {
            for (int x = area.x(); x < area.x() + area.width(); x++) {
                count += screen.rgb(x, y) == 0xF0F0F0 ? 1 : 0;
            }
        }
        return count;
    }

    static boolean samePixels(TestScreen one, TestScreen other, Rect area) {
        for (int y = area.y(); y < area.y() + area.height(); y++) {
            for (int x = area.x(); x < area.x() + area.width(); x++) {
                if (one.rgb(x, y) != other.rgb(x, y)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void theVmisNameIsWrittenOnThePanel() {
        Rect nameLine = new Rect(0, 412, 800, 36);
        TestScreen one = new TestScreen("vm-1-0", FONT, NOW);
        TestScreen other = new TestScreen("vm-2-0", FONT, NOW);

        assertThat(textPixels(one, nameLine)).isPositive();
        assertThat(samePixels(one, other, nameLine)).isFalse();
        assertThat(samePixels(one, other, new Rect(0, 448, 800, 152))).isTrue();
    }

    @Test
    void theTimeLineChangesOnlyWithTheSecond() {
        TestScreen screen = new TestScreen("vm-1-0", FONT, NOW);

        assertThat(screen.showTime(NOW.plusMillis(999))).isNull();
        assertThat(screen.showTime(NOW.plus(Duration.ofSeconds(1)))).isEqualTo(new Rect(0, 448, 800, 36));
        assertThat(screen.showTime(NOW.plus(Duration.ofSeconds(1)))).isNull();
    }

    @Test
    void inputIsShownOnItsOwnLine() {
        TestScreen screen = new TestScreen("vm-1-0", FONT, NOW);
        TestScreen before = new TestScreen("vm-1-0", FONT, NOW);

        assertThat(screen.showPointer(10, 20, 1)).isEqualTo(new Rect(0, 484, 800, 36));
        assertThat(samePixels(screen, before, new Rect(0, 484, 800, 36))).isFalse();
        assertThat(screen.showKey(0xff0d, true)).isEqualTo(new Rect(0, 484, 800, 36));
    }

    @Test
    void everyGlyphIsItsOwnAndUnknownCharactersAreQuestionMarks() {
        String characters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.,:/?";
        java.util.Set<String> shapes = new java.util.HashSet<>();
        for (char character : characters.toCharArray()) {
            shapes.add(shape(character));
        }
        assertThat(shapes).hasSize(characters.length());
        assertThat(shape('a')).isEqualTo(shape('A'));
        assertThat(shape('#')).isEqualTo(shape('?'));
    }

    static String shape(char character) {
        StringBuilder shape = new StringBuilder();
        for (int row = 0; row < BitmapFont.HEIGHT; row++) {
            for (int column = 0; column < BitmapFont.WIDTH; column++) {
                shape.append(FONT.isSet(character, column, row) ? '#' : '.');
            }
        }
        return shape.toString();
    }
}
