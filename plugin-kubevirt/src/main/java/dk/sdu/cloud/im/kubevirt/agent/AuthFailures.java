package dk.sdu.cloud.im.kubevirt.agent;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Failed authentications per remote host, so that guessing is slow: after {@value #FREE_FAILURES} failures
 * from one host within a minute, each further attempt from it is answered only after a wait that doubles
 * with each failure, from {@link #FIRST_WAIT} up to {@link #MAX_WAIT}. Kept in memory, for at most
 * {@value #MAX_HOSTS} hosts (the oldest are forgotten first).
 */
final class AuthFailures {
    static final int FREE_FAILURES = 3;
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final Duration FIRST_WAIT = Duration.ofMillis(500);
    static final Duration MAX_WAIT = Duration.ofSeconds(5);
    private static final int MAX_HOSTS = 10_000;

    private final Clock clock;
    private final Map<String, Deque<Long>> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Long>> eldest) {
            return size() > MAX_HOSTS;
        }
    };

    AuthFailures(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** How long to wait before answering an attempt from this address. */
    synchronized Duration waitFor(String remoteAddress) {
        Deque<Long> recent = recent(hostOf(remoteAddress));
        int count = recent == null ? 0 : recent.size();
        if (count < FREE_FAILURES) {
            return Duration.ZERO;
        }
        int doublings = Math.min(count - FREE_FAILURES, 16);
        Duration wait = FIRST_WAIT.multipliedBy(1L << doublings);
        return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
    }

    /** Records a failed attempt from this address. */
    synchronized void failed(String remoteAddress) {
        String host = hostOf(remoteAddress);
        Deque<Long> recent = recent(host);
        if (recent == null) {
            recent = new ArrayDeque<>();
            failures.put(host, recent);
        }
        recent.addLast(clock.millis());
        while (recent.size() > 64) {
            recent.removeFirst();   // the wait is at its cap long before this
        }
    }

    private Deque<Long> recent(String host) {
        Deque<Long> recent = failures.get(host);
        if (recent == null) {
            return null;
        }
        long oldest = clock.millis() - WINDOW.toMillis();
        for (Iterator<Long> it = recent.iterator(); it.hasNext(); ) {
            if (it.next() <= oldest) {
                it.remove();
            } else {
                break;
            }
        }
        if (recent.isEmpty()) {
            failures.remove(host);
            return null;
        }
        return recent;
    }

    /** {@code host:port}, {@code [v6]:port} or a bare host: the host, so that a new port is no new start. */
    static String hostOf(String remoteAddress) {
        String address = remoteAddress == null ? "" : remoteAddress;
        int colon = address.lastIndexOf(':');
        if (address.startsWith("[")) {
            int end = address.indexOf(']');
            return end > 0 ? address.substring(1, end) : address;
        }
        if (colon > 0 && address.indexOf(':') == colon) {
            return address.substring(0, colon);
        }
        return address;
    }
}
