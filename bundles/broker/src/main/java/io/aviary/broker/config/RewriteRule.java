package io.aviary.broker.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One EMQX-style topic rewrite rule: a topic (or filter) matching {@code sourceTopic} whose
 * text also matches {@code re} becomes {@code destTopic}, where $1..$9 are the regex groups.
 *
 * @param action "publish", "subscribe" or "all"
 */
public record RewriteRule(String action, String sourceTopic, Pattern re, String destTopic) {

    public boolean appliesToPublish() {
        return "publish".equals(action) || "all".equals(action);
    }

    public boolean appliesToSubscribe() {
        return "subscribe".equals(action) || "all".equals(action);
    }

    /** The rewritten topic, or null when the regex does not match. */
    public String rewrite(String topic) {
        Matcher m = re.matcher(topic);
        if (!m.matches()) {
            return null;
        }
        StringBuilder out = new StringBuilder(destTopic.length() + 16);
        for (int i = 0; i < destTopic.length(); i++) {
            char c = destTopic.charAt(i);
            if (c == '$' && i + 1 < destTopic.length() && Character.isDigit(destTopic.charAt(i + 1))) {
                int group = destTopic.charAt(++i) - '0';
                if (group <= m.groupCount() && m.group(group) != null) {
                    out.append(m.group(group));
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
