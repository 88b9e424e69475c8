package io.aviary.admin.auth;

import java.time.Instant;

/**
 * One API key as stored: the secret survives only as its hash.
 *
 * @param apiKey     the public half, used as the Basic auth user name
 * @param secretHash {@link PasswordHash} text of the secret
 * @param expiredAt  when the key stops working; null never
 * @param role       what the key may do (EMQX's administrator, viewer, publisher)
 * @param tenant     the tenant the key is scoped to, or null for a platform key (every tenant)
 */
public record ApiKey(String name, String apiKey, String secretHash, Instant expiredAt, String desc, boolean enable,
                     Instant createdAt, Role role, String tenant) {

    public ApiKey {
        role = role == null ? Role.ADMINISTRATOR : role;
        tenant = tenant == null || tenant.isEmpty() ? null : tenant;
    }

    public boolean expired(Instant now) {
        return expiredAt != null && !now.isBefore(expiredAt);
    }

    public ApiKey withSettings(Instant newExpiredAt, String newDesc, boolean newEnable) {
        return new ApiKey(name, apiKey, secretHash, newExpiredAt, newDesc, newEnable, createdAt, role, tenant);
    }

    public ApiKey withSecretAndRole(String newSecretHash, Role newRole) {
        return new ApiKey(name, apiKey, newSecretHash, expiredAt, desc, enable, createdAt, newRole, tenant);
    }
}
