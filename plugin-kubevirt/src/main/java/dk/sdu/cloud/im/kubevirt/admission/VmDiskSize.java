package dk.sdu.cloud.im.kubevirt.admission;

import dk.sdu.cloud.im.spi.compute.DynamicParameter;
import dk.sdu.cloud.im.spi.job.AppParameterValue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;

/**
 * The {@code diskSize} dynamic parameter: the VM disk's size in GiB. Unlike UCloud/IM, which clamps it, a
 * value outside the range is rejected, so a user never gets a disk of another size than asked for.
 */
public final class VmDiskSize {
    /** The parameter's name in {@code specification.parameters}. */
    public static final String PARAMETER = "diskSize";
    /** The smallest disk, GiB. */
    public static final int MIN_GIB = 15;
    /** The largest disk, GiB. */
    public static final int MAX_GIB = 2000;
    /** The size when the job does not say, GiB. */
    public static final int DEFAULT_GIB = 50;

    private VmDiskSize() {
    }

    /** The parameter as offered to Core ({@code requestDynamicParameters}), in UCloud/IM's shape. */
    public static DynamicParameter dynamicParameter() {
        return new DynamicParameter(PARAMETER, "integer", "Disk size (GiB)",
                "The size of the virtual machine's disk, between " + MIN_GIB + " and " + MAX_GIB + " GiB.",
                (long) MIN_GIB, (long) MAX_GIB, 1L, "GiB", DEFAULT_GIB, false);
    }

    /**
     * The size a parameter value asks for.
     *
     * @param value the job's {@code diskSize} value, or null when absent (then {@link #DEFAULT_GIB})
     * @return the size in GiB
     * @throws IllegalArgumentException with a message for the user when the value is not a whole number
     *                                  within the range
     */
    static int parse(AppParameterValue value) {
        if (value == null || value.value() == null) {
            return DEFAULT_GIB;
        }
        String range = "between " + MIN_GIB + " and " + MAX_GIB + " GiB";
        BigInteger size = wholeNumber(value.value()).orElseThrow(() -> new IllegalArgumentException(
                "The disk size must be a whole number of GiB " + range + ", got '" + value.value() + "'."));
        if (size.compareTo(BigInteger.valueOf(MIN_GIB)) < 0 || size.compareTo(BigInteger.valueOf(MAX_GIB)) > 0) {
            throw new IllegalArgumentException("The disk size must be " + range + ", got " + size + " GiB.");
        }
        return size.intValueExact();
    }

    private static Optional<BigInteger> wholeNumber(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return Optional.of(BigInteger.valueOf(((Number) value).longValue()));
        }
        if (value instanceof BigInteger big) {
            return Optional.of(big);
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            // A JSON 60.0 is the same number as 60; 60.5 is not a whole number of GiB.
            try {
                BigDecimal decimal = value instanceof BigDecimal d ? d : new BigDecimal(value.toString());
                return Optional.of(decimal.toBigIntegerExact());
            } catch (ArithmeticException | NumberFormatException notWhole) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
