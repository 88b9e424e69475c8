package io.aviary.admin.http;

import io.aviary.admin.BindAddress;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
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
    private final ServerConnector connector;

    /** The default limit of a plugin upload (dashboard.plugin_upload_max_size). */
    public static final long DEFAULT_UPLOAD_MAX = 64L * 1024 * 1024;

    public JettyHttpServer(BindAddress bind, ResourceConfig application) {
        this(bind, application, DEFAULT_UPLOAD_MAX);
    }

    /** {@code uploadMax}: the largest multipart body (plugin upload); JSON bodies keep their 1 MB limit. */
    public JettyHttpServer(BindAddress bind, ResourceConfig application, long uploadMax) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("aviary-admin-http");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // EMQX's topic paths (/topics/{topic}, /mqtt/retainer/message/{topic}) carry '/' as %2F.
        http.setUriCompliance(UriCompliance.DEFAULT.with("aviary-topics",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(bind.host());
        connector.setPort(bind.port());
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        server.addConnector(connector);
        server.setErrorHandler(new JsonErrors.ServerHandler());
        server.setHandler(context(application, uploadMax));
        server.setStopTimeout(2_000);
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

    /** Starts Jetty and Jersey with this bundle's loader as the context class loader; returns the bound port. */
    public int start() throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(JettyHttpServer.class.getClassLoader());
        try {
            server.start();
        } finally {
            thread.setContextClassLoader(previous);
        }
        return connector.getLocalPort();
    }

    public void stop() throws Exception {
        server.stop();
    }
}
