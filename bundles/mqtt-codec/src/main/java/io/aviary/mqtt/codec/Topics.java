package io.aviary.mqtt.codec;

import io.netty.buffer.ByteBuf;

/**
 * Topic Name and Topic Filter rules (spec 4.7, 4.8.2) and UTF-8 checks, public so that the
 * broker applies exactly the rules the decoder applies. Empty levels ("a//b", "/a") are legal;
 * a Topic Name has no wildcards; '#' only as the whole last level; '+' only as a whole level.
 * A shared filter is "$share/{ShareName}/{filter}" with a non-empty ShareName free of '/', '+',
 * '#' and a valid filter after it.
 */
public final class Topics {
    public static final String SHARE_PREFIX = "$share/";

    private Topics() {
    }

    /** A valid Topic Name: non-empty, no '+' or '#', a valid MQTT UTF-8 string. */
    public static boolean isValidTopicName(String topic) {
        if (topic == null || topic.isEmpty() || !Utf8.isValidString(topic)) {
            return false;
        }
        return topic.indexOf('+') < 0 && topic.indexOf('#') < 0 && Utf8.encodedLengthIfValid(topic) <= Utf8.MAX_STRING_BYTES;
    }

    /** A valid Topic Filter, plain or shared ("$share/group/filter"). */
    public static boolean isValidTopicFilter(String filter) {
        if (filter == null || filter.isEmpty() || !Utf8.isValidString(filter)
                || Utf8.encodedLengthIfValid(filter) > Utf8.MAX_STRING_BYTES) {
            return false;
        }
        if (isShared(filter)) {
            String rest = filter.substring(SHARE_PREFIX.length());
            int slash = rest.indexOf('/');
            if (slash <= 0) {
                return false; // no ShareName, or no '/' and filter after it
            }
            String shareName = rest.substring(0, slash);
            if (shareName.indexOf('+') >= 0 || shareName.indexOf('#') >= 0) {
                return false;
            }
            return isValidPlainFilter(rest.substring(slash + 1));
        }
        return isValidPlainFilter(filter);
    }

    /** True if the filter uses the shared-subscription form (whether or not it is valid). */
    public static boolean isShared(String filter) {
        return filter.startsWith(SHARE_PREFIX);
    }

    /** The ShareName of a valid shared filter. */
    public static String shareName(String sharedFilter) {
        String rest = sharedFilter.substring(SHARE_PREFIX.length());
        return rest.substring(0, rest.indexOf('/'));
    }

    /** The filter part of a valid shared filter (after "$share/{ShareName}/"). */
    public static String sharedTopicFilter(String sharedFilter) {
        String rest = sharedFilter.substring(SHARE_PREFIX.length());
        return rest.substring(rest.indexOf('/') + 1);
    }

    /** True if the filter contains '+' or '#'. */
    public static boolean hasWildcard(String filter) {
        return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
    }

    /**
     * True if the bytes are an MQTT UTF-8 string: well-formed and free of U+0000
     * [MQTT-1.5.4-1, MQTT-1.5.4-2].
     */
    public static boolean isValidUtf8(ByteBuf buf, int offset, int length) {
        return Utf8.isWellFormed(buf, offset, length, false);
    }

    /**
     * True if the bytes are well-formed UTF-8 (U+0000 allowed): the check for a payload sent
     * with Payload Format Indicator 1 (answer 0x99 Payload format invalid otherwise).
     */
    public static boolean isWellFormedUtf8(ByteBuf buf, int offset, int length) {
        return Utf8.isWellFormed(buf, offset, length, true);
    }

    /** True if a Java string can travel as an MQTT UTF-8 string (no U+0000, no lone surrogate, at most 65,535 bytes). */
    public static boolean isValidMqttString(String s) {
        if (s == null) {
            return false;
        }
        int len = Utf8.encodedLengthIfValid(s);
        return len >= 0 && len <= Utf8.MAX_STRING_BYTES;
    }

    private static boolean isValidPlainFilter(String filter) {
        if (filter.isEmpty()) {
            return false;
        }
        int levelStart = 0;
        int n = filter.length();
        for (int i = 0; i <= n; i++) {
            if (i == n || filter.charAt(i) == '/') {
                if (!isValidFilterLevel(filter, levelStart, i, i == n)) {
                    return false;
                }
                levelStart = i + 1;
            }
        }
        return true;
    }

    private static boolean isValidFilterLevel(String f, int start, int end, boolean last) {
        for (int i = start; i < end; i++) {
            char c = f.charAt(i);
            if (c == '+' && end - start != 1) {
                return false; // [MQTT-4.7.1-2]: '+' must occupy an entire level
            }
            if (c == '#' && (end - start != 1 || !last)) {
                return false; // [MQTT-4.7.1-1]: '#' alone and last
            }
        }
        return true;
    }
}
