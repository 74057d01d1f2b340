package dk.sdu.cloud.im.kubevirt.metrics;

/** A guest's metrics file that is refused: not there as a regular file, too big, or not in the format. */
final class MetricsFileException extends Exception {
    MetricsFileException(String message) {
        super(message);
    }
}
