package io.aviary.admin.http;

import io.aviary.admin.BindAddress;
import java.security.GeneralSecurityException;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * The embedded Jetty server that hosts Jersey under /api/v5. Jersey finds its own providers
 * through the thread context class loader, which inside OSGi must be this bundle's loader
 * while Jersey starts (and while requests run, which the context's class loader covers).
 * Bounded: a fixed-size thread pool, Jetty's header limits, and idle connections closed.
 */
public final class JettyHttpServer {

    public static final String API_PREFIX = "/api/v5";
    private static final int MAX_THREADS = 32;
    private static final long IDLE_TIMEOUT_MS = 30_000;

    private final Server server;
    private final ServerConnector http;
    private final ServerConnector https;

    /** The default limit of a plugin upload (dashboard.plugin_upload_max_size). */
    public static final long DEFAULT_UPLOAD_MAX = 64L * 1024 * 1024;

    public JettyHttpServer(BindAddress bind, ResourceConfig application) throws GeneralSecurityException {
        this(bind, null, application, DEFAULT_UPLOAD_MAX);
    }

    /**
     * {@code bind}: the plain HTTP listener, or null for none; {@code tls}: the HTTPS listener, or null.
     * {@code uploadMax}: the largest multipart body (plugin upload); JSON bodies keep their 1 MB limit.
     */
    public JettyHttpServer(BindAddress bind, HttpsOptions tls, ResourceConfig application, long uploadMax)
            throws GeneralSecurityException {
        if (bind == null && tls == null) {
            throw new IllegalArgumentException("dashboard: enable listeners.http or listeners.https");
        }
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("aviary-admin-http");
        server = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        // EMQX's topic paths (/topics/{topic}, /mqtt/retainer/message/{topic}) carry '/' as %2F.
        config.setUriCompliance(UriCompliance.DEFAULT.with("aviary-topics",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        http = bind == null ? null : connector(bind, new HttpConnectionFactory(config));
        if (tls != null) {
            HttpConfiguration secure = new HttpConfiguration(config);
            SecureRequestCustomizer customizer = new SecureRequestCustomizer();
            customizer.setSniHostCheck(false);
            secure.addCustomizer(customizer);
            https = connector(tls.bind(), new SslConnectionFactory(tls.sslContextFactory(), "http/1.1"),
                    new HttpConnectionFactory(secure));
        } else {
            https = null;
        }
        server.setErrorHandler(new JsonErrors.ServerHandler());
        server.setHandler(context(application, uploadMax));
        server.setStopTimeout(2_000);
    }

    private ServerConnector connector(BindAddress bind, ConnectionFactory... factories) {
        ServerConnector connector = new ServerConnector(server, 1, 1, factories);
        connector.setHost(bind.host());
        connector.setPort(bind.port());
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        server.addConnector(connector);
        return connector;
    }

    private static ServletContextHandler context(ResourceConfig application, long uploadMax) {
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        context.setClassLoader(JettyHttpServer.class.getClassLoader());
        context.setErrorHandler(new JsonErrors.ContextHandler());
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        ServletHolder jersey = new ServletHolder("jersey", new ServletContainer(application));
        jersey.setInitOrder(1);
        // Parts up to 1 MB stay in memory; larger ones spill to a temp file Jetty deletes after the request.
        jersey.getRegistration().setMultipartConfig(new jakarta.servlet.MultipartConfigElement(
                System.getProperty("java.io.tmpdir"), uploadMax, uploadMax, 1024 * 1024));
        context.addServlet(jersey, API_PREFIX + "/*");
        context.addServlet(new ServletHolder("not-found", new NotFoundServlet()), "/");
        return context;
    }

    /**
     * Starts Jetty and Jersey with this bundle's loader as the context class loader; returns the
     * bound port of the HTTP listener (the HTTPS one's without an HTTP listener).
     */
    public int start() throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(JettyHttpServer.class.getClassLoader());
        try {
            server.start();
        } finally {
            thread.setContextClassLoader(previous);
        }
        return (http != null ? http : https).getLocalPort();
    }

    /** The HTTPS listener's bound port, or -1 without one. */
    public int httpsPort() {
        return https == null ? -1 : https.getLocalPort();
    }

    public void stop() throws Exception {
        server.stop();
    }
}
