package io.aviary.broker.topic;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the broker-level prefixes of a subscription filter ($share/{group}/, $queue/,
 * $exclusive/) and splits topics into levels. Plain MQTT syntax (wildcard placement, UTF-8)
 * is already checked by the codec; this class checks only what the prefixes add.
 *
 * @param shareGroup null for a non-shared subscription; "$queue" for $queue/
 * @param exclusive  true for $exclusive/ (EMQX): at most one subscriber per filter
 */
public record TopicFilter(String raw, String filter, String shareGroup, boolean exclusive) {

    public static final String SHARE_PREFIX = "$share/";
    public static final String QUEUE_PREFIX = "$queue/";
    public static final String EXCLUSIVE_PREFIX = "$exclusive/";

    /** Null when the prefix is malformed (empty group, wildcard in group, empty filter). */
    public static TopicFilter parse(String raw) {
        if (raw.startsWith(SHARE_PREFIX)) {
            int slash = raw.indexOf('/', SHARE_PREFIX.length());
            if (slash < 0) {
                return null;
            }
            String group = raw.substring(SHARE_PREFIX.length(), slash);
            String filter = raw.substring(slash + 1);
            if (group.isEmpty() || group.indexOf('+') >= 0 || group.indexOf('#') >= 0 || filter.isEmpty()) {
                return null;
            }
            return new TopicFilter(raw, filter, group, false);
        }
        if (raw.startsWith(QUEUE_PREFIX)) {
            String filter = raw.substring(QUEUE_PREFIX.length());
            return filter.isEmpty() ? null : new TopicFilter(raw, filter, "$queue", false);
        }
        if (raw.startsWith(EXCLUSIVE_PREFIX)) {
            String filter = raw.substring(EXCLUSIVE_PREFIX.length());
            return filter.isEmpty() ? null : new TopicFilter(raw, filter, null, true);
        }
        return new TopicFilter(raw, raw, null, false);
    }

    public boolean shared() {
        return shareGroup != null;
    }

    public boolean hasWildcard() {
        return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
    }

    /** Splits on '/', keeping empty levels ("a//b" has three levels, "/a" two). */
    public static String[] levels(String topic) {
        int count = 1;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '/') {
                count++;
            }
        }
        String[] out = new String[count];
        int start = 0;
        int n = 0;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '/') {
                out[n++] = topic.substring(start, i);
                start = i + 1;
            }
        }
        out[n] = topic.substring(start);
        return out;
    }

    public static int levelCount(String topic) {
        int count = 1;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '/') {
                count++;
            }
        }
        return count;
    }

    /** Whether a topic name matches a (non-shared) filter, with the $-topic rule of MQTT-4.7.2-1. */
    public static boolean matches(String filter, String topic) {
        String[] f = levels(filter);
        String[] t = levels(topic);
        if (!topic.isEmpty() && topic.charAt(0) == '$' && (f[0].equals("+") || f[0].equals("#"))) {
            return false;
        }
        int i = 0;
        for (; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return i == t.length;
    }

    /** Convenience for tests and logs. */
    public static List<String> levelList(String topic) {
        return new ArrayList<>(List.of(levels(topic)));
    }
}
