package dk.sdu.cloud.im.kubevirt.admission;

import dk.sdu.cloud.im.spi.host.Product;

/**
 * The CPU a VM's pod requests and is limited to, in millicores, as UCloud's IM computes them from the
 * product: {@code cores = cpu * fraction} (the fraction only when the product has no GPUs),
 * {@code limit = cores * 1000} and {@code request = floor(cores * (1000 - reservedPerCore))}, where
 * {@code reservedPerCore} is the category's reservation per vCPU ({@link Product#reservedCpuMillisPerCore()}).
 * The request is what the scheduler counts, so the node keeps the reserved share for its system.
 *
 * @param request the pod's CPU request, millicores (at least 0)
 * @param limit   the pod's CPU limit, millicores
 */
public record VmCpuMillis(int request, int limit) {
    public VmCpuMillis {
        if (request < 0 || limit < request) {
            throw new IllegalArgumentException("need 0 <= request <= limit, got request " + request + ", limit " + limit);
        }
    }

    /** The whole vCPUs of a product, nothing reserved: request and limit {@code cpu * 1000}. */
    public static VmCpuMillis whole(int cpu) {
        return new VmCpuMillis(cpu * 1000, cpu * 1000);
    }

    /** UCloud's numbers for a product. */
    public static VmCpuMillis of(Product product) {
        double cores = product.cpu();
        if (product.gpu() == 0) {
            cores *= product.fraction().multiplier();
        }
        int limit = (int) (cores * 1000);
        int request = (int) Math.max(0, Math.floor(cores * (1000 - product.reservedCpuMillisPerCore())));
        return new VmCpuMillis(Math.min(request, limit), limit);
    }

    /** A Kubernetes quantity for millicores: whole cores as {@code "4"}, else {@code "3750m"}. */
    public static String quantity(int millis) {
        return millis % 1000 == 0 ? Integer.toString(millis / 1000) : millis + "m";
    }
}
