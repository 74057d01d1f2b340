package dk.sdu.cloud.im.simulator.vnc;

/**
 * A rectangle of the screen in pixels, as RFB addresses one (x, y of the top-left corner, width, height).
 *
 * @param x      left edge
 * @param y      top edge
 * @param width  width, at least 0
 * @param height height, at least 0
 */
public record Rect(int x, int y, int width, int height) {

    public Rect {
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("a rectangle's size must not be negative: " + width + "x" + height);
        }
    }

    /** Whether it has no pixel. */
    public boolean isEmpty() {
        return width == 0 || height == 0;
    }

    /** The pixels both have; an empty rectangle when they do not overlap. */
    public Rect intersection(Rect other) {
        int left = Math.max(x, other.x);
        int top = Math.max(y, other.y);
        int right = Math.min(x + width, other.x + other.width);
        int bottom = Math.min(y + height, other.y + other.height);
        return right <= left || bottom <= top ? new Rect(left, top, 0, 0) : new Rect(left, top, right - left, bottom - top);
    }

    /** The smallest rectangle holding both (an empty one counts as nothing). */
    public Rect union(Rect other) {
        if (other == null || other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        int left = Math.min(x, other.x);
        int top = Math.min(y, other.y);
        int right = Math.max(x + width, other.x + other.width);
        int bottom = Math.max(y + height, other.y + other.height);
        return new Rect(left, top, right - left, bottom - top);
    }

    /** Whether every pixel of {@code other} is in this one. */
    public boolean contains(Rect other) {
        return other.isEmpty() || (other.x >= x && other.y >= y
                && other.x + other.width <= x + width && other.y + other.height <= y + height);
    }
}
