package io.aviary.admin.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens handed out by POST /login: random, held only in memory (a restart logs
 * everyone out), valid for one hour. Bounded: when full, expired tokens go first, then the
 * oldest.
 */
public final class TokenStore {

    public static final Duration LIFETIME = Duration.ofHours(1);
    private static final int MAX_TOKENS = 1000;

    /** What a presented token turned out to be. */
    public enum Check { VALID, EXPIRED, UNKNOWN }

    private record Session(String username, Instant expiresAt) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public TokenStore(Clock clock) {
        this.clock = clock;
    }

    public synchronized String issue(String username) {
        makeRoom();
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(token, new Session(username, clock.instant().plus(LIFETIME)));
        return token;
    }

    public Check check(String token) {
        Session session = sessions.get(token);
        if (session == null) {
            return Check.UNKNOWN;
        }
        if (!clock.instant().isBefore(session.expiresAt())) {
            sessions.remove(token);
            return Check.EXPIRED;
        }
        return Check.VALID;
    }

    public String username(String token) {
        Session session = sessions.get(token);
        return session == null ? null : session.username();
    }

    public boolean revoke(String token) {
        return sessions.remove(token) != null;
    }

    private void makeRoom() {
        if (sessions.size() < MAX_TOKENS) {
            return;
        }
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !now.isBefore(s.expiresAt()));
        while (sessions.size() >= MAX_TOKENS) {
            sessions.entrySet().stream().min(Comparator.comparing(e -> e.getValue().expiresAt()))
                    .ifPresent(oldest -> sessions.remove(oldest.getKey()));
        }
    }
}
