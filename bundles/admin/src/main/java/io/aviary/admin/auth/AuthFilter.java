package io.aviary.admin.auth;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import io.aviary.admin.error.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secure by default: every request under /api/v5 needs credentials before Jersey even matches
 * a resource (so unknown paths do not reveal themselves to anonymous callers), except
 * GET /status and POST /login. Then the caller's role must allow the request (403 otherwise), and
 * failed attempts count against the source address ({@link LoginLimiter}, 429 when exceeded).
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class AuthFilter implements ContainerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(AuthFilter.class);

    private final Credentials credentials;
    private final LoginLimiter limiter;

    @Context
    private HttpServletRequest servletRequest;

    public AuthFilter(Credentials credentials, LoginLimiter limiter) {
        this.credentials = credentials;
        this.limiter = limiter;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = stripSlashes(request.getUriInfo().getPath());
        String method = request.getMethod();
        if (isPublic(method, path)) {
            return;
        }
        String address = servletRequest == null ? "unknown" : servletRequest.getRemoteAddr();
        limiter.check(address);
        Caller caller;
        try {
            caller = credentials.authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION), apiKeyAllowed(path));
        } catch (ApiException e) {
            if (isGuess(e)) {
                limiter.failed(address);
                LOG.warn("admin api: authentication failed from {}: {}", address, e.code());
            }
            throw e;
        }
        if (!caller.role().allows(method, path)) {
            throw new ApiException(403, "FORBIDDEN", "the " + caller.role().id() + " role of api key '"
                    + caller.name() + "' does not allow " + method + " /" + path);
        }
        request.setProperty(Caller.PROPERTY, caller);
    }

    /**
     * Wrong secrets count against the address; a missing header, an expired token or a good
     * key on an endpoint keys may not use (API_KEY_NOT_ALLOW) are not guesses.
     */
    static boolean isGuess(ApiException e) {
        return e.status() == 401 && ("BAD_USERNAME_OR_PWD".equals(e.code()) || "BAD_API_KEY_OR_SECRET".equals(e.code())
                || "BAD_TOKEN".equals(e.code()));
    }

    static boolean isPublic(String method, String path) {
        return ("GET".equals(method) || "HEAD".equals(method)) && "status".equals(path)
                || "POST".equals(method) && "login".equals(path);
    }

    /** API keys cannot create, list or delete API keys, nor log sessions out (EMQX does the same). */
    static boolean apiKeyAllowed(String path) {
        return !(path.equals("api_key") || path.startsWith("api_key/") || path.equals("logout"));
    }

    private static String stripSlashes(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }
}
