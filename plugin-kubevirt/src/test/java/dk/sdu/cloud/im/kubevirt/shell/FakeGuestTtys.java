package dk.sdu.cloud.im.kubevirt.shell;

import dk.sdu.cloud.im.kubevirt.agent.GuestTty;
import dk.sdu.cloud.im.kubevirt.agent.GuestTtyListener;
import dk.sdu.cloud.im.kubevirt.agent.GuestTtys;
import dk.sdu.cloud.im.kubevirt.agent.NoGuestAgentException;
import dk.sdu.cloud.im.spi.compute.TerminalSize;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Agents whose answers the test gives: each {@link #open} is a {@link Request} the test answers or refuses. */
final class FakeGuestTtys implements GuestTtys {
    final List<Request> requests = new CopyOnWriteArrayList<>();
    volatile boolean connected;

    @Override
    public CompletableFuture<GuestTty> open(String jobId, TerminalSize size, Duration timeout,
                                            GuestTtyListener listener) {
        Request request = new Request(jobId, size, timeout, listener);
        requests.add(request);
        return request.answer;
    }

    @Override
    public boolean isConnected(String jobId) {
        return connected;
    }

    Request last() {
        return requests.get(requests.size() - 1);
    }

    /** One request for a TTY. */
    static final class Request {
        final String jobId;
        final TerminalSize size;
        final Duration timeout;
        final GuestTtyListener listener;
        final CompletableFuture<GuestTty> answer = new CompletableFuture<>();

        Request(String jobId, TerminalSize size, Duration timeout, GuestTtyListener listener) {
            this.jobId = jobId;
            this.size = size;
            this.timeout = timeout;
            this.listener = listener;
        }

        /** The agent dialled back: the TTY is open. */
        Tty accept() {
            Tty tty = new Tty(listener);
            answer.complete(tty);
            return tty;
        }

        /** The agent did not answer in time (or is not connected). */
        void refuse() {
            answer.completeExceptionally(new NoGuestAgentException("the agent of job " + jobId + " did not answer"));
        }
    }

    /** A TTY: records what the relay sends; the test plays the guest's side. */
    static final class Tty implements GuestTty {
        final GuestTtyListener listener;
        final List<String> inputs = new CopyOnWriteArrayList<>();
        final List<TerminalSize> resizes = new CopyOnWriteArrayList<>();
        volatile int closeCalls;
        volatile boolean closedByGuest;

        Tty(GuestTtyListener listener) {
            this.listener = listener;
        }

        @Override
        public void input(String data) {
            inputs.add(data);
        }

        @Override
        public void resize(TerminalSize size) {
            resizes.add(size);
        }

        @Override
        public void close() {
            closeCalls++;
        }

        void print(byte[] bytes) {
            listener.output(ByteBuffer.wrap(bytes));
        }

        void print(String text) {
            print(text.getBytes(StandardCharsets.UTF_8));
        }

        /** The connection ends from the guest's side (1000: the shell exited). */
        void endFromGuest(int code) {
            closedByGuest = true;
            listener.closed(code, code == 1000 ? "" : "connection lost");
        }
    }
}
