package io.aviary.itest.authfixture;

import io.aviary.api.auth.Action;
import io.aviary.api.auth.Authorizer;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * TEST FIXTURE authorizer: DENY for PUBLISH and SUBSCRIBE on {@code forbidden} and everything
 * under {@code forbidden/} (so the filter {@code forbidden/#} too), IGNORE for the rest (the
 * broker then allows).
 */
public final class FixtureAuthorizer implements Authorizer {

    @Override
    public CompletionStage<Decision> authorize(ClientInfo client, Action action, String topic, int qos, boolean retain) {
        boolean forbidden = topic.equals("forbidden") || topic.startsWith("forbidden/");
        return CompletableFuture.completedFuture(forbidden ? Decision.DENY : Decision.IGNORE);
    }
}
