package dk.sdu.cloud.im.kubevirt.disk;

import java.net.URI;

/** URLs as they may appear in logs and job status messages. */
final class Urls {
    private Urls() {
    }

    /**
     * The URL without user info and with the query hidden: signed download links carry their credentials
     * there, and messages end up in logs and in the user's job status.
     */
    static String forDisplay(URI url) {
        StringBuilder shown = new StringBuilder();
        if (url.getScheme() != null) {
            shown.append(url.getScheme()).append(':');
        }
        String authority = url.getRawAuthority();
        if (authority != null) {
            shown.append("//").append(authority.substring(authority.lastIndexOf('@') + 1));
        }
        if (url.getRawPath() != null) {
            shown.append(url.getRawPath());
        } else if (url.getRawSchemeSpecificPart() != null && authority == null) {
            shown.append(url.getRawSchemeSpecificPart());
        }
        if (url.getRawQuery() != null) {
            shown.append("?…");
        }
        return shown.toString();
    }
}
