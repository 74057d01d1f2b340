package dk.sdu.cloud.im.harness.console;

import dk.sdu.cloud.im.spi.compute.ComputeBackend;
import dk.sdu.cloud.im.spi.compute.DynamicParameter;
import dk.sdu.cloud.im.spi.compute.FollowOutput;
import dk.sdu.cloud.im.spi.compute.FollowSession;
import dk.sdu.cloud.im.spi.compute.TerminalOutput;
import dk.sdu.cloud.im.spi.compute.TerminalSession;
import dk.sdu.cloud.im.spi.compute.TerminalSize;
import dk.sdu.cloud.im.spi.host.Product;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.NameAndVersion;
import dk.sdu.cloud.im.spi.job.ToolDescription;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A backend for the console's tests: a shell that says hello, and a follow stream the test feeds. */
final class ConsoleBackend implements ComputeBackend {
    static final String GREETING = "hello from the console backend\r\n";

    /** The follow streams opened and not closed. */
    final List<FollowOutput> followers = new CopyOnWriteArrayList<>();
    final AtomicInteger followsClosed = new AtomicInteger();

    @Override
    public String name() {
        return "Console test backend";
    }

    @Override
    public Set<String> toolBackends() {
        return Set.of(ToolDescription.VIRTUAL_MACHINE);
    }

    @Override
    public void verify(Job job) {
    }

    @Override
    public void start(Job job) {
    }

    @Override
    public void suspend(Job job) {
    }

    @Override
    public void unsuspend(Job job) {
    }

    @Override
    public void terminate(Job job) {
    }

    @Override
    public boolean supportsProduct(Product product) {
        return true;
    }

    @Override
    public List<DynamicParameter> dynamicParameters(NameAndVersion application) {
        return List.of();
    }

    @Override
    public String renderManifests(Job job) {
        return "";
    }

    @Override
    public TerminalSession openShell(Job job, int rank, TerminalSize size, TerminalOutput output) {
        output.data(GREETING);
        return new TerminalSession() {
            @Override
            public void input(String data) {
                output.data(data);
            }

            @Override
            public void resize(TerminalSize newSize) {
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public FollowSession follow(Job job, int rank, FollowOutput output) {
        followers.add(output);
        return () -> {
            if (followers.remove(output)) {
                followsClosed.incrementAndGet();
            }
        };
    }
}
