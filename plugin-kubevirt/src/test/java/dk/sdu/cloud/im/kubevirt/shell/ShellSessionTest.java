package dk.sdu.cloud.im.kubevirt.shell;

import dk.sdu.cloud.im.kubevirt.testing.ManualScheduler;
import dk.sdu.cloud.im.spi.compute.TerminalSession;
import dk.sdu.cloud.im.spi.compute.TerminalSize;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A shell's relay with fake agents and consoles and a scheduler the test ticks: the agent's path, the fallback
 * to the serial console, the way back, and that every end leaves no stream and no retry behind.
 */
class ShellSessionTest {
    static final TerminalSize SIZE = new TerminalSize(80, 24);
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    final FakeGuestTtys agents = new FakeGuestTtys();
    final FakeSerialConsoles consoles = new FakeSerialConsoles();
    final ManualScheduler scheduler = new ManualScheduler();
    final RecordingTerminalOutput output = new RecordingTerminalOutput();
    final Shells shells = new Shells(agents, consoles, scheduler, TIMEOUT);

    @AfterEach
    void nothingIsLeftBehind() {
        assertThat(shells.openCount()).isZero();
        assertThat(scheduler.periods()).isEmpty();
        agents.requests.forEach(request -> {
            if (request.answer.isDone() && !request.answer.isCompletedExceptionally()) {
                FakeGuestTtys.Tty tty = (FakeGuestTtys.Tty) request.answer.join();
                assertThat(tty.closeCalls + (tty.closedByGuest ? 1 : 0)).as("TTY ended once").isEqualTo(1);
            }
        });
        consoles.opened.forEach(console -> {
            if (console.connected.isDone() && !console.connected.isCompletedExceptionally()) {
                assertThat(console.closeCalls + (console.endedByCluster ? 1 : 0)).as("console ended once")
                        .isEqualTo(1);
            }
        });
    }

    TerminalSession open() {
        return shells.open("4242", "vm-4242-0", SIZE, output);
    }

    ShellSession session(TerminalSession session) {
        return (ShellSession) session;
    }

    /** A shell on the serial console: the agent did not answer. */
    FakeSerialConsoles.Console onSerial(TerminalSession session) {
        agents.last().refuse();
        return consoles.last().connect();
    }

    // ---- through the agent

    @Test
    void theAgentIsAskedForATtyOfTheUsersSizeWithTheConfiguredTimeout() {
        TerminalSession session = open();

        assertThat(agents.requests).hasSize(1);
        assertThat(agents.last().jobId).isEqualTo("4242");
        assertThat(agents.last().size).isEqualTo(SIZE);
        assertThat(agents.last().timeout).isEqualTo(TIMEOUT);
        assertThat(consoles.opened).isEmpty();
        session.close();
    }

    @Test
    void theShellsOutputReachesTheUserAsTextWithUtf8SequencesSplitBetweenFrames() {
        TerminalSession session = open();
        FakeGuestTtys.Tty tty = agents.last().accept();

        byte[] bytes = Utf8StreamDecoderTest.TEXT.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 3) {
            tty.print(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 3)));
        }

        assertThat(output.screen()).isEqualTo(Utf8StreamDecoderTest.TEXT);
        assertThat(output.data).noneMatch(piece -> piece.contains("\uFFFD"));
        assertThat(consoles.opened).isEmpty();
        session.close();
    }

    @Test
    void keysAndResizesGoToTheTty() {
        TerminalSession session = open();
        FakeGuestTtys.Tty tty = agents.last().accept();

        session.input("ls\r");
        session.input("é");
        session.resize(new TerminalSize(120, 40));

        assertThat(tty.inputs).containsExactly("ls\r", "é");
        assertThat(tty.resizes).containsExactly(new TerminalSize(120, 40));
        assertThat(output.data).isEmpty();
        session.close();
    }

    @Test
    void keysAndAResizeBeforeTheAgentAnsweredReachTheTtyOnceItDoes() {
        TerminalSession session = open();
        session.input("echo hi\r");
        session.resize(new TerminalSize(100, 30));

        FakeGuestTtys.Tty tty = agents.last().accept();

        assertThat(tty.inputs).containsExactly("echo hi\r");
        assertThat(tty.resizes).containsExactly(new TerminalSize(100, 30));
        session.close();
    }

    @Test
    void outputTheTtyDeliversBeforeTheAnswerIsHandledIsShownNotLost() {
        TerminalSession session = open();
        FakeGuestTtys.Request request = agents.last();
        FakeGuestTtys.Tty tty = new FakeGuestTtys.Tty(request.listener);

        tty.print("$ ");
        request.answer.complete(tty);
        tty.print("ls\r\n");

        assertThat(output.screen()).isEqualTo("$ ls\r\n");
        session.close();
    }

    @Test
    void whenTheShellExitsTheUserIsToldAndNothingIsLeft() {
        TerminalSession session = open();
        FakeGuestTtys.Tty tty = agents.last().accept();
        tty.print("logout\r\n");

        tty.endFromGuest(1000);

        assertThat(output.closed).containsExactly(ShellSession.SHELL_ENDED);
        assertThat(session(session).held()).isEmpty();
        assertThat(consoles.opened).isEmpty();
        session.input("ignored");
        session.close();
        assertThat(tty.inputs).isEmpty();
        assertThat(tty.closeCalls).isZero();
    }

    @Test
    void whenTheUserLeavesTheTtyIsClosedAndTheUserIsNotToldAgain() {
        TerminalSession session = open();
        FakeGuestTtys.Tty tty = agents.last().accept();

        session.close();
        tty.print("late output");

        assertThat(tty.closeCalls).isEqualTo(1);
        assertThat(output.closed).isEmpty();
        assertThat(output.data).isEmpty();
        assertThat(session(session).held()).isEmpty();
    }

    @Test
    void aTtyThatArrivesAfterTheUserLeftIsClosed() {
        TerminalSession session = open();
        session.close();

        FakeGuestTtys.Tty tty = agents.last().accept();

        assertThat(tty.closeCalls).isEqualTo(1);
        assertThat(consoles.opened).isEmpty();
    }

    // ---- the serial console

    @Test
    void whenTheAgentDoesNotAnswerTheSerialConsoleIsUsedWithANotice() {
        TerminalSession session = open();
        agents.last().refuse();

        assertThat(output.screen()).isEqualTo(ShellSession.SERIAL_NOTICE);
        assertThat(ShellSession.SERIAL_NOTICE).endsWith("\r\n").containsOnlyOnce("\n");
        FakeSerialConsoles.Console console = consoles.last().connect();
        assertThat(console.vmiName).isEqualTo("vm-4242-0");

        console.print("login: ");
        session.input("ucloud\r");

        assertThat(output.screen()).isEqualTo(ShellSession.SERIAL_NOTICE + "login: ");
        assertThat(console.sent).containsExactly("ucloud\r");
        assertThat(scheduler.periods()).containsExactly(ShellSession.AGENT_RETRY);
        session.close();
    }

    @Test
    void aNotConnectedAgentIsAlsoTheSerialConsole() {
        shells.close();
        Shells withoutAgents = new Shells(new NoGuestAgents(), consoles, scheduler, TIMEOUT);
        TerminalSession session = withoutAgents.open("4242", "vm-4242-0", SIZE, output);

        assertThat(output.screen()).isEqualTo(ShellSession.SERIAL_NOTICE);
        consoles.last().connect();
        session.close();
        assertThat(withoutAgents.openCount()).isZero();
    }

    @Test
    void keysTypedWhileTheConsoleOpensReachIt() {
        TerminalSession session = open();
        agents.last().refuse();
        session.input("root\r");

        FakeSerialConsoles.Console console = consoles.last().connect();

        assertThat(console.sent).containsExactly("root\r");
        session.close();
    }

    @Test
    void aResizeOnTheSerialConsoleIsIgnoredAndSaidSoOnce() {
        TerminalSession session = open();
        onSerial(session);

        session.resize(new TerminalSize(100, 30));
        session.resize(new TerminalSize(120, 40));

        assertThat(output.screen()).isEqualTo(ShellSession.SERIAL_NOTICE + ShellSession.RESIZE_NOTICE);
        assertThat(consoles.last().sent).isEmpty();
        session.close();
    }

    @Test
    void theAgentIsAskedAgainEveryPeriodOnlyWhileConnectedAndOneRequestAtATime() {
        TerminalSession session = open();
        onSerial(session);

        scheduler.tick();
        assertThat(agents.requests).hasSize(1);   // not connected: not asked

        agents.connected = true;
        scheduler.tick();
        scheduler.tick();
        assertThat(agents.requests).hasSize(2);   // one request in flight

        agents.last().refuse();
        scheduler.tick();
        assertThat(agents.requests).hasSize(3);
        assertThat(output.screen()).isEqualTo(ShellSession.SERIAL_NOTICE);   // a failed retry says nothing
        session.close();
    }

    @Test
    void whenTheAgentAnswersLaterTheShellMovesToItAndTheConsoleIsClosed() {
        TerminalSession session = open();
        FakeSerialConsoles.Console console = onSerial(session);
        console.print("login: ");
        session.resize(new TerminalSize(120, 40));

        agents.connected = true;
        scheduler.tick();
        assertThat(agents.last().size).isEqualTo(new TerminalSize(120, 40));
        FakeGuestTtys.Tty tty = agents.last().accept();
        console.print("late serial output");
        tty.print("$ ");
        session.input("ls\r");

        assertThat(output.screen()).isEqualTo(ShellSession.SERIAL_NOTICE + "login: " + ShellSession.RESIZE_NOTICE
                + ShellSession.CLEAR_SCREEN + ShellSession.AGENT_NOTICE + "$ ");
        assertThat(ShellSession.CLEAR_SCREEN).isEqualTo("\u001b[2J\u001b[H");
        assertThat(console.closeCalls).isEqualTo(1);
        assertThat(scheduler.periods()).isEmpty();
        assertThat(tty.inputs).containsExactly("ls\r");
        assertThat(console.sent).isEmpty();
        assertThat(session(session).held()).containsExactly("agent TTY");
        session.close();
        assertThat(tty.closeCalls).isEqualTo(1);
    }

    @Test
    void whenTheAgentsConnectionBreaksTheShellFallsBackToTheConsoleAndLaterReturns() {
        TerminalSession session = open();
        FakeGuestTtys.Tty first = agents.last().accept();

        first.endFromGuest(1006);

        assertThat(output.closed).isEmpty();
        assertThat(output.screen()).isEqualTo(ShellSession.AGENT_LOST_NOTICE);
        FakeSerialConsoles.Console console = consoles.last().connect();
        session.input("\r");
        assertThat(console.sent).containsExactly("\r");

        agents.connected = true;
        scheduler.tick();
        FakeGuestTtys.Tty second = agents.last().accept();

        assertThat(output.screen()).endsWith(ShellSession.CLEAR_SCREEN + ShellSession.AGENT_NOTICE);
        assertThat(console.closeCalls).isEqualTo(1);
        second.endFromGuest(1000);
        assertThat(output.closed).containsExactly(ShellSession.SHELL_ENDED);
    }

    @Test
    void whenTheConsoleEndsTheUserIsToldAndTheRetryStops() {
        TerminalSession session = open();
        FakeSerialConsoles.Console console = onSerial(session);

        console.endFromCluster("another user connected to the console");

        assertThat(output.closed).containsExactly("the serial console closed: another user connected to the console");
        assertThat(scheduler.periods()).isEmpty();
        assertThat(session(session).held()).isEmpty();
    }

    @Test
    void whenTheUserLeavesTheConsoleAndTheRetryEndAndALateTtyIsClosed() {
        TerminalSession session = open();
        FakeSerialConsoles.Console console = onSerial(session);
        agents.connected = true;
        scheduler.tick();

        session.close();
        FakeGuestTtys.Tty late = agents.last().accept();

        assertThat(console.closeCalls).isEqualTo(1);
        assertThat(late.closeCalls).isEqualTo(1);
        assertThat(scheduler.periods()).isEmpty();
        assertThat(output.closed).isEmpty();
        assertThat(session(session).held()).isEmpty();
    }

    @Test
    void aConsoleThatOpensAfterTheUserLeftIsClosed() {
        TerminalSession session = open();
        agents.last().refuse();
        session.close();

        FakeSerialConsoles.Console console = consoles.last().connect();

        assertThat(console.closeCalls).isEqualTo(1);
        assertThat(scheduler.periods()).isEmpty();
    }

    @Test
    void whenNeitherAgentNorConsoleAnswersTheUserIsToldWhy() {
        TerminalSession session = open();
        agents.last().refuse();

        consoles.last().fail("the serial console of vm-4242-0 could not be opened (HTTP 400)");

        assertThat(output.closed).containsExactly("the serial console of vm-4242-0 could not be opened (HTTP 400)");
        assertThat(session(session).held()).isEmpty();
    }

    @Test
    void closingTheShellsEndsEveryOpenShellAndTellsItsUser() {
        open();
        RecordingTerminalOutput other = new RecordingTerminalOutput();
        shells.open("4243", "vm-4243-0", SIZE, other);
        FakeGuestTtys.Tty tty = agents.requests.get(0).accept();
        FakeSerialConsoles.Console console = onSerial(null);

        shells.close();

        assertThat(output.closed).containsExactly(Shells.STOPPING);
        assertThat(other.closed).containsExactly(Shells.STOPPING);
        assertThat(tty.closeCalls).isEqualTo(1);
        assertThat(console.closeCalls).isEqualTo(1);
        assertThat(List.of(shells.openCount())).containsExactly(0);
    }
}
