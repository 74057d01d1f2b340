package dk.sdu.cloud.im.kubevirt.state;

/**
 * What a guest's agent said about its guest when it connected (its {@code hello}); either may be absent.
 *
 * @param os      the guest's operating system, e.g. {@code Ubuntu 24.04.1 LTS}, or null
 * @param address the guest's own network address, e.g. {@code 10.244.0.7}, or null
 */
public record GuestAgentReport(String os, String address) {

    /** An agent that said nothing about its guest. */
    public static final GuestAgentReport NONE = new GuestAgentReport(null, null);

    /** The report in words for a status message: {@code " (Ubuntu 24.04, 10.0.0.7)"}, or empty. */
    String describe() {
        String what = os == null || os.isBlank() ? "" : os.strip();
        String where = address == null || address.isBlank() ? "" : address.strip();
        if (what.isEmpty() && where.isEmpty()) {
            return "";
        }
        return " (" + what + (what.isEmpty() || where.isEmpty() ? "" : ", ") + where + ")";
    }
}
