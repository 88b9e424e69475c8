package io.aviary.auth.redis;

import com.google.gson.JsonParser;
import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Authenticator;
import io.aviary.api.client.ClientInfo;
import io.aviary.auth.builtin.hash.HashSpec;
import io.aviary.auth.builtin.hash.PasswordHasher;
import io.aviary.auth.redis.backend.RedisBackend;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * One tenant's instance of auth-redis (EMQX's {@code password_based:redis}): every CONNECT reads
 * the client's user hash with the configured {@code cmd} (by default {@code HMGET
 * mqtt_user:${username} password_hash salt is_superuser}) and checks the password against it with
 * the configured {@code password_hash_algorithm}, as EMQX: no hash (no such user) is ignore, a
 * wrong password is 0x86, a right one admits the client, a superuser if {@code is_superuser} is
 * 1 or true. Redis being down, slow or answering an error is ignore (EMQX's behaviour for an
 * unreachable backend), within request_timeout. The read and the hash check run on the instance's
 * own executor.
 */
@Component(configurationPid = "auth-redis", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Authenticator.class)
public final class RedisAuthenticator implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(RedisAuthenticator.class);

    private final String tenant;
    private final UserCommand cmd;
    private final HashSpec hash;
    private final RedisBackend backend;

    @Activate
    public RedisAuthenticator(Map<String, Object> props) {
        this.tenant = String.valueOf(props.get("tenant"));
        this.cmd = UserCommand.parse(props.get("cmd"));
        Object algorithm = props.get("password_hash_algorithm");
        this.hash = algorithm == null ? HashSpec.DEFAULT // nested objects arrive as JSON text
                : HashSpec.fromJson(JsonParser.parseString(algorithm.toString()).getAsJsonObject());
        this.backend = new RedisBackend(props, "auth-redis: tenant=" + tenant, "auth-redis-" + tenant);
        LOG.info("auth-redis: tenant={} enabled ({} {}, {} {})", tenant, backend.settings().type(),
                backend.settings().describeServers(), cmd.command().name(), String.join(" ", cmd.command().template()));
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
        ClientInfo client = request.client();
        String[] args = cmd.command().render(request.username() == null || request.username().equals(client.username())
                ? client : withUsername(client, request.username()));
        return backend.call(redis -> check(read(redis, args), request))
                .exceptionally(e -> {
                    LOG.warn("auth-redis: tenant={} client={} redis failed, ignored: {}", tenant, client.clientId(),
                            RedisBackend.describe(e));
                    return AuthResult.ignore();
                });
    }

    /** The CONNECT's user name is what ${username} means, even before the client record carries it. */
    private static ClientInfo withUsername(ClientInfo c, String username) {
        return new ClientInfo(c.tenant(), c.clientId(), username, c.peerAddress(), c.protocol(), c.protocolVersion(),
                c.listener(), c.certCommonName(), c.certSubject(), c.attributes());
    }

    /** The fields' values in the command's field order (HGET: the one field). */
    private List<String> read(UnifiedJedis redis, String[] args) {
        if (cmd.command().name().equals("HGET")) {
            return Collections.singletonList(redis.hget(args[0], args[1]));
        }
        return redis.hmget(args[0], Arrays.copyOfRange(args, 1, args.length));
    }

    private AuthResult check(List<String> values, AuthRequest request) {
        String storedHash = values.get(cmd.hashIndex());
        if (storedHash == null) {
            return AuthResult.ignore(); // no such user here: the next authenticator decides
        }
        String salt = cmd.saltIndex() < 0 ? "" : values.get(cmd.saltIndex());
        if (!PasswordHasher.check(hash, storedHash, salt == null ? "" : salt, request.password())) {
            LOG.info("auth-redis: tenant={} client={} refused: bad user name or password", tenant,
                    request.client().clientId());
            return AuthResult.deny(AuthResult.BAD_USERNAME_OR_PASSWORD, "auth-redis: bad user name or password");
        }
        return AuthResult.allow(cmd.superuserIndex() >= 0 && superuser(values.get(cmd.superuserIndex())));
    }

    /** EMQX's reading of is_superuser: true or 1 (any case); anything else, or none, is false. */
    static boolean superuser(String v) {
        if (v == null) {
            return false;
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        return s.equals("true") || s.equals("1");
    }
}
