package dk.sdu.cloud.im.harness.settings;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How often usage is charged. */
public enum PaymentInterval {
    @JsonProperty("Minutely") MINUTELY,
    @JsonProperty("Hourly") HOURLY,
    @JsonProperty("Daily") DAILY
}
