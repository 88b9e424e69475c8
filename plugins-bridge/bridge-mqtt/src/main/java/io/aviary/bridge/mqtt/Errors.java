package io.aviary.bridge.mqtt;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * Turns what Paho throws into the words a user needs: Paho wraps the socket's own error ("Connection
 * refused") in its generic "Unable to connect to server", so the root cause leads and Paho's text
 * follows only when it adds something.
 */
final class Errors {
    private Errors() {
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static String describe(Throwable t) {
        t = unwrap(t);
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = text(t);
        if (root == t) {
            return top;
        }
        String cause = text(root);
        if (root instanceof UnknownHostException) {
            cause = "unknown host " + root.getMessage();
        }
        return top.isEmpty() || cause.contains(top) ? cause : cause + " (" + top + ")";
    }

    private static String text(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return m;
    }

    /** Whether a connect failure is the network (worth retrying soon) rather than a refusal by the broker. */
    static boolean isNetwork(Throwable t) {
        for (Throwable c = unwrap(t); c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof SocketTimeoutException || c instanceof UnknownHostException
                    || c instanceof NoRouteToHostException || c instanceof SSLException
                    || c instanceof java.io.IOException) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }
}
