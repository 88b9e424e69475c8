package io.aviary.rules;

/**
 * MQTT topic-filter matching for =~, contains_topic_match and the rule index: '+' matches one
 * level, '#' the rest (including the parent level), and filters starting with a wildcard do not
 * match topics starting with '$' (so "#" does not see "$events/..." or "$SYS/...").
 */
public final class TopicFilters {

    private TopicFilters() {}

    public static boolean matches(String topic, String filter) {
        if (!topic.isEmpty() && topic.charAt(0) == '$' && !filter.isEmpty()
                && (filter.charAt(0) == '+' || filter.charAt(0) == '#')) {
            return false;
        }
        int t = 0;
        int f = 0;
        int tl = topic.length();
        int fl = filter.length();
        while (true) {
            int fEnd = filter.indexOf('/', f);
            if (fEnd < 0) {
                fEnd = fl;
            }
            int fLen = fEnd - f;
            if (fLen == 1 && filter.charAt(f) == '#') {
                return true;
            }
            if (t > tl) {
                return false;
            }
            int tEnd = topic.indexOf('/', t);
            if (tEnd < 0) {
                tEnd = tl;
            }
            boolean plus = fLen == 1 && filter.charAt(f) == '+';
            if (!plus && (fLen != tEnd - t || !topic.regionMatches(t, filter, f, fLen))) {
                return false;
            }
            boolean topicDone = tEnd >= tl;
            boolean filterDone = fEnd >= fl;
            if (filterDone) {
                return topicDone;
            }
            if (topicDone) {
                // "a" matches "a/#"
                int rest = fEnd + 1;
                return fl - rest == 1 && filter.charAt(rest) == '#';
            }
            t = tEnd + 1;
            f = fEnd + 1;
        }
    }
}
