package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code services.compute.machines.<category>.payment}, as in UCloud/IM.
 *
 * @param type     {@code Resource} or {@code Money}
 * @param unit     the resource charged for ({@code Cpu}, {@code Memory}, {@code Gpu}) when paid in resources
 * @param interval how often usage is charged
 * @param currency the currency, required when paid in money
 */
public record PaymentConfig(
        PaymentType type,
        Optional<MachineResource> unit,
        Optional<PaymentInterval> interval,
        Optional<String> currency
) implements ValidatedConfig {

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        if (type == PaymentType.MONEY && currency.filter(c -> !c.isBlank()).isEmpty()) {
            problems.add(new ConfigProblem("currency", "is required when type is Money"));
        }
        if (type == PaymentType.RESOURCE && currency.isPresent()) {
            problems.add(new ConfigProblem("currency", "must not be given when type is Resource, got '"
                    + currency.get() + "'"));
        }
        return problems;
    }
}
