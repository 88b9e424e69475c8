package io.aviary.admin.auth;

import io.aviary.admin.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides who an Authorization header belongs to, with EMQX's 401 codes: Basic with the admin
 * user or an API key (api_key:api_secret), or Bearer with a token from POST /login. API keys
 * may not manage API keys or sessions (API_KEY_NOT_ALLOW), as in EMQX.
 */
public final class Credentials {

    private static final int MAX_HEADER = 4096;

    private final AdminUser admin;
    private final ApiKeyStore apiKeys;
    private final TokenStore tokens;
    private final VerifiedCredentials verified;
    private final Clock clock;

    public Credentials(AdminUser admin, ApiKeyStore apiKeys, TokenStore tokens, VerifiedCredentials verified,
                       Clock clock) {
        this.admin = admin;
        this.apiKeys = apiKeys;
        this.tokens = tokens;
        this.verified = verified;
        this.clock = clock;
    }

    /**
     * @param apiKeyAllowed false for endpoints an API key may not use
     * @throws ApiException 401 with the reason
     */
    public Caller authenticate(String header, boolean apiKeyAllowed) {
        if (header == null || header.isBlank() || header.length() > MAX_HEADER) {
            throw headerError();
        }
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        String value = space < 0 ? "" : header.substring(space + 1).trim();
        switch (scheme.toLowerCase(Locale.ROOT)) {
            case "basic":
                return basic(value, apiKeyAllowed);
            case "bearer":
                return bearer(value);
            default:
                throw headerError();
        }
    }

    /** The admin user's own check, used by POST /login. */
    public boolean adminMatches(String username, String password) {
        return admin.matches(username, password, verified);
    }

    private Caller basic(String value, boolean apiKeyAllowed) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw headerError();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw headerError();
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        if (user.equals(admin.username())) {
            if (admin.matches(user, password, verified)) {
                return new Caller(Caller.Kind.ADMIN_USER, user);
            }
            throw ApiException.unauthorized("BAD_USERNAME_OR_PWD", "Check username/password");
        }
        Optional<ApiKey> key = apiKeys.byApiKey(user);
        if (key.isEmpty()) {
            throw ApiException.unauthorized("BAD_USERNAME_OR_PWD", "Check username/password or api_key/api_secret");
        }
        return apiKey(key.get(), password, apiKeyAllowed);
    }

    private Caller apiKey(ApiKey key, String secret, boolean apiKeyAllowed) {
        if (!key.enable() || key.expired(clock.instant())
                || !verified.verify(PasswordHash.parse(key.secretHash()), key.secretHash(), secret)) {
            throw ApiException.unauthorized("BAD_API_KEY_OR_SECRET",
                    "Check api_key/api_secret (the key may also be disabled or expired)");
        }
        if (!apiKeyAllowed) {
            throw ApiException.unauthorized("API_KEY_NOT_ALLOW",
                    "API keys may not manage API keys or login sessions; use the admin user");
        }
        return new Caller(Caller.Kind.API_KEY, key.name(), key.role(), key.tenant());
    }

    private Caller bearer(String token) {
        switch (tokens.check(token)) {
            case VALID:
                return new Caller(Caller.Kind.TOKEN, tokens.username(token));
            case EXPIRED:
                throw ApiException.unauthorized("TOKEN_TIME_OUT", "Token expired, get a new token by POST /login");
            default:
                throw ApiException.unauthorized("BAD_TOKEN", "Get a token by POST /login");
        }
    }

    private static ApiException headerError() {
        return ApiException.unauthorized("AUTHORIZATION_HEADER_ERROR",
                "Credentials required: Authorization: Basic (admin user or api_key:api_secret) or Bearer <token>");
    }
}
