package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.client.HarnessClientException;
import dk.sdu.cloud.im.harness.config.ConfigException;
import dk.sdu.cloud.im.harness.serve.ServeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code ucloud-im jobs}: a group; does nothing by itself. */
@Command(
        name = "jobs",
        mixinStandardHelpOptions = true,
        description = "Shows the jobs a running IM ('ucloud-im serve') has recorded: what Core sent and every "
                + "update its backends reported. Asks the IM over HTTP (GET /harness/jobs).",
        subcommands = {JobsCommand.ListJobs.class, JobsCommand.ShowJob.class})
final class JobsCommand {

    /** Exit status when the IM answered that there is no such job. */
    static final int NOT_FOUND = 4;

    /** {@code ucloud-im jobs list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = {
                    "Lists the recorded jobs, oldest first: id, state, when it last changed (local time), last message.",
                    "Exit status: 0 success, 1 the IM cannot be reached or failed, 2 bad usage or configuration."
            })
    static final class ListJobs implements Callable<Integer> {
        @Mixin
        ServerOptions server;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return ask(spec, server, client -> new JobViews(ZoneId.systemDefault())
                    .list(client.get("/harness/jobs"), client.base().toString()));
        }
    }

    /** {@code ucloud-im jobs show ID}. */
    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = {
                    "Shows one job: its state, name, product, application and owner, then every update (time, state, "
                            + "message) in the order the IM recorded them.",
                    "Exit status: 0 success, 1 the IM cannot be reached or failed, 2 bad usage or configuration, "
                            + NOT_FOUND + " no such job."
            })
    static final class ShowJob implements Callable<Integer> {
        @Mixin
        ServerOptions server;

        @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
        String id;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return ask(spec, server, client -> new JobViews(ZoneId.systemDefault())
                    .show(client.get("/harness/jobs/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"))));
        }
    }

    private static int ask(CommandSpec spec, ServerOptions server, Function<HarnessClient, String> question) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return CliLogging.warningsOnly(() -> {
            try {
                out.print(question.apply(server.client(spec)));
                out.flush();
                return 0;
            } catch (ConfigException e) {
                CliErrors.printConfigProblems(err, e);
                return ImCommand.CONFIG_PROBLEMS;
            } catch (ServeException e) {
                err.println("ucloud-im jobs: " + e.getMessage());
                return e.exitStatus();
            } catch (HarnessClientException e) {
                err.println("ucloud-im jobs: " + e.getMessage());
                return e.status() == 404 ? NOT_FOUND : ImCommand.CANNOT_RUN;
            }
        });
    }

    private JobsCommand() {
    }
}
