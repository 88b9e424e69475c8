package io.aviary.admin.auth;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Secure by default: every request under /api/v5 needs credentials before Jersey even matches
 * a resource (so unknown paths do not reveal themselves to anonymous callers), except
 * GET /status and POST /login.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class AuthFilter implements ContainerRequestFilter {

    private final Credentials credentials;

    public AuthFilter(Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = stripSlashes(request.getUriInfo().getPath());
        String method = request.getMethod();
        if (isPublic(method, path)) {
            return;
        }
        Caller caller = credentials.authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION),
                apiKeyAllowed(path));
        request.setProperty(Caller.PROPERTY, caller);
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
