package dk.sdu.cloud.im.kubevirt.disk;

/**
 * Progress of obtaining a golden image, shared by every job waiting for the same image.
 *
 * @param phase   {@link DiskPreparationPhase#DOWNLOADING} or {@link DiskPreparationPhase#VERIFYING}
 * @param percent 0-100, or -1 when unknown
 * @param bytes   bytes downloaded so far
 * @param total   the download's length, or -1 when unknown
 */
record ImageProgress(DiskPreparationPhase phase, int percent, long bytes, long total) {

    static ImageProgress downloading(long bytes, long total) {
        int percent = total > 0 ? (int) Math.min(100, bytes * 100 / total) : (total == 0 ? 100 : -1);
        return new ImageProgress(DiskPreparationPhase.DOWNLOADING, percent, bytes, total);
    }

    static ImageProgress verifying() {
        return new ImageProgress(DiskPreparationPhase.VERIFYING, -1, 0, -1);
    }
}
