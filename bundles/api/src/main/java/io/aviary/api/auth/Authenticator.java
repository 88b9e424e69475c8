package io.aviary.api.auth;

import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A member of a tenant's authentication chain. Register it as a service with a
 * {@code tenant} property; the platform orders the chain and times every call.
 * May complete on any thread; a stage that is not done within the platform's
 * timeout counts as IGNORE for that attempt.
 */
@ConsumerType
public interface Authenticator {

    CompletionStage<AuthResult> authenticate(AuthRequest request);
}
