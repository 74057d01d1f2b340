package dk.sdu.cloud.im.kubevirt.shell;

import dk.sdu.cloud.im.kubevirt.agent.GuestTty;
import dk.sdu.cloud.im.kubevirt.agent.GuestTtyListener;
import dk.sdu.cloud.im.kubevirt.agent.GuestTtys;
import dk.sdu.cloud.im.kubevirt.stream.VmiStream;
import dk.sdu.cloud.im.kubevirt.stream.VmiStreamListener;
import dk.sdu.cloud.im.spi.compute.TerminalOutput;
import dk.sdu.cloud.im.spi.compute.TerminalSession;
import dk.sdu.cloud.im.spi.compute.TerminalSize;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * One user's shell in a VM: first the agent's PTY; when the agent does not answer (or its connection breaks),
 * the serial console, with the agent asked again every {@link #AGENT_RETRY} until it answers; then the agent
 * again, and the serial console is closed.
 *
 * <p>All of a session's state is guarded by the session itself (never by a lock that other sessions share).
 * What the user sees is passed to {@link TerminalOutput} under that lock, so notices and output stay in order
 * whichever thread they come from; keys go to the current stream under it for the same reason (both are
 * enqueued, not waited for). Streams are closed outside it. Every stream that opens after the session moved on
 * (a late agent, a late console, a session the user closed) is closed at once.
 */
final class ShellSession implements TerminalSession {
    private static final Logger log = LoggerFactory.getLogger(ShellSession.class);

    /** How often the agent is asked again while the user is on the serial console. */
    static final Duration AGENT_RETRY = Duration.ofSeconds(2);
    /** The websocket status of a shell that exited. */
    static final int SHELL_EXITED = 1000;
    /** Keys typed before any stream is open, kept for the first one (beyond this they are dropped). */
    static final int MAX_PENDING_INPUT = 64 * 1024;

    static final String SERIAL_NOTICE =
            "Using the serial console: the VM's agent did not answer. You may need to press Enter.\r\n";
    static final String AGENT_LOST_NOTICE =
            "\r\nUsing the serial console: the connection to the VM's agent broke. You may need to press Enter.\r\n";
    static final String RESIZE_NOTICE =
            "\r\n(The serial console cannot change the terminal's size: resizing is ignored.)\r\n";
    static final String CLEAR_SCREEN = "\u001b[2J\u001b[H";
    static final String AGENT_NOTICE = "The VM's agent answered: this shell now runs through it.\r\n";
    static final String SHELL_ENDED = "the shell ended";

    private final String jobId;
    private final String vmiName;
    private final GuestTtys ttys;
    private final SerialConsoles consoles;
    private final ScheduledExecutorService scheduler;
    private final Duration agentTimeout;
    private final TerminalOutput output;
    private final Consumer<ShellSession> onEnd;

    // guarded by this
    private TerminalSize size;
    private boolean ended;
    private AgentAttempt agentRequest;     // an open request not yet answered
    private AgentAttempt agent;            // the attempt whose TTY is the current stream
    private SerialLink serialOpening;      // a console being opened
    private SerialLink serial;             // the console that is the current stream
    private ScheduledFuture<?> retry;      // asks the agent again while on the console
    private boolean resizeNoticeShown;
    private final StringBuilder pendingInput = new StringBuilder();

    ShellSession(String jobId, String vmiName, TerminalSize size, TerminalOutput output, GuestTtys ttys,
                 SerialConsoles consoles, ScheduledExecutorService scheduler, Duration agentTimeout,
                 Consumer<ShellSession> onEnd) {
        this.jobId = requireNonNull(jobId, "jobId is null");
        this.vmiName = requireNonNull(vmiName, "vmiName is null");
        this.size = requireNonNull(size, "size is null");
        this.output = requireNonNull(output, "output is null");
        this.ttys = requireNonNull(ttys, "ttys is null");
        this.consoles = requireNonNull(consoles, "consoles is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.agentTimeout = requireNonNull(agentTimeout, "agentTimeout is null");
        this.onEnd = requireNonNull(onEnd, "onEnd is null");
    }

    /** Asks the agent for a TTY; falls back to the serial console when it does not answer. */
    void start() {
        requestAgent(true);
    }

    // ---- the user's side

    @Override
    public void input(String data) {
        requireNonNull(data, "data is null");
        synchronized (this) {
            if (ended) {
                return;
            }
            if (agent != null) {
                agent.tty.input(data);
            } else if (serial != null) {
                serial.console.send(data.getBytes(StandardCharsets.UTF_8));
            } else if (pendingInput.length() + data.length() <= MAX_PENDING_INPUT) {
                pendingInput.append(data);
            }
        }
    }

    @Override
    public void resize(TerminalSize newSize) {
        requireNonNull(newSize, "size is null");
        synchronized (this) {
            if (ended) {
                return;
            }
            size = newSize;
            if (agent != null) {
                agent.tty.resize(newSize);
            } else if (serial != null && !resizeNoticeShown) {
                resizeNoticeShown = true;
                output.data(RESIZE_NOTICE);
            }
        }
    }

    @Override
    public void close() {
        Closing closing;
        synchronized (this) {
            if (ended) {
                return;
            }
            closing = endLocked();
        }
        closing.run();
        onEnd.accept(this);
    }

    /** Ends the session from this side: the user is told why. */
    void end(String reason) {
        Closing closing;
        synchronized (this) {
            if (ended) {
                return;
            }
            closing = endLocked();
            output.closed(reason);
        }
        closing.run();
        onEnd.accept(this);
    }

    private Closing endLocked() {
        ended = true;
        Closing closing = new Closing(agent == null ? null : agent.tty, serial == null ? null : serial.console, retry);
        agent = null;
        agentRequest = null;      // answered later: closed then
        serial = null;
        serialOpening = null;     // opened later: closed then
        retry = null;
        return closing;
    }

    /** What an ended or moved-on session closes, outside its lock. */
    private record Closing(GuestTty tty, VmiStream console, ScheduledFuture<?> retry) {
        void run() {
            if (retry != null) {
                retry.cancel(false);
            }
            if (tty != null) {
                tty.close();
            }
            if (console != null) {
                console.close();
            }
        }
    }

    // ---- the agent

    private void requestAgent(boolean first) {
        AgentAttempt attempt;
        TerminalSize startSize;
        synchronized (this) {
            if (ended || agentRequest != null || agent != null) {
                return;
            }
            startSize = size;
            attempt = new AgentAttempt(first, startSize);
            agentRequest = attempt;
        }
        CompletableFuture<GuestTty> answer;
        try {
            answer = ttys.open(jobId, startSize, agentTimeout, attempt);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete(attempt::answered);
    }

    /** The retry task: asks the agent again while the user is on the serial console and it is connected. */
    private void retryAgent() {
        synchronized (this) {
            if (ended || serial == null || agentRequest != null) {
                return;
            }
        }
        if (ttys.isConnected(jobId)) {
            requestAgent(false);
        }
    }

    private void agentAnswered(AgentAttempt attempt, GuestTty tty, Throwable error) {
        Closing closing = null;
        boolean fallBack = false;
        Close earlyClose;
        synchronized (this) {
            if (agentRequest != attempt) {
                closing = new Closing(tty, null, null);   // the session ended or moved on while the agent was asked
                earlyClose = null;
            } else {
                agentRequest = null;
                if (error != null || tty == null) {
                    log.debug("Job {}: the agent gave no TTY: {}", jobId, error == null ? "no terminal" : cause(error));
                    fallBack = attempt.first;   // later attempts: the retry task asks again
                } else {
                    attempt.tty = tty;
                    agent = attempt;
                    boolean fromSerial = serial != null || !attempt.first;
                    closing = new Closing(null, serial == null ? null : serial.console, retry);
                    serial = null;
                    serialOpening = null;
                    retry = null;
                    if (fromSerial) {
                        output.data(CLEAR_SCREEN + AGENT_NOTICE);
                    }
                    if (!attempt.early.isEmpty()) {
                        output.data(attempt.early.toString());
                        attempt.early.setLength(0);
                    }
                    if (!size.equals(attempt.startSize)) {
                        tty.resize(size);
                    }
                    if (!pendingInput.isEmpty()) {
                        tty.input(pendingInput.toString());
                        pendingInput.setLength(0);
                    }
                }
                earlyClose = attempt.earlyClose;
            }
        }
        if (closing != null) {
            closing.run();
        }
        if (fallBack) {
            fallBackToSerial(SERIAL_NOTICE);
        } else if (earlyClose != null && tty != null) {
            agentClosed(attempt, earlyClose.code, earlyClose.reason);
        }
    }

    private void agentOutput(AgentAttempt attempt, ByteBuffer bytes) {
        synchronized (this) {
            if (agent == attempt) {
                String text = attempt.decoder.decode(bytes);
                if (!text.isEmpty()) {
                    output.data(text);
                }
            } else if (agentRequest == attempt) {
                // Output before the answer was handled here: shown after the switch, in order.
                attempt.early.append(attempt.decoder.decode(bytes));
            }
        }
    }

    private void agentClosed(AgentAttempt attempt, int code, String reason) {
        boolean fallBack = false;
        Closing closing = null;
        synchronized (this) {
            if (agentRequest == attempt) {
                attempt.earlyClose = new Close(code, reason);   // handled once the answer is
                return;
            }
            if (agent != attempt) {
                return;
            }
            agent = null;
            String rest = attempt.decoder.finish();
            if (!rest.isEmpty()) {
                output.data(rest);
            }
            if (code == SHELL_EXITED) {
                closing = endLocked();
                output.closed(SHELL_ENDED);
            } else {
                log.info("Job {}: the agent's TTY connection broke ({} {}); using the serial console", jobId, code,
                        reason);
                fallBack = true;
            }
        }
        if (closing != null) {
            closing.run();
            onEnd.accept(this);
        } else if (fallBack) {
            fallBackToSerial(AGENT_LOST_NOTICE);
        }
    }

    // ---- the serial console

    private void fallBackToSerial(String notice) {
        SerialLink link;
        synchronized (this) {
            if (ended || agent != null || serial != null || serialOpening != null) {
                return;
            }
            link = new SerialLink();
            serialOpening = link;
            output.data(notice);
        }
        CompletableFuture<VmiStream> opened;
        try {
            opened = consoles.open(vmiName, link);
        } catch (RuntimeException e) {
            opened = CompletableFuture.failedFuture(e);
        }
        opened.whenComplete((console, error) -> serialOpened(link, console, error));
    }

    private void serialOpened(SerialLink link, VmiStream console, Throwable error) {
        Closing closing = null;
        synchronized (this) {
            if (serialOpening != link) {
                if (console != null) {
                    console.close();   // the session ended or moved on meanwhile
                }
                return;
            }
            serialOpening = null;
            if (error != null || console == null) {
                closing = endLocked();
                output.closed(error == null ? "the serial console could not be opened" : cause(error));
            } else {
                link.console = console;
                serial = link;
                if (!pendingInput.isEmpty()) {
                    console.send(pendingInput.toString().getBytes(StandardCharsets.UTF_8));
                    pendingInput.setLength(0);
                }
                long every = AGENT_RETRY.toMillis();
                retry = scheduler.scheduleWithFixedDelay(this::retryAgent, every, every, TimeUnit.MILLISECONDS);
            }
        }
        if (closing != null) {
            closing.run();
            onEnd.accept(this);
        }
    }

    private void serialOutput(SerialLink link, ByteBuffer bytes) {
        synchronized (this) {
            if (serial == link || serialOpening == link) {
                String text = link.decoder.decode(bytes);
                if (!text.isEmpty()) {
                    output.data(text);
                }
            }
        }
    }

    private void serialClosed(SerialLink link, int code, String reason) {
        Closing closing;
        synchronized (this) {
            if (serial != link && serialOpening != link) {
                return;
            }
            serial = null;            // ended already: not closed again
            serialOpening = null;
            String rest = link.decoder.finish();
            if (!rest.isEmpty()) {
                output.data(rest);
            }
            closing = endLocked();
            output.closed("the serial console closed" + (reason.isBlank() ? "" : ": " + reason));
        }
        log.debug("Job {}: the serial console closed ({} {})", jobId, code, reason);
        closing.run();
        onEnd.accept(this);
    }

    private static String cause(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** For tests: the streams and tasks this session holds (none once it ended). */
    synchronized List<String> held() {
        List<String> held = new ArrayList<>();
        if (agent != null) {
            held.add("agent TTY");
        }
        if (agentRequest != null) {
            held.add("agent request");
        }
        if (serial != null) {
            held.add("serial console");
        }
        if (serialOpening != null) {
            held.add("serial console opening");
        }
        if (retry != null) {
            held.add("agent retry");
        }
        return held;
    }

    private record Close(int code, String reason) {
    }

    /** One request for a TTY, and the TTY if the agent answered. */
    private final class AgentAttempt implements GuestTtyListener {
        final boolean first;
        final TerminalSize startSize;
        final Utf8StreamDecoder decoder = new Utf8StreamDecoder();
        final StringBuilder early = new StringBuilder();   // guarded by the session
        GuestTty tty;                                       // guarded by the session
        Close earlyClose;                                   // guarded by the session

        AgentAttempt(boolean first, TerminalSize startSize) {
            this.first = first;
            this.startSize = startSize;
        }

        void answered(GuestTty answer, Throwable error) {
            agentAnswered(this, answer, error);
        }

        @Override
        public void output(ByteBuffer bytes) {
            agentOutput(this, bytes);
        }

        @Override
        public void closed(int code, String reason) {
            agentClosed(this, code, reason == null ? "" : reason);
        }
    }

    /** One serial console connection. */
    private final class SerialLink implements VmiStreamListener {
        final Utf8StreamDecoder decoder = new Utf8StreamDecoder();
        VmiStream console;   // guarded by the session

        @Override
        public void output(ByteBuffer bytes) {
            serialOutput(this, bytes);
        }

        @Override
        public void closed(int code, String reason) {
            serialClosed(this, code, reason == null ? "" : reason);
        }
    }
}
