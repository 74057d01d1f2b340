package dk.sdu.cloud.im.harness.web;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The head of an HTTP/1.x message (a request or a response): its start line and header fields, in order, read up to
 * the empty line. The body is not read: the proxy passes it on as bytes.
 *
 * @param startLine the request line ({@code GET / HTTP/1.1}) or status line ({@code HTTP/1.1 200 OK})
 * @param fields    the header fields as {@code [name, value]}, in order
 */
record HttpHead(String startLine, List<String[]> fields) {
    HttpHead {
        requireNonNull(startLine, "startLine is null");
        fields = List.copyOf(fields);
    }

    /** A head that is not HTTP, or larger than allowed. */
    static final class BadHeadException extends IOException {
        private static final long serialVersionUID = 1L;
        private final boolean tooLarge;

        BadHeadException(String message, boolean tooLarge) {
            super(message);
            this.tooLarge = tooLarge;
        }

        boolean tooLarge() {
            return tooLarge;
        }
    }

    /**
     * Reads a head, byte by byte so that nothing of the body is consumed.
     *
     * @throws EOFException     when the stream ends before a head began
     * @throws BadHeadException when it is not an HTTP head or exceeds {@code maxBytes}
     */
    static HttpHead read(InputStream in, int maxBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int last = -1;
        int beforeLast = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (bytes.size() == 0) {
                    throw new EOFException("the connection closed before a request");
                }
                throw new BadHeadException("the connection closed within the request's head", false);
            }
            if (bytes.size() >= maxBytes) {
                throw new BadHeadException("the request's head is larger than " + maxBytes + " bytes", true);
            }
            bytes.write(b);
            // The head ends at an empty line: CR LF CR LF, or a bare LF LF, which servers accept too.
            if (b == '\n' && (last == '\n' || (last == '\r' && beforeLast == '\n'))) {
                break;
            }
            beforeLast = last;
            last = b;
        }
        String text = bytes.toString(StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            throw new BadHeadException("the request has no request line", false);
        }
        List<String[]> fields = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            int colon = lines[i].indexOf(':');
            if (colon <= 0 || Character.isWhitespace(lines[i].charAt(0))) {
                throw new BadHeadException("malformed header field: '" + lines[i] + "'", false);
            }
            fields.add(new String[]{lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
        }
        return new HttpHead(lines[0], fields);
    }

    /** The first value of a field, by name in any case. */
    Optional<String> field(String name) {
        return fields.stream().filter(f -> f[0].equalsIgnoreCase(name)).map(f -> f[1]).findFirst();
    }

    /** Whether a comma-separated field (e.g. {@code Connection}) has a token, in any case. */
    boolean hasToken(String name, String token) {
        return fields.stream().filter(f -> f[0].equalsIgnoreCase(name))
                .flatMap(f -> List.of(f[1].split(",")).stream())
                .anyMatch(t -> t.trim().equalsIgnoreCase(token));
    }

    /** A copy without the fields of these names (any case), with the fields given appended. */
    HttpHead without(List<String> names, List<String[]> appended) {
        List<String> lower = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        List<String[]> kept = new ArrayList<>(fields.stream()
                .filter(f -> !lower.contains(f[0].toLowerCase(Locale.ROOT))).toList());
        kept.addAll(appended);
        return new HttpHead(startLine, kept);
    }

    /** The status code of a response's head, or -1 when the status line has none. */
    int status() {
        String[] parts = startLine.split(" ", 3);
        try {
            return parts.length >= 2 ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The head as sent: lines ending in CR LF, then the empty line. */
    byte[] bytes() {
        StringBuilder out = new StringBuilder(startLine).append("\r\n");
        fields.forEach(f -> out.append(f[0]).append(": ").append(f[1]).append("\r\n"));
        return out.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
