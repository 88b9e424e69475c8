package io.aviary.broker.tenant;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.aviary.api.tenant.Tenant;
import io.aviary.api.tenant.TenantState;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The order devices are resolved to tenants in, and that every refusal looks the same. */
public class TenantResolverTest {

    private final TenantRegistry registry = new TenantRegistry(null, System::currentTimeMillis);
    private final TenantResolver resolver = new TenantResolver(registry, "mqtt.example.com", true, true);

    public TenantResolverTest() {
        registry.create(tenant("acme", TenantState.ACTIVE, List.of("devices.acme.test")));
        registry.create(tenant("globex", TenantState.ACTIVE, List.of()));
        registry.create(tenant("paused", TenantState.SUSPENDED, List.of()));
    }

    private static Tenant tenant(String id, TenantState state, List<String> hosts) {
        return new Tenant(id, id, state, hosts, Map.of(), 0, 0);
    }

    @Test
    public void aListenerBoundToATenantWinsOverEverythingElse() {
        var r = resolver.resolve("globex", "acme.mqtt.example.com", "bob@acme");
        assertEquals("globex", r.tenant());
        assertEquals("the user name stays as sent", "bob@acme", r.username());
    }

    @Test
    public void theSniHostNameComesBeforeTheUserName() {
        assertEquals("acme", resolver.resolve("", "acme.mqtt.example.com", "bob@globex").tenant());
        assertEquals("a host the tenant claimed", "acme", resolver.resolve("", "devices.acme.test", null).tenant());
    }

    @Test
    public void userAtTenantNamesTheTenantAndTheUserAuthenticatesWithoutIt() {
        var r = resolver.resolve("", null, "bob@globex");
        assertEquals("globex", r.tenant());
        assertEquals("bob", r.username());
    }

    @Test
    public void anEmailAddressStaysAUserNameOfTheDefaultTenant() {
        var r = resolver.resolve("", null, "alice@example.com");
        assertEquals("default", r.tenant());
        assertEquals("alice@example.com", r.username());
        assertEquals("default", resolver.resolve("", "other.host", null).tenant());
    }

    @Test
    public void unknownSuspendedAndDisabledDefaultAreRefusedAlike() {
        assertTrue(resolver.resolve("", null, "bob@nobody").refused());
        assertTrue(resolver.resolve("", null, "bob@paused").refused());
        assertTrue(resolver.resolve("", "nobody.mqtt.example.com", null).refused());
        assertTrue(resolver.resolve("", "Not_A.mqtt.example.com", null).refused());
        assertTrue(new TenantResolver(registry, "", true, false).resolve("", null, "bob").refused());
    }

    @Test
    public void withoutUserNameSuffixesAtIsAnOrdinaryCharacter() {
        var r = new TenantResolver(registry, "", false, true).resolve("", null, "bob@acme");
        assertEquals("default", r.tenant());
        assertEquals("bob@acme", r.username());
    }
}
