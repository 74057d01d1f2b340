package dk.sdu.cloud.im.kubevirt.disk;

import static java.util.Objects.requireNonNull;

/**
 * The application whose golden image is cached: its name and version as UCloud knows them.
 *
 * @param appName    the application's name
 * @param appVersion the application's version
 */
public record GoldenImageKey(String appName, String appVersion) {
    public GoldenImageKey {
        requireNonNull(appName, "appName is null");
        requireNonNull(appVersion, "appVersion is null");
        if (appName.isBlank()) {
            throw new IllegalArgumentException("appName must not be blank");
        }
        if (appVersion.isBlank()) {
            throw new IllegalArgumentException("appVersion must not be blank");
        }
    }

    @Override
    public String toString() {
        return appName + "@" + appVersion;
    }
}
