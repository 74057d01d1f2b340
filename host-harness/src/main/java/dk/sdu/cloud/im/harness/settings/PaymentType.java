package dk.sdu.cloud.im.harness.settings;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a product category is paid for. */
public enum PaymentType {
    /** In units of a resource (e.g. core-minutes); no prices. */
    @JsonProperty("Resource") RESOURCE,
    /** In money; every product needs a price. */
    @JsonProperty("Money") MONEY
}
