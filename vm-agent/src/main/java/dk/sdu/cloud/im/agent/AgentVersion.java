package dk.sdu.cloud.im.agent;

/** The agent's version, from its jar's manifest (Implementation-Version); "dev" when run from classes. */
final class AgentVersion {
    private AgentVersion() {
    }

    static String current() {
        var version = AgentVersion.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
