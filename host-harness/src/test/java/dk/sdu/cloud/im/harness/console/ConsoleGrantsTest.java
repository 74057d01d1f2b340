package dk.sdu.cloud.im.harness.console;

import dk.sdu.cloud.im.harness.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Who may use a job's console: each rule of {@link ConsoleGrants}, on a clock the test moves. */
class ConsoleGrantsTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-07T04:00:00Z"));
    private final ConsoleGrants grants = new ConsoleGrants(clock);

    private static void refused(Runnable action, int status, String why) {
        assertThatThrownBy(action::run).isInstanceOf(ConsoleRefusal.class)
                .hasMessageContaining(why)
                .satisfies(e -> assertThat(((ConsoleRefusal) e).status()).isEqualTo(status));
    }

    @Test
    void aTicketBecomesACookieForItsJobOnce() {
        ConsoleGrants.Issued ticket = grants.issueTicket("42");
        assertThat(ticket.secret()).matches("[A-Za-z0-9_-]{43}");
        assertThat(ticket.expiresAt()).isEqualTo(clock.instant().plus(ConsoleGrants.TICKET_LIFETIME));

        ConsoleGrants.Issued cookie = grants.exchange(ticket.secret(), "42");
        assertThat(cookie.secret()).isNotEqualTo(ticket.secret()).matches("[A-Za-z0-9_-]{43}");
        assertThat(cookie.expiresAt()).isEqualTo(clock.instant().plus(ConsoleGrants.COOKIE_LIFETIME));
        grants.check(cookie.secret(), "42");

        refused(() -> grants.exchange(ticket.secret(), "42"), 401, "unknown, used or expired console ticket");
    }

    @Test
    void aMissingOrUnknownTicketIsRefused() {
        refused(() -> grants.exchange(null, "42"), 401, "no console ticket");
        refused(() -> grants.exchange("", "42"), 401, "no console ticket");
        refused(() -> grants.exchange("not-a-ticket", "42"), 401, "unknown, used or expired console ticket");
        refused(() -> grants.exchange("x".repeat(10_000), "42"), 401, "unknown, used or expired console ticket");
    }

    @Test
    void anExpiredTicketIsRefused() {
        ConsoleGrants.Issued ticket = grants.issueTicket("42");
        clock.advance(ConsoleGrants.TICKET_LIFETIME);
        refused(() -> grants.exchange(ticket.secret(), "42"), 401, "unknown, used or expired console ticket");
    }

    @Test
    void aTicketJustBeforeItExpiresIsGood() {
        ConsoleGrants.Issued ticket = grants.issueTicket("42");
        clock.advance(ConsoleGrants.TICKET_LIFETIME.minusMillis(1));
        grants.check(grants.exchange(ticket.secret(), "42").secret(), "42");
    }

    @Test
    void aTicketOfAnotherJobIsForbiddenAndUsedUp() {
        ConsoleGrants.Issued ticket = grants.issueTicket("42");
        refused(() -> grants.exchange(ticket.secret(), "43"), 403, "this console ticket is for job 42, not job 43");
        refused(() -> grants.exchange(ticket.secret(), "42"), 401, "unknown, used or expired");
    }

    @Test
    void aMissingUnknownOrExpiredCookieIsRefused() {
        ConsoleGrants.Issued cookie = grants.exchange(grants.issueTicket("42").secret(), "42");
        refused(() -> grants.check(null, "42"), 401, "no console cookie");
        refused(() -> grants.check("", "42"), 401, "no console cookie");
        refused(() -> grants.check("forged", "42"), 401, "unknown or expired console cookie");
        refused(() -> grants.check("y".repeat(10_000), "42"), 401, "unknown or expired console cookie");
        clock.advance(ConsoleGrants.COOKIE_LIFETIME.minus(Duration.ofSeconds(1)));
        grants.check(cookie.secret(), "42");
        clock.advance(Duration.ofSeconds(1));
        refused(() -> grants.check(cookie.secret(), "42"), 401, "unknown or expired console cookie");
    }

    @Test
    void aCookieOfAnotherJobIsForbidden() {
        ConsoleGrants.Issued cookie = grants.exchange(grants.issueTicket("42").secret(), "42");
        refused(() -> grants.check(cookie.secret(), "43"), 403, "this console cookie is for job 42, not job 43");
    }

    @Test
    void expiredGrantsAreDroppedAtTheNextIssue() {
        grants.exchange(grants.issueTicket("42").secret(), "42");
        grants.issueTicket("42");
        assertThat(grants.held()).isEqualTo(2);
        clock.advance(ConsoleGrants.COOKIE_LIFETIME);
        grants.issueTicket("43");
        assertThat(grants.held()).isEqualTo(1);
    }
}
