package dk.sdu.cloud.im.kubevirt.disk;

import static java.util.Objects.requireNonNull;

/**
 * One progress report of a disk preparation.
 *
 * @param jobId      the job whose disk it is
 * @param phase      where the preparation is
 * @param percent    0-100 within the phase, or -1 when unknown (a download without Content-Length)
 * @param bytesDone  bytes downloaded so far while {@link DiskPreparationPhase#DOWNLOADING}, else 0
 * @param bytesTotal the download's length, or -1 when unknown or not downloading
 * @param message    a sentence for the job's status, e.g. "Downloading disk image: 45% (120 of 267 MiB)";
 *                   for {@link DiskPreparationPhase#FAILED} it starts with "Disk preparation failed: " and
 *                   carries the reason
 */
public record DiskPreparationEvent(
        String jobId,
        DiskPreparationPhase phase,
        int percent,
        long bytesDone,
        long bytesTotal,
        String message
) {
    public DiskPreparationEvent {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(phase, "phase is null");
        requireNonNull(message, "message is null");
        if (percent < -1 || percent > 100) {
            throw new IllegalArgumentException("percent must be -1..100, got " + percent);
        }
    }

    /** Whether no further event of this preparation follows. */
    public boolean isFinal() {
        return phase == DiskPreparationPhase.DONE || phase == DiskPreparationPhase.FAILED;
    }

    /** A golden image's progress, as seen by one job. */
    static DiskPreparationEvent of(String jobId, ImageProgress progress) {
        return switch (progress.phase()) {
            case DOWNLOADING -> new DiskPreparationEvent(jobId, DiskPreparationPhase.DOWNLOADING, progress.percent(),
                    progress.bytes(), progress.total(), downloadMessage(progress));
            case VERIFYING -> new DiskPreparationEvent(jobId, DiskPreparationPhase.VERIFYING, -1, 0, -1,
                    "Verifying disk image");
            default -> throw new IllegalArgumentException("not an image phase: " + progress.phase());
        };
    }

    static DiskPreparationEvent converting(String jobId, int percent) {
        return new DiskPreparationEvent(jobId, DiskPreparationPhase.CONVERTING, percent, 0, -1,
                "Converting disk image: " + percent + "%");
    }

    static DiskPreparationEvent resizing(String jobId, int sizeGiB) {
        return new DiskPreparationEvent(jobId, DiskPreparationPhase.RESIZING, -1, 0, -1,
                "Resizing disk to " + sizeGiB + " GiB");
    }

    static DiskPreparationEvent done(String jobId, int sizeGiB, boolean alreadyThere) {
        return new DiskPreparationEvent(jobId, DiskPreparationPhase.DONE, 100, 0, -1,
                alreadyThere ? "Disk ready (the existing disk is kept)" : "Disk ready (" + sizeGiB + " GiB)");
    }

    static DiskPreparationEvent failed(String jobId, String reason) {
        return new DiskPreparationEvent(jobId, DiskPreparationPhase.FAILED, -1, 0, -1,
                "Disk preparation failed: " + reason);
    }

    private static String downloadMessage(ImageProgress progress) {
        if (progress.total() > 0) {
            ByteUnit unit = ByteUnit.fitting(progress.total());
            return "Downloading disk image: " + progress.percent() + "% (" + unit.whole(progress.bytes()) + " of "
                    + unit.whole(progress.total()) + " " + unit + ")";
        }
        if (progress.bytes() == 0) {
            return "Downloading disk image";
        }
        ByteUnit unit = ByteUnit.fitting(progress.bytes());
        return "Downloading disk image: " + unit.whole(progress.bytes()) + " " + unit;
    }

    /** The unit a size is told in: small images (tests, tiny appliances) would otherwise read "0 of 0 MiB". */
    private enum ByteUnit {
        KiB(10), MiB(20);

        private final int shift;

        ByteUnit(int shift) {
            this.shift = shift;
        }

        static ByteUnit fitting(long bytes) {
            return bytes < 1L << MiB.shift ? KiB : MiB;
        }

        long whole(long bytes) {
            return bytes >> shift;
        }
    }
}
