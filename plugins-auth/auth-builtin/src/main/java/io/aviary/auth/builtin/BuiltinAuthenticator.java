package io.aviary.auth.builtin;

import io.aviary.auth.builtin.hash.PasswordHasher;
import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Authenticator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * One tenant's instance of auth-builtin: a member of that tenant's authentication chain (its
 * {@code tenant} configuration property becomes the service property the broker selects by).
 * As EMQX: a client without a user id, or whose user id is unknown, is IGNOREd (the next member
 * or allow_anonymous decides); a known user with a wrong or missing password is DENYed with 0x86.
 * The broker calls authenticators off its event loops, so a slow bcrypt blocks no client.
 */
@Component(configurationPid = "auth-builtin", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Authenticator.class)
public final class BuiltinAuthenticator implements Authenticator {
    private final BuiltinDatabase database;
    private final String tenant;
    private final Settings settings;

    @Activate
    public BuiltinAuthenticator(@Reference BuiltinDatabase database, Map<String, Object> props) {
        this.database = database;
        this.tenant = String.valueOf(props.get("tenant"));
        this.settings = Settings.from(props);
        database.attach(tenant, settings, this);
    }

    @Deactivate
    void deactivate() {
        database.detach(tenant, this);
    }

    @Override
    public CompletionStage<AuthResult> authenticate(AuthRequest request) {
        return CompletableFuture.completedFuture(decide(database, tenant, settings, request));
    }

    static AuthResult decide(BuiltinDatabase database, String tenant, Settings settings, AuthRequest request) {
        if (request.authMethod() != null) {
            return AuthResult.ignore(); // enhanced authentication (SCRAM) is another plugin's business
        }
        String userId = settings.userIdType().equals("clientid") ? request.client().clientId() : request.username();
        User user = database.find(tenant, userId);
        if (user == null) {
            return AuthResult.ignore();
        }
        if (!PasswordHasher.check(user.algorithm(), user.passwordHash(), user.salt(), request.password())) {
            return AuthResult.deny(AuthResult.BAD_USERNAME_OR_PASSWORD, "auth-builtin: bad password for " + userId);
        }
        return AuthResult.allow(user.superuser());
    }
}
