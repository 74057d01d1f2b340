package dk.sdu.cloud.im.harness.api;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;

import static java.util.Objects.requireNonNull;

/**
 * Jetty's error pages as {@link ApiError} JSON. Jetty answers some requests itself before any route sees
 * them (headers over the limit, a request line or URI it cannot parse, a malformed {@code %} escape), and
 * by default with an HTML page; a client of this API should only ever have to read JSON.
 *
 * <p>The text says what was wrong with the request in a few words and never carries a stack trace or a
 * Java class name. The public links' proxy ({@code harness.web}) uses it too, for the same reason.
 */
public final class JsonErrorHandler extends ErrorHandler {
    private static final String JSON = "application/json";

    private final JsonMapper mapper;
    private final int maxHeaderBytes;

    /**
     * @param mapper         writes the JSON
     * @param maxHeaderBytes the server's limit of a request's line and headers, named in a 431's text
     */
    public JsonErrorHandler(JsonMapper mapper, int maxHeaderBytes) {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.maxHeaderBytes = maxHeaderBytes;
    }

    @Override
    public boolean errorPageForMethod(String method) {
        // Jetty writes a body for GET, POST and HEAD only; every method of this API gets the same JSON.
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message,
                                    Throwable cause, Callback callback) {
        String reason = request.getAttribute(ERROR_MESSAGE) instanceof String text ? text
                : cause instanceof HttpException http ? http.getReason() : null;
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.write(true, ByteBuffer.wrap(body(code, reason, request.getMethod(), path)), callback);
    }

    /** The body of an error that happens before there is a request to hand to {@link #handle}. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, JSON);
        return ByteBuffer.wrap(body(status, reason, null, null));
    }

    private byte[] body(int status, String reason, String method, String path) {
        return mapper.writeValueAsBytes(ApiError.of(why(status, reason, method, path)));
    }

    private String why(int status, String reason, String method, String path) {
        String detail = reason == null || reason.isBlank() || reason.equals(HttpStatus.getMessage(status))
                ? "" : ": " + reason;
        return switch (status) {
            case HttpStatus.BAD_REQUEST_400 -> "the request cannot be read" + detail
                    + " (request line, URI, %-escapes or headers are malformed)";
            case HttpStatus.NOT_FOUND_404 -> "no such route: " + method + " " + path;
            case HttpStatus.METHOD_NOT_ALLOWED_405 -> "method " + method + " is not allowed on " + path;
            case HttpStatus.PAYLOAD_TOO_LARGE_413 -> "the request body is too large";
            case HttpStatus.URI_TOO_LONG_414 -> "the request URI is too long";
            case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 -> "the request headers are larger than the limit of "
                    + maxHeaderBytes + " bytes";
            default -> status >= 500 ? "the server could not handle the request (HTTP " + status + " "
                    + HttpStatus.getMessage(status) + ")"
                    : "the request was refused (HTTP " + status + " " + HttpStatus.getMessage(status) + ")" + detail;
        };
    }
}
