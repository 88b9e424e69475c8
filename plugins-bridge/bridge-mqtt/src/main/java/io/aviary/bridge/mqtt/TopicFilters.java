package io.aviary.bridge.mqtt;

/** MQTT topic filter matching (+, #, $share/group/ stripped), for the loop guard's echo bookkeeping. */
final class TopicFilters {
    private TopicFilters() {
    }

    static String withoutShare(String filter) {
        if (filter.startsWith("$share/")) {
            int slash = filter.indexOf('/', 7);
            return slash < 0 ? filter : filter.substring(slash + 1);
        }
        if (filter.startsWith("$queue/")) {
            return filter.substring(7);
        }
        return filter;
    }

    static boolean matches(String filter, String topic) {
        String f = withoutShare(filter);
        if (topic.startsWith("$") && (f.startsWith("+") || f.startsWith("#"))) {
            return false;
        }
        String[] fs = f.split("/", -1);
        String[] ts = topic.split("/", -1);
        for (int i = 0; i < fs.length; i++) {
            if (fs[i].equals("#")) {
                return true;
            }
            if (i >= ts.length) {
                return false;
            }
            if (!fs[i].equals("+") && !fs[i].equals(ts[i])) {
                return false;
            }
        }
        return fs.length == ts.length;
    }

    /** A topic name a PUBLISH may carry: not empty, no wildcards, no NUL. */
    static String invalidTopicName(String topic) {
        if (topic == null || topic.isEmpty()) {
            return "the topic is empty";
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#') {
                return "the topic '" + topic + "' contains a wildcard";
            }
            if (c == 0) {
                return "the topic contains NUL";
            }
        }
        return null;
    }
}
