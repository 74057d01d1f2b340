package dk.sdu.cloud.im.spi.host;

import dk.sdu.cloud.im.spi.job.ProductReference;

import java.util.List;
import java.util.Optional;

/** The provider's products, as configured in {@code services.compute.machines}. */
public interface MachineCatalog {

    /** Every product, in configuration order. */
    List<Product> products();

    /** The product a job refers to, matched by category and id. */
    default Optional<Product> find(ProductReference reference) {
        if (reference == null) {
            return Optional.empty();
        }
        return products().stream()
                .filter(p -> p.id().equals(reference.id()) && p.category().equals(reference.category()))
                .findFirst();
    }
}
