package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.spi.compute.FollowMessage;
import dk.sdu.cloud.im.harness.client.FollowStream;
import dk.sdu.cloud.im.harness.client.HarnessClientException;
import dk.sdu.cloud.im.harness.client.ShellSession;
import dk.sdu.cloud.im.harness.client.VncConnection;
import dk.sdu.cloud.im.harness.config.ConfigException;
import dk.sdu.cloud.im.harness.serve.ServeException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;

/** {@code ucloud-im jobs}: a group; does nothing by itself. */
@Command(
        name = "jobs",
        mixinStandardHelpOptions = true,
        description = "Shows the jobs a running IM ('ucloud-im serve') has recorded: what Core sent and every "
                + "update its backends reported (GET /harness/jobs), runs a command in a job's shell, opens "
                + "a job's screen (VNC) and prints the URL of its web console.",
        subcommands = {JobsCommand.ListJobs.class, JobsCommand.ShowJob.class, JobsCommand.ShellJob.class,
                JobsCommand.VncJob.class, JobsCommand.FollowJob.class, JobsCommand.ConsoleJob.class,
                JobsCommand.Headers.class})
final class JobsCommand {

    /** Exit status when the IM answered that there is no such job. */
    static final int NOT_FOUND = 4;
    /** Exit status of {@code jobs shell} when the command ran and exited with a status other than 0. */
    static final int COMMAND_FAILED = 5;

    /** {@code ucloud-im jobs headers}. */
    @Command(
            name = "headers",
            mixinStandardHelpOptions = true,
            description = {
                    "Prints the HTTP headers the running IM accepts a call of Core's with, one 'Name: value' per line, "
                            + "for another client (e.g. curl -H \"$(ucloud-im jobs headers --config FILE)\"): in "
                            + "harness.auth.mode jwt a token signed as Core signs it, valid for 10 minutes.",
                    "Exit status: 0 success, 2 bad usage or configuration."
            })
    static final class Headers implements Callable<Integer> {
        @Mixin
        ServerOptions server;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return answer(spec, () -> {
                StringBuilder lines = new StringBuilder();
                server.credentials(spec).headers().forEach((name, value) -> lines.append(name).append(": ")
                        .append(value).append('\n'));
                return lines.toString();
            });
        }
    }

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

    /** {@code ucloud-im jobs shell ID [--rank N] [--command CMD]}. */
    @Command(
            name = "shell",
            mixinStandardHelpOptions = true,
            description = {
                    "Runs one command in a job's shell, as a UCloud user's terminal would (an interactive session of "
                            + "type SHELL through the provider API, then its websocket), and prints what it printed "
                            + "(standard output and error, as the terminal showed them).",
                    "The command is --command, else all of standard input. The shell needs printf and base64.",
                    "Exit status: 0 the command exited with 0, 1 the IM cannot be reached or the shell failed, "
                            + "2 bad usage or configuration, " + NOT_FOUND + " no such job, " + COMMAND_FAILED
                            + " the command exited with another status (printed on stderr)."
            })
    static final class ShellJob implements Callable<Integer> {
        @Mixin
        ServerOptions server;

        @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
        String id;

        @Option(names = "--rank", paramLabel = "N", defaultValue = "0",
                description = "The job's machine, from 0 (default: ${DEFAULT-VALUE}).")
        int rank;

        @Option(names = "--command", paramLabel = "CMD", description = "The command line to run (default: standard input).")
        String command;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
                description = "How long the shell and the command may take (default: ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (rank < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--rank must be 0 or more, got " + rank);
            }
            if (timeoutSeconds < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be at least 1 s");
            }
            String line = command != null ? command : new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            if (line.isBlank()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no command: give --command CMD, or the "
                        + "command on standard input");
            }
            return handled(spec, "ucloud-im jobs shell", () -> {
                HarnessClient client = server.client(spec);
                ShellSession.CommandResult result;
                try (ShellSession shell = client.openShell(id, rank)) {
                    result = shell.run(line, Duration.ofSeconds(timeoutSeconds));
                }
                out.print(result.output());
                if (!result.output().isEmpty() && !result.output().endsWith("\n")) {
                    out.println();
                }
                out.flush();
                if (result.exitStatus() != 0) {
                    err.println("ucloud-im jobs shell: the command exited with status " + result.exitStatus());
                    return COMMAND_FAILED;
                }
                return 0;
            });
        }
    }

    /** {@code ucloud-im jobs vnc ID [--rank N] [--handshake]}. */
    @Command(
            name = "vnc",
            mixinStandardHelpOptions = true,
            description = {
                    "Opens a job's screen as UCloud's frontend would: an interactive session of type VNC through the "
                            + "provider API. Prints the session's URL (a websocket for a VNC viewer such as noVNC; its "
                            + "token opens one connection within 60 s) and the application's VNC password, if any.",
                    "With --handshake, connects to the URL instead and prints the first bytes the screen sends: the "
                            + "RFB server's version line (e.g. 'RFB 003.008').",
                    "Exit status: 0 success, 1 the IM cannot be reached or the screen failed, 2 bad usage or "
                            + "configuration, " + NOT_FOUND + " no such job."
            })
    static final class VncJob implements Callable<Integer> {
        /** The length of an RFB version line, {@code "RFB 003.008\n"}. */
        static final int VERSION_LINE_BYTES = 12;

        @Mixin
        ServerOptions server;

        @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
        String id;

        @Option(names = "--rank", paramLabel = "N", defaultValue = "0",
                description = "The job's machine, from 0 (default: ${DEFAULT-VALUE}).")
        int rank;

        @Option(names = "--handshake", description = "Connect and print the screen's RFB version line.")
        boolean handshake;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
                description = "How long connecting and the first bytes may take (default: ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (rank < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--rank must be 0 or more, got " + rank);
            }
            if (timeoutSeconds < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be at least 1 s");
            }
            return handled(spec, "ucloud-im jobs vnc", () -> {
                HarnessClient client = server.client(spec);
                if (!handshake) {
                    VncConnection.Session session = client.vncSession(id, rank);
                    out.println("url: " + session.url());
                    out.println("password: " + session.password().orElse("(none)"));
                    out.flush();
                    return 0;
                }
                try (VncConnection screen = client.openVnc(id, rank)) {
                    byte[] first = screen.firstBytes(VERSION_LINE_BYTES, Duration.ofSeconds(timeoutSeconds));
                    if (first.length == 0) {
                        throw new HarnessClientException(0, "the screen sent nothing within " + timeoutSeconds + " s"
                                + screen.closed().map(c -> " (closed: " + c.code() + " " + c.reason() + ")")
                                .orElse(""), null);
                    }
                    out.println(VncConnection.printable(first));
                    out.flush();
                    return 0;
                }
            });
        }
    }

    /** {@code ucloud-im jobs follow ID [--channel NAME] [--count N] [--timeout SECONDS]}. */
    @Command(
            name = "follow",
            mixinStandardHelpOptions = true,
            description = {
                    "Follows a job as UCloud/Core does (the follow websocket of the provider API) and prints each "
                            + "message: a log line as it is (standard error's on stderr), a packet on a channel as "
                            + "'[channel] payload'. Ends when the job ends, after --count messages, or after --timeout.",
                    "Exit status: 0 the stream ended or --count messages came, 1 the IM cannot be reached, refused "
                            + "the stream or --timeout passed first, 2 bad usage or configuration, " + NOT_FOUND
                            + " no such job."
            })
    static final class FollowJob implements Callable<Integer> {
        @Mixin
        ServerOptions server;

        @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
        String id;

        @Option(names = "--channel", paramLabel = "NAME",
                description = "Print only the messages on this channel (e.g. utilization-data, kv), payload only.")
        String channel;

        @Option(names = "--count", paramLabel = "N", defaultValue = "0",
                description = "Stop after N printed messages (default: ${DEFAULT-VALUE}, until the stream ends).")
        int count;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "0",
                description = "Give up after this long (default: ${DEFAULT-VALUE}, no limit).")
        long timeoutSeconds;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (count < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--count must be 0 or more, got " + count);
            }
            if (timeoutSeconds < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be 0 or more");
            }
            return handled(spec, "ucloud-im jobs follow", () -> {
                java.util.concurrent.BlockingQueue<Object> events = new java.util.concurrent.LinkedBlockingQueue<>();
                FollowStream.Listener listener = new FollowStream.Listener() {
                    @Override
                    public void message(FollowMessage message) {
                        events.add(message);
                    }

                    @Override
                    public void ended(int status, String why) {
                        events.add(new Ended(status, why));
                    }
                };
                long deadline = timeoutSeconds == 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutSeconds * 1_000_000_000L;
                int printed = 0;
                try (FollowStream stream = server.client(spec).follow(id, listener)) {
                    while (count == 0 || printed < count) {
                        long left = deadline - System.nanoTime();
                        Object event = left <= 0 ? null : events.poll(Math.min(left, Long.MAX_VALUE / 2),
                                java.util.concurrent.TimeUnit.NANOSECONDS);
                        if (event == null) {
                            err.println("ucloud-im jobs follow: " + (count == 0 ? "the stream did not end"
                                    : "only " + printed + " of " + count + " messages came") + " within "
                                    + timeoutSeconds + " s");
                            return ImCommand.CANNOT_RUN;
                        }
                        if (event instanceof Ended ended) {
                            if (ended.status() == 404) {
                                throw new HarnessClientException(404, ended.why(), null);
                            }
                            if (ended.status() != 200) {
                                err.println("ucloud-im jobs follow: " + ended.why());
                                return ImCommand.CANNOT_RUN;
                            }
                            return 0;
                        }
                        if (print((FollowMessage) event, out, err)) {
                            printed++;
                        }
                    }
                    stream.cancel();
                    return 0;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return ImCommand.CANNOT_RUN;
                }
            });
        }

        /** Prints a message that passes the filter; false when it does not. */
        private boolean print(FollowMessage message, PrintWriter out, PrintWriter err) {
            if (channel != null && !channel.equals(message.channel())) {
                return false;
            }
            if (channel != null) {
                out.println(message.stdout() == null ? "" : message.stdout());
            } else if (message.channel() != null) {
                out.println("[" + message.channel() + "] " + (message.stdout() == null ? "" : message.stdout()));
            } else {
                if (message.stdout() != null) {
                    out.println(message.stdout());
                }
                if (message.stderr() != null) {
                    err.println(message.stderr());
                    err.flush();
                }
            }
            out.flush();
            return true;
        }

        private record Ended(int status, String why) {
        }
    }

    /** {@code ucloud-im jobs console ID}. */
    @Command(
            name = "console",
            mixinStandardHelpOptions = true,
            description = {
                    "Prints the URL of a job's web console (docs/web-console.md): a page served by the running IM with "
                            + "a terminal on the job's shell, its VNC screen and a live chart of its metrics.",
                    "The URL carries a single-use ticket, good for 2 minutes: opening it gives that browser the "
                            + "console of this job for an hour. Open it on a machine that reaches the IM's address.",
                    "Exit status: 0 success, 1 the IM cannot be reached, failed or the job has ended, 2 bad usage or "
                            + "configuration, " + NOT_FOUND + " no such job."
            })
    static final class ConsoleJob implements Callable<Integer> {
        @Mixin
        ServerOptions server;

        @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
        String id;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return ask(spec, server, client -> client.consoleUrl(id) + System.lineSeparator());
        }
    }

    private static int ask(CommandSpec spec, ServerOptions server, Function<HarnessClient, String> question) {
        return answer(spec, () -> question.apply(server.client(spec)));
    }

    /** Prints what {@code output} gives, or the reason it could not, with the exit status of that reason. */
    private static int answer(CommandSpec spec, Supplier<String> output) {
        PrintWriter out = spec.commandLine().getOut();
        return handled(spec, "ucloud-im jobs", () -> {
            out.print(output.get());
            out.flush();
            return 0;
        });
    }

    /** A command's work, able to fail as the CLI reports it. */
    @FunctionalInterface
    private interface Work {
        int run();
    }

    /**
     * Runs {@code work}; a configuration, a start-up or an IM's refusal is printed after {@code prefix}, with the
     * exit status of that reason.
     */
    private static int handled(CommandSpec spec, String prefix, Work work) {
        PrintWriter err = spec.commandLine().getErr();
        return CliLogging.warningsOnly(() -> {
            try {
                return work.run();
            } catch (ConfigException e) {
                CliErrors.printConfigProblems(err, e);
                return ImCommand.CONFIG_PROBLEMS;
            } catch (ServeException e) {
                err.println(prefix + ": " + e.getMessage());
                return e.exitStatus();
            } catch (HarnessClientException e) {
                err.println(prefix + ": " + e.getMessage());
                return e.status() == 404 ? NOT_FOUND : ImCommand.CANNOT_RUN;
            }
        });
    }

    private JobsCommand() {
    }
}
