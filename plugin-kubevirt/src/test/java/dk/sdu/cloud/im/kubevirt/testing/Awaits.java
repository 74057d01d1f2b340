package dk.sdu.cloud.im.kubevirt.testing;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionEvaluationListener;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.EvaluatedCondition;
import org.awaitility.core.TimeoutEvent;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;

/** Awaitility set for an in-process API: look often, give up after a while. */
public final class Awaits {

    private Awaits() {
    }

    public static ConditionFactory await() {
        return Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .atMost(Duration.ofSeconds(15)).conditionEvaluationListener(THREADS_ON_TIMEOUT);
    }

    /**
     * Prints every thread's stack when a wait gives up: a wait that times out on a busy machine says where the
     * IM or the API server was stuck, so that a rare failure can be understood from its one report.
     */
    public static final ConditionEvaluationListener<Object> THREADS_ON_TIMEOUT = new ConditionEvaluationListener<>() {
        @Override
        public void conditionEvaluated(EvaluatedCondition<Object> condition) {
        }

        @Override
        public void onTimeout(TimeoutEvent timeout) {
            StringBuilder dump = new StringBuilder("A wait timed out (" + timeout.getDescription() + "); threads:\n");
            for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
                dump.append('"').append(thread.getThreadName()).append("\" ").append(thread.getThreadState());
                if (thread.getLockName() != null) {
                    dump.append(" on ").append(thread.getLockName());
                }
                if (thread.getLockOwnerName() != null) {
                    dump.append(" held by \"").append(thread.getLockOwnerName()).append('"');
                }
                dump.append('\n');
                for (StackTraceElement frame : thread.getStackTrace()) {
                    dump.append("    at ").append(frame).append('\n');
                }
            }
            System.err.print(dump);
        }
    };
}
