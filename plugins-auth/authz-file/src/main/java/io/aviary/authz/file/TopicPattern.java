package io.aviary.authz.file;

import io.aviary.api.auth.Action;
import io.aviary.api.client.ClientInfo;

/**
 * A rule's topic: an MQTT filter, possibly with {@code ${username}} / {@code ${clientid}}
 * placeholders, or {@code {eq, "t"}}, an exact string match that gives {@code +} and {@code #}
 * no wildcard meaning. For SUBSCRIBE the requested filter must lie inside the rule's filter: a
 * wildcard level of the request only matches the same wildcard (or {@code #}) in the rule, so
 * {@code a/+} does not grant {@code a/#}. A placeholder whose value is empty, unknown or holds
 * {@code /}, {@code +} or {@code #} makes the pattern match nothing: a user named {@code +}
 * must not gain every user's topics.
 */
final class TopicPattern {
    private final String text;
    private final boolean exact;
    private final boolean templated;

    TopicPattern(String text, boolean exact) {
        this.text = text;
        this.exact = exact;
        this.templated = !exact && text.contains("${");
    }

    boolean matches(ClientInfo client, Action action, String topic) {
        if (exact) {
            return text.equals(topic);
        }
        String filter = templated ? render(client) : text;
        return filter != null && covers(filter, topic);
    }

    private String render(ClientInfo client) {
        String out = text;
        if (out.contains("${username}")) {
            String u = client.username();
            if (!safe(u)) {
                return null;
            }
            out = out.replace("${username}", u);
        }
        if (out.contains("${clientid}")) {
            if (!safe(client.clientId())) {
                return null;
            }
            out = out.replace("${clientid}", client.clientId());
        }
        return out.contains("${") ? null : out;
    }

    private static boolean safe(String value) {
        return value != null && !value.isEmpty() && value.indexOf('/') < 0 && value.indexOf('+') < 0
                && value.indexOf('#') < 0;
    }

    /** Whether the rule's filter covers the topic name or (SUBSCRIBE) the requested filter. */
    static boolean covers(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        if (topic.startsWith("$") && (f[0].equals("+") || f[0].equals("#"))) {
            return false; // MQTT 4.7.2: wildcards at the first level do not reach $ topics
        }
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length) {
                return false;
            }
            if (f[i].equals("+")) {
                if (t[i].equals("#")) {
                    return false;
                }
            } else if (!f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }

    @Override
    public String toString() {
        return exact ? "{eq, \"" + text + "\"}" : "\"" + text + "\"";
    }
}
