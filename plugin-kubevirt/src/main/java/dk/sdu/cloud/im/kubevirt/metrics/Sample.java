package dk.sdu.cloud.im.kubevirt.metrics;

/**
 * One whole sample read from a guest's ring.
 *
 * @param sequence its sequence number in the ring, from 1
 * @param values   its columns (docs/metrics-format.md)
 */
record Sample(long sequence, double[] values) {

    /** A column's value, 0 when the row is shorter. */
    double column(int index) {
        return index < values.length ? values[index] : 0;
    }
}
