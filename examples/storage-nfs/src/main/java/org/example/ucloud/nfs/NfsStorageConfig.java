package org.example.ucloud.nfs;

import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ConfigSection;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * This plugin's keys: {@code services.compute.virtualMachines.storage.nfs} when the storage type is
 * {@code Nfs}. The host binds the section (unknown keys, missing values and wrong types are its problems,
 * reported with their paths) and then asks {@link #validate()} for what only the plugin knows.
 *
 * @param nfs the NFS export that holds the provider's file system
 */
@ConfigSection("services.compute.virtualMachines.storage")
public record NfsStorageConfig(Nfs nfs) implements ValidatedConfig {

    /**
     * @param server the NFS server's host name or address, as the nodes reach it
     * @param path   the export's path on the server that is the provider file system's mount point
     */
    public record Nfs(String server, String path) {
    }

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        if (nfs == null) {
            problems.add(new ConfigProblem("nfs", "is required: {server: HOST, path: /EXPORT}"));
            return problems;
        }
        if (nfs.server() == null || nfs.server().isBlank()) {
            problems.add(new ConfigProblem("nfs.server", "is required: the NFS server's host name or address"));
        }
        if (nfs.path() == null || !nfs.path().startsWith("/")) {
            problems.add(new ConfigProblem("nfs.path", "must be an absolute path on the server, got '" + nfs.path() + "'"));
        } else if (List.of(nfs.path().split("/")).contains("..")) {
            problems.add(new ConfigProblem("nfs.path", "must not contain '..', got '" + nfs.path() + "'"));
        }
        return problems;
    }
}
