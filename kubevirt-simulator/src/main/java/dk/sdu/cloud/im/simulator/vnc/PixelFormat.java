package dk.sdu.cloud.im.simulator.vnc;

import java.nio.ByteBuffer;

/**
 * RFB's PIXEL_FORMAT (RFC 6143, 7.4): how a pixel is put into bytes on the wire. Only true-colour formats of
 * 8, 16 or 32 bits per pixel are served; {@link #problem()} says what is wrong with any other.
 *
 * @param bitsPerPixel 8, 16 or 32
 * @param depth        useful bits per pixel (informational)
 * @param bigEndian    byte order of multi-byte pixels
 * @param trueColour   pixels are RGB values (false: indexes into a colour map, which this server has not)
 * @param redMax       largest red value (2^n - 1)
 * @param greenMax     largest green value
 * @param blueMax      largest blue value
 * @param redShift     bits red is shifted left by
 * @param greenShift   bits green is shifted left by
 * @param blueShift    bits blue is shifted left by
 */
public record PixelFormat(int bitsPerPixel, int depth, boolean bigEndian, boolean trueColour,
                          int redMax, int greenMax, int blueMax, int redShift, int greenShift, int blueShift) {

    /** The bytes PIXEL_FORMAT takes on the wire (three of them padding). */
    public static final int WIRE_SIZE = 16;

    /** What the server offers in ServerInit: 32 bits per pixel, depth 24, little-endian, 0x00RRGGBB. */
    public static final PixelFormat DEFAULT = new PixelFormat(32, 24, false, true, 255, 255, 255, 16, 8, 0);

    /** Bytes one pixel takes. */
    public int bytesPerPixel() {
        return bitsPerPixel / 8;
    }

    /** Why this format cannot be served, or null when it can. */
    public String problem() {
        if (!trueColour) {
            return "colour-map pixel formats are not supported (true colour only)";
        }
        if (bitsPerPixel != 8 && bitsPerPixel != 16 && bitsPerPixel != 32) {
            return "bits per pixel must be 8, 16 or 32, got " + bitsPerPixel;
        }
        if (!fits(redMax, redShift) || !fits(greenMax, greenShift) || !fits(blueMax, blueShift)) {
            return "colour maxima and shifts do not fit in " + bitsPerPixel + " bits per pixel";
        }
        return null;
    }

    // A maximum of 2^n - 1 (at least 1) whose bits, shifted, stay within the pixel.
    private boolean fits(int max, int shift) {
        return max > 0 && (max & (max + 1)) == 0 && shift + Integer.bitCount(max) <= bitsPerPixel;
    }

    /** Reads the 16 bytes of a PIXEL_FORMAT. */
    public static PixelFormat read(ByteBuffer wire) {
        PixelFormat format = new PixelFormat(wire.get() & 0xff, wire.get() & 0xff, wire.get() != 0, wire.get() != 0,
                wire.getShort() & 0xffff, wire.getShort() & 0xffff, wire.getShort() & 0xffff,
                wire.get() & 0xff, wire.get() & 0xff, wire.get() & 0xff);
        wire.position(wire.position() + 3);
        return format;
    }

    /** Writes the 16 bytes of a PIXEL_FORMAT. */
    public void write(ByteBuffer wire) {
        wire.put((byte) bitsPerPixel).put((byte) depth).put((byte) (bigEndian ? 1 : 0)).put((byte) (trueColour ? 1 : 0))
                .putShort((short) redMax).putShort((short) greenMax).putShort((short) blueMax)
                .put((byte) redShift).put((byte) greenShift).put((byte) blueShift)
                .put((byte) 0).put((byte) 0).put((byte) 0);
    }

    /**
     * Puts a 0xRRGGBB colour at {@code offset} as a pixel of this format (a served format: see {@link #problem()}).
     */
    public void encode(int rgb, byte[] into, int offset) {
        int pixel = scale((rgb >> 16) & 0xff, redMax) << redShift
                | scale((rgb >> 8) & 0xff, greenMax) << greenShift
                | scale(rgb & 0xff, blueMax) << blueShift;
        int bytes = bytesPerPixel();
        for (int i = 0; i < bytes; i++) {
            int shift = bigEndian ? 8 * (bytes - 1 - i) : 8 * i;
            into[offset + i] = (byte) (pixel >>> shift);
        }
    }

    private static int scale(int component, int max) {
        return (component * max + 127) / 255;
    }
}
