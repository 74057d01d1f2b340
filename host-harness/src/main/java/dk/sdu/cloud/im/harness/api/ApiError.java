package dk.sdu.cloud.im.harness.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The body of every error response.
 *
 * @param why   what is wrong, for a person
 * @param items one entry per bad item of a bulk request; empty (and left out of the JSON) otherwise
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ApiError(String why, List<ItemProblem> items) {
    public ApiError {
        requireNonNull(why, "why is null");
        items = items == null ? List.of() : List.copyOf(items);
    }

    /** An error about the request as a whole. */
    public static ApiError of(String why) {
        return new ApiError(why, List.of());
    }

    /**
     * What is wrong with one item of a bulk request.
     *
     * @param index the item's position in {@code items}, from 0
     * @param id    the job id of the item, when it has one
     * @param why   what is wrong with it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ItemProblem(int index, String id, String why) {
        public ItemProblem {
            requireNonNull(why, "why is null");
        }
    }
}
