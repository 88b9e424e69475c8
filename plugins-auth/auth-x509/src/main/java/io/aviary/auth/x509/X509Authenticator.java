package io.aviary.auth.x509;

import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Authenticator;
import io.aviary.api.client.ClientInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant's instance of auth-x509: a client whose TLS listener verified its certificate
 * (mTLS, {@code verify_peer}) is who the certificate says, its CN or its subject DN. A client
 * without a certificate is IGNOREd (the next authenticator decides). With {@code match}, the
 * identity must equal the client id or the user name, else the client is DENYed with 0x87, so
 * a device cannot use its certificate to act as another device. Identities listed in
 * {@code superusers} skip authorization. The cryptography is the listener's; this only decides.
 */
@Component(configurationPid = "auth-x509", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Authenticator.class)
public final class X509Authenticator implements Authenticator {
    static final String IDENTITY_ATTRIBUTE = "cert_identity";
    private static final Logger LOG = LoggerFactory.getLogger(X509Authenticator.class);

    private final String tenant;
    private final boolean subjectDn;
    private final String match;
    private final Set<String> superusers;

    @Activate
    public X509Authenticator(Map<String, Object> props) {
        this(String.valueOf(props.get("tenant")), "dn".equals(props.get("identity")),
                String.valueOf(props.getOrDefault("match", "none")), list(props.get("superusers")));
    }

    X509Authenticator(String tenant, boolean subjectDn, String match, List<String> superusers) {
        this.tenant = tenant;
        this.subjectDn = subjectDn;
        this.match = match;
        this.superusers = Set.copyOf(superusers);
        LOG.info("auth-x509: tenant={} enabled (identity {}, match {}, {} superusers)", tenant, subjectDn ? "dn" : "cn",
                match, superusers.size());
    }

    private static List<String> list(Object v) {
        if (v instanceof String[] a) {
            return Arrays.asList(a);
        }
        if (v instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    @Override
    public CompletionStage<AuthResult> authenticate(AuthRequest request) {
        return CompletableFuture.completedFuture(decide(request));
    }

    AuthResult decide(AuthRequest request) {
        ClientInfo c = request.client();
        String identity = subjectDn ? c.certSubject() : c.certCommonName();
        if (identity == null || identity.isEmpty() || request.authMethod() != null) {
            return AuthResult.ignore();
        }
        String claimed = switch (match) {
            case "clientid" -> c.clientId();
            case "username" -> request.username();
            default -> identity;
        };
        if (!identity.equals(claimed)) {
            LOG.info("auth-x509: tenant={} clientid={} refused: certificate '{}' does not match its {} '{}'", tenant,
                    c.clientId(), identity, match, claimed);
            return AuthResult.deny(AuthResult.NOT_AUTHORIZED,
                    "auth-x509: the certificate's identity does not match the " + match);
        }
        return new AuthResult(io.aviary.api.auth.Decision.ALLOW, superusers.contains(identity), null, 0, null, 0,
                Map.of(IDENTITY_ATTRIBUTE, identity));
    }
}
