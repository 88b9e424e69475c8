package io.aviary.storage.redis;

import io.aviary.api.integration.ConnectorContext;
import io.aviary.api.rules.Templates;
import io.aviary.rules.TemplateService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** What the integration runtime would give a connector: a tenant, an id, the rule engine's templates. */
record TestContext(String tenant, String connectorId, Templates templates, ScheduledExecutorService scheduler)
        implements ConnectorContext {

    static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-scheduler");
        t.setDaemon(true);
        return t;
    });

    static TestContext of(String connectorId) {
        return new TestContext("t1", connectorId, new TemplateService(), SCHEDULER);
    }
}
