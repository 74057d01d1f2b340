package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.publicip.Allocation;
import dk.sdu.cloud.im.harness.publicip.FirewallRules;
import dk.sdu.cloud.im.harness.publicip.PoolEntry;
import dk.sdu.cloud.im.harness.publicip.PoolState;
import dk.sdu.cloud.im.harness.publicip.PublicIpPoolException;
import dk.sdu.cloud.im.harness.publicip.PublicIpStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code ucloud-im ips}: the operator's view of the public IP pool in an IM's data directory. Acts on the pool's
 * file directly, so it works whether or not the IM runs; a running IM sees the change at its next allocation.
 */
@Command(
        name = "ips",
        mixinStandardHelpOptions = true,
        description = "Manages the pool of public IP addresses that the IM gives to UCloud's public IP resources "
                + "(services.compute.publicIps), kept in the data directory (" + PublicIpStore.FILE + ").",
        subcommands = {IpsCommand.Add.class, IpsCommand.ListIps.class, IpsCommand.Remove.class})
final class IpsCommand {

    /** Exit status when the pool refuses the change (nothing changed). */
    static final int REFUSED = 3;

    /** {@code --data DIR}, shared by the subcommands. */
    static final class DataOption {
        @Option(names = "--data", required = true, paramLabel = "DIR",
                description = "The IM's data directory (harness.dataDirectory of its configuration).")
        Path data;
    }

    /** {@code ucloud-im ips add EXTERNAL[=INTERNAL] ...}. */
    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = {
                    "Adds addresses to the pool. Each is EXTERNAL (the public address users connect to) or "
                            + "EXTERNAL=INTERNAL when traffic to it arrives at another address inside the provider's "
                            + "network (what the job's Service lists as externalIPs). IPv4 or IPv6.",
                    "All or nothing: an address that is not an IP address or is in the pool already refuses the lot.",
                    "Exit status: 0 added, 2 bad usage or an address that is not one, " + REFUSED
                            + " an address is in the pool already."
            })
    static final class Add implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        DataOption data = new DataOption();

        @Parameters(arity = "1..*", paramLabel = "EXTERNAL[=INTERNAL]", description = "The addresses to add.")
        List<String> addresses;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            List<PoolEntry> entries = new ArrayList<>();
            for (String address : addresses) {
                try {
                    entries.add(PoolEntry.parse(address));
                } catch (IllegalArgumentException e) {
                    spec.commandLine().getErr().println("ucloud-im ips add: " + address + ": " + e.getMessage());
                    return 2;
                }
            }
            return change(spec, data.data, state -> state.add(entries), "added " + entries.stream()
                    .map(IpsCommand::describe).collect(Collectors.joining(", ")));
        }
    }

    /** {@code ucloud-im ips list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = {
                    "Lists the pool: each address, its internal address, and the public IP resource it is allocated "
                            + "to with the resource's owner and open ports ('-' when free).",
                    "Exit status: 0 success, 1 the pool cannot be read."
            })
    static final class ListIps implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        DataOption data = new DataOption();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PoolState state;
            try {
                state = PublicIpStore.in(data.data).read();
            } catch (UncheckedIOException | IllegalStateException e) {
                spec.commandLine().getErr().println("ucloud-im ips list: " + e.getMessage());
                return ImCommand.CANNOT_RUN;
            }
            PrintWriter out = spec.commandLine().getOut();
            if (state.pool().isEmpty()) {
                out.println("The pool is empty (add addresses with 'ucloud-im ips add').");
                out.flush();
                return 0;
            }
            TextTable table = new TextTable("ADDRESS", "INTERNAL", "ALLOCATED TO", "OWNER", "OPEN PORTS");
            for (PoolEntry entry : state.pool()) {
                Optional<Allocation> holder = state.holderOf(entry.externalAddress());
                table.row(entry.externalAddress(), entry.internalAddress(),
                        holder.map(Allocation::id).orElse("-"),
                        holder.map(a -> a.owner().project() == null ? a.owner().createdBy()
                                : a.owner().createdBy() + " (project " + a.owner().project() + ")").orElse("-"),
                        holder.map(a -> a.openPorts().isEmpty() ? "none" : a.openPorts().stream()
                                .map(FirewallRules::describe).collect(Collectors.joining(", "))).orElse("-"));
            }
            out.print(table.render(""));
            out.println(state.pool().size() + " address(es), " + state.free().size() + " free");
            out.flush();
            return 0;
        }
    }

    /** {@code ucloud-im ips remove ADDRESS [--force]}. */
    @Command(
            name = "remove",
            mixinStandardHelpOptions = true,
            description = {
                    "Removes an address from the pool. An address allocated to a public IP resource is removed only "
                            + "with --force: the resource then has no address here; a job that uses it keeps its "
                            + "Service while it runs, and its next start is refused until the IP is detached.",
                    "Exit status: 0 removed, 2 bad usage, " + REFUSED + " not in the pool, or allocated without --force."
            })
    static final class Remove implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        DataOption data = new DataOption();

        @Parameters(index = "0", paramLabel = "ADDRESS", description = "The public address to remove.")
        String address;

        @Option(names = "--force", description = "Remove it even when a public IP resource has it.")
        boolean force;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return change(spec, data.data, state -> state.remove(address, force), "removed " + address);
        }
    }

    private static int change(CommandSpec spec, Path data, java.util.function.UnaryOperator<PoolState> change,
                              String done) {
        String command = "ucloud-im ips " + spec.name();
        try {
            PublicIpStore store = PublicIpStore.in(data);
            store.change(change);
            spec.commandLine().getOut().println(command + ": " + done + " (" + store.file() + ")");
            spec.commandLine().getOut().flush();
            return 0;
        } catch (PublicIpPoolException e) {
            spec.commandLine().getErr().println(command + ": " + e.getMessage() + "; nothing was changed");
            return REFUSED;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(command + ": " + e.getMessage());
            return 2;
        } catch (UncheckedIOException | IllegalStateException e) {
            spec.commandLine().getErr().println(command + ": " + e.getMessage());
            return ImCommand.CANNOT_RUN;
        }
    }

    private static String describe(PoolEntry entry) {
        return entry.externalAddress().equals(entry.internalAddress()) ? entry.externalAddress()
                : entry.externalAddress() + " (internal " + entry.internalAddress() + ")";
    }

    private IpsCommand() {
    }
}
