package dk.sdu.cloud.im.harness.api;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** Ends a request with an HTTP status and an {@link ApiError} body. */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient ApiError error;

    public ApiException(int status, ApiError error) {
        super(requireNonNull(error, "error is null").why());
        this.status = status;
        this.error = error;
    }

    public static ApiException badRequest(String why) {
        return new ApiException(400, ApiError.of(why));
    }

    public static ApiException of(int status, String why, List<ApiError.ItemProblem> items) {
        return new ApiException(status, new ApiError(why, items));
    }

    public int status() {
        return status;
    }

    public ApiError error() {
        return error;
    }
}
