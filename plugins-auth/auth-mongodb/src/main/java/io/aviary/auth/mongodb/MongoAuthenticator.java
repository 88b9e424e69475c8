package io.aviary.auth.mongodb;

import com.google.gson.JsonParser;
import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Authenticator;
import io.aviary.auth.builtin.hash.HashSpec;
import io.aviary.auth.builtin.hash.PasswordHasher;
import io.aviary.auth.mongodb.connect.MongoBackend;
import io.aviary.auth.mongodb.connect.MongoSettings;
import io.aviary.auth.mongodb.connect.PlaceholderValues;
import io.aviary.auth.mongodb.connect.TlsContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.bson.BsonDocument;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant's instance of auth-mongodb (EMQX's {@code password_based:mongodb}): a CONNECT looks up
 * the first document matching the tenant's {@code filter} (its placeholders bound as BSON string
 * values) and checks the password against its {@code password_hash_field} and {@code salt_field}
 * with auth-builtin's hashing. No document, or one without a hash, is ignore (the next
 * authenticator decides); a wrong password is 0x86 Bad User Name or Password; a database that is
 * down or slow is ignore, as EMQX, within the configured timeouts. Lookups run on the instance's own
 * threads: the broker's threads only get a pending stage.
 */
@Component(configurationPid = "auth-mongodb", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Authenticator.class)
public final class MongoAuthenticator implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(MongoAuthenticator.class);

    private final String tenant;
    private final MongoBackend backend;
    private final HashSpec algorithm;
    private final StoredUser.Fields fields;

    @Activate
    public MongoAuthenticator(BundleContext context, Map<String, Object> props) {
        this(String.valueOf(props.get("tenant")), props, home(context));
    }

    MongoAuthenticator(String tenant, Map<String, Object> props, Path home) {
        this.tenant = tenant;
        MongoSettings settings = MongoSettings.from(props);
        Object algorithm = props.get("password_hash_algorithm");
        this.algorithm = algorithm == null ? HashSpec.DEFAULT
                : HashSpec.fromJson(JsonParser.parseString(algorithm.toString()).getAsJsonObject());
        this.fields = new StoredUser.Fields(text(props, "password_hash_field", "password_hash"),
                text(props, "salt_field", "salt"), text(props, "is_superuser_field", "is_superuser"));
        this.backend = new MongoBackend(settings, TlsContext.of(settings.tls(), home), "auth-mongodb-" + tenant);
        LOG.info("auth-mongodb: tenant={} enabled ({}, {})", tenant, settings.describe(), this.algorithm.name());
    }

    static Path home(BundleContext context) {
        String home = context == null ? null : context.getProperty("aviary.home");
        return home == null ? null : Path.of(home);
    }

    private static String text(Map<String, Object> props, String key, String otherwise) {
        Object v = props.get(key);
        return v == null ? otherwise : v.toString();
    }

    @Deactivate
    void deactivate() {
        backend.close();
    }

    @Override
    public CompletionStage<AuthResult> authenticate(AuthRequest request) {
        if (request.authMethod() != null) {
            return CompletableFuture.completedFuture(AuthResult.ignore()); // enhanced auth is not ours (as EMQX)
        }
        BsonDocument filter = backend.settings().filter().render(PlaceholderValues.of(request.client(), request.username()));
        return backend.find(filter, 1, found -> check(request, found))
                .exceptionally(failure -> failed(request, failure));
    }

    private AuthResult check(AuthRequest request, List<BsonDocument> found) {
        String client = request.client().clientId();
        if (found.isEmpty()) {
            LOG.debug("auth-mongodb: tenant={} client={} no document: ignored", tenant, client);
            return AuthResult.ignore();
        }
        StoredUser user = StoredUser.of(found.get(0), fields);
        if (user.passwordHash() == null) {
            LOG.warn("auth-mongodb: tenant={} client={} the document has no string field '{}': ignored", tenant, client,
                    fields.passwordHash());
            return AuthResult.ignore();
        }
        if (!PasswordHasher.check(algorithm, user.passwordHash(), user.salt(), request.password())) {
            LOG.info("auth-mongodb: tenant={} client={} refused: bad username or password", tenant, client);
            return AuthResult.deny(AuthResult.BAD_USERNAME_OR_PASSWORD, "auth-mongodb: bad username or password");
        }
        return AuthResult.allow(user.superuser());
    }

    private AuthResult failed(AuthRequest request, Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        LOG.warn("auth-mongodb: tenant={} client={} lookup failed, ignored: {}", tenant, request.client().clientId(),
                cause.toString());
        return AuthResult.ignore();
    }
}
