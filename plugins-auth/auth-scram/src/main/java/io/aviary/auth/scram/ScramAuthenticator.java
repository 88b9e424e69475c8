package io.aviary.auth.scram;

import com.ongres.scram.common.ClientFirstMessage;
import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.ServerFinalMessage;
import com.ongres.scram.common.ServerFirstMessage;
import com.ongres.scram.common.exception.ScramParseException;
import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Authenticator;
import io.aviary.api.client.ClientInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant's instance of auth-scram: SCRAM-SHA-256 / SCRAM-SHA-512 (RFC 5802, 7677) over MQTT 5
 * enhanced authentication, as EMQX's scram authenticator. CONNECT (or AUTH 0x19 to
 * re-authenticate) carries the client-first message; the answer is AUTH 0x18 with the
 * server-first message; the client's AUTH 0x18 carries the client-final message with its proof;
 * a good proof is ALLOWed with the server-final message (the server's signature) in CONNACK's
 * Authentication Data, a bad one DENYed with 0x86. Another method, or a user this tenant does not
 * know, is IGNOREd. Channel binding (the -PLUS mechanisms) is not offered. An exchange left
 * unfinished is forgotten after {@link #EXCHANGE_TTL_MS}.
 */
@Component(configurationPid = "auth-scram", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Authenticator.class)
public final class ScramAuthenticator implements Authenticator {
    static final long EXCHANGE_TTL_MS = 30_000;
    private static final int PURGE_ABOVE = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ScramAuthenticator.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An exchange between its two steps. */
    private record Pending(ScramUser user, ClientFirstMessage clientFirst, ServerFirstMessage serverFirst, long startedAt) {
    }

    private final ScramUsers users;
    private final String tenant;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    @Activate
    public ScramAuthenticator(@Reference ScramUsers users, Map<String, Object> props) {
        this(users, String.valueOf(props.get("tenant")), ScramSettings.from(props));
    }

    ScramAuthenticator(ScramUsers users, String tenant, ScramSettings settings) {
        this.users = users;
        this.tenant = tenant;
        users.attach(tenant, settings, this);
    }

    @Deactivate
    void deactivate() {
        users.detach(tenant, this);
    }

    @Override
    public CompletionStage<AuthResult> authenticate(AuthRequest request) {
        return CompletableFuture.completedFuture(decide(request));
    }

    AuthResult decide(AuthRequest request) {
        ScramMechanism mechanism = ScramSettings.mechanismOf(request.authMethod());
        if (mechanism == null) {
            return AuthResult.ignore();
        }
        String data = text(request.authData());
        String key = key(request.client());
        return data.startsWith("c=") ? finish(key, data, request.client()) : begin(key, data, mechanism, request.client());
    }

    private AuthResult begin(String key, String data, ScramMechanism mechanism, ClientInfo client) {
        ClientFirstMessage first;
        try {
            first = ClientFirstMessage.parseFrom(data);
        } catch (ScramParseException | IllegalArgumentException e) {
            return refuse(client, "malformed client-first message: " + e.getMessage());
        }
        if (first.isChannelBindingRequired()) {
            return refuse(client, "channel binding is not offered");
        }
        ScramUser user = users.find(tenant, first.getUsername());
        if (user == null) {
            return AuthResult.ignore();
        }
        if (user.mechanism() != mechanism) {
            return refuse(client, "user '" + user.userId() + "' has " + user.mechanism().getName() + " credentials");
        }
        ServerFirstMessage serverFirst = new ServerFirstMessage(first.getClientNonce(), ScramFunctions.nonce(24, RANDOM),
                Base64.getEncoder().encodeToString(user.salt()), user.iterations());
        forgetStale();
        pending.put(key, new Pending(user, first, serverFirst, System.currentTimeMillis()));
        return AuthResult.challenge(ByteBuffer.wrap(serverFirst.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private AuthResult finish(String key, String clientFinal, ClientInfo client) {
        Pending p = pending.remove(key);
        if (p == null || System.currentTimeMillis() - p.startedAt() > EXCHANGE_TTL_MS) {
            return refuse(client, "client-final message without a started exchange");
        }
        int proofAt = clientFinal.lastIndexOf(",p=");
        if (proofAt < 0) {
            return refuse(client, "client-final message without a proof");
        }
        ScramMechanism m = p.user().mechanism();
        String authMessage = ScramFunctions.authMessage(p.clientFirst(), p.serverFirst(), null);
        // the client's channel binding and nonce must be the ones this exchange expects
        if (!authMessage.endsWith("," + clientFinal.substring(0, proofAt))) {
            return refuse(client, "client-final message does not continue this exchange (nonce or channel binding)");
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(clientFinal.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            return refuse(client, "client proof is not base64");
        }
        if (!ScramFunctions.verifyClientProof(m, proof, p.user().storedKey(), authMessage)) {
            return refuse(client, "wrong password for '" + p.user().userId() + "'");
        }
        String serverFinal = new ServerFinalMessage(ScramFunctions.serverSignature(m, p.user().serverKey(), authMessage))
                .toString();
        return AuthResult.allow(p.user().superuser(), ByteBuffer.wrap(serverFinal.getBytes(StandardCharsets.UTF_8)));
    }

    private AuthResult refuse(ClientInfo client, String why) {
        LOG.info("auth-scram: tenant={} clientid={} refused: {}", tenant, client.clientId(), why);
        return AuthResult.deny(AuthResult.BAD_USERNAME_OR_PASSWORD, "auth-scram: " + why);
    }

    /** Exchanges belong to one connection: its tenant, client id and peer address. */
    private static String key(ClientInfo client) {
        return client.tenant() + '\u0000' + client.clientId() + '\u0000' + client.peerAddress();
    }

    private void forgetStale() {
        if (pending.size() > PURGE_ABOVE) {
            long cutoff = System.currentTimeMillis() - EXCHANGE_TTL_MS;
            pending.values().removeIf(p -> p.startedAt() < cutoff);
        }
    }

    private static String text(ByteBuffer data) {
        if (data == null) {
            return "";
        }
        ByteBuffer view = data.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
