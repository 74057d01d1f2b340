package dk.sdu.cloud.im.harness.store;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A drive as UCloud/Core described it to the IM, with when the IM learnt it.
 *
 * @param id                  Core's id of the drive, the first part of a UCloud path ({@code /17/Data})
 * @param providerGeneratedId what the provider (this IM or UCloud's) made the drive with, e.g.
 *                            {@code h-alice}; empty for a collection
 * @param createdBy           the drive's owner ({@code owner.createdBy})
 * @param project             the drive's project ({@code owner.project}), if any
 * @param productId           {@code specification.product.id}
 * @param productCategory     {@code specification.product.category}
 * @param productProvider     {@code specification.product.provider}
 * @param fetchedAt           when the IM learnt it, milliseconds since the epoch
 */
public record KnownDrive(String id, Optional<String> providerGeneratedId, String createdBy, Optional<String> project,
                         String productId, String productCategory, String productProvider, long fetchedAt) {
    public KnownDrive {
        requireNonNull(id, "id is null");
        requireNonNull(providerGeneratedId, "providerGeneratedId is null");
        requireNonNull(createdBy, "createdBy is null");
        requireNonNull(project, "project is null");
        requireNonNull(productId, "productId is null");
        requireNonNull(productCategory, "productCategory is null");
        requireNonNull(productProvider, "productProvider is null");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("id is empty");
        }
    }
}
