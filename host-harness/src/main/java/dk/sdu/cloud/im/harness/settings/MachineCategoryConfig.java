package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code services.compute.machines.<category>}: a product category and its machine groups.
 *
 * @param payment how the category is paid for
 * @param groups  the machine groups, by name; at least one
 */
public record MachineCategoryConfig(PaymentConfig payment, Map<String, MachineGroupConfig> groups)
        implements ValidatedConfig {

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        if (groups.isEmpty()) {
            problems.add(new ConfigProblem("groups", "must define at least one machine group"));
        }
        Map<String, String> groupOfProduct = new HashMap<>();
        groups.forEach((name, group) -> {
            String path = "groups." + name;
            if (payment.type() == PaymentType.MONEY && group.price().isEmpty()) {
                problems.add(new ConfigProblem(path + ".price", "is required when payment.type is Money"));
            }
            if (payment.type() == PaymentType.RESOURCE && !group.price().isEmpty()) {
                problems.add(new ConfigProblem(path + ".price", "must not be given when payment.type is Resource"));
            }
            if (!group.definesProducts()) {
                return; // already a problem of the group; ids would be meaningless
            }
            for (int i = 0; i < group.size(); i++) {
                String id = ProductIds.productId(name, group, i);
                String earlier = groupOfProduct.putIfAbsent(id, name);
                if (earlier != null) {
                    problems.add(new ConfigProblem(path, "defines product '" + id + "' again (already defined by group '"
                            + earlier + "'); product ids are '<group>-<" + group.effectiveNameSuffix().name().toLowerCase(Locale.ROOT)
                            + ">' and must be unique in a category"));
                }
            }
        });
        return problems;
    }
}
