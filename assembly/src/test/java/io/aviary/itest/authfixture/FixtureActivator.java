package io.aviary.itest.authfixture;

import io.aviary.api.auth.Authenticator;
import io.aviary.api.auth.Authorizer;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * TEST FIXTURE bundle activator. The plugin manager starts this bundle when its first instance
 * is created through the admin API; the fixture then serves tenant {@code default} whatever the
 * instance's configuration says (it reads none), and stops serving when the bundle stops.
 */
public final class FixtureActivator implements BundleActivator {
    private ServiceRegistration<Authenticator> authenticator;
    private ServiceRegistration<Authorizer> authorizer;

    @Override
    public void start(BundleContext context) {
        authenticator = context.registerService(Authenticator.class, new FixtureAuthenticator(), tenantDefault());
        authorizer = context.registerService(Authorizer.class, new FixtureAuthorizer(), tenantDefault());
    }

    @Override
    public void stop(BundleContext context) {
        authorizer.unregister();
        authenticator.unregister();
    }

    private static Dictionary<String, Object> tenantDefault() {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("tenant", "default");
        return props;
    }
}
