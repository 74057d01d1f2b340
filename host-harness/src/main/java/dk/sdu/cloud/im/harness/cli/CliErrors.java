package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.config.ConfigException;
import dk.sdu.cloud.im.spi.config.ConfigProblem;

import java.io.PrintWriter;

/** How commands report the problems they share. */
final class CliErrors {
    private CliErrors() {
    }

    /** Every problem of a configuration file, one per line, under a line naming the file. */
    static void printConfigProblems(PrintWriter err, ConfigException e) {
        err.println(e.file() + ": " + e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems"));
        for (ConfigProblem problem : e.problems()) {
            err.println("  " + problem);
        }
    }
}
