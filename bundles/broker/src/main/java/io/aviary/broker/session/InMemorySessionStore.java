package io.aviary.broker.session;

/** {@link SessionStore} that keeps state on the heap only; the live Session object holds it. */
public final class InMemorySessionStore implements SessionStore {

    @Override
    public SessionState create(SessionKey key, long now) {
        return new InMemorySessionState(key, now);
    }

    @Override
    public void delete(SessionState state) {
        state.clear();
    }
}
