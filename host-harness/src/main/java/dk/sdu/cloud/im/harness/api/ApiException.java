package dk.sdu.cloud.im.harness.api;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** Ends a request with an HTTP status and an {@link ApiError} body. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient ApiError error;

    ApiException(int status, ApiError error) {
        super(requireNonNull(error, "error is null").why());
        this.status = status;
        this.error = error;
    }

    static ApiException badRequest(String why) {
        return new ApiException(400, ApiError.of(why));
    }

    static ApiException of(int status, String why, List<ApiError.ItemProblem> items) {
        return new ApiException(status, new ApiError(why, items));
    }

    int status() {
        return status;
    }

    ApiError error() {
        return error;
    }
}
