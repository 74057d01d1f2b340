package dk.sdu.cloud.im.harness.settings;

/**
 * Product ids as UCloud/IM names them ({@code ResolveMachine} in {@code pkg/config/k8s.go}): the machine
 * group's name, a dash, and the product's value of the group's {@code nameSuffix} resource, e.g. group
 * {@code u1-standard} with {@code cpu: [1, 2, 4, 8]} gives {@code u1-standard-4}.
 */
public final class ProductIds {
    private ProductIds() {
    }

    /** The id of the product at {@code index} of a group. */
    public static String productId(String groupName, MachineGroupConfig group, int index) {
        int value = switch (group.effectiveNameSuffix()) {
            case CPU -> group.cpu().get(index);
            case MEMORY -> group.memory().get(index);
            case GPU -> group.gpuAt(index);
        };
        return groupName + "-" + value;
    }
}
