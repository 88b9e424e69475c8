package io.aviary.authz.file;

import io.aviary.api.auth.Action;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import java.util.List;

/**
 * One compiled rule of a tenant's rule file: permission, who, action and topics, matched as
 * EMQX's file source matches, first match wins (see {@link AclRules}).
 */
record AclRule(Decision permission, Who who, ActionSpec action, List<TopicPattern> topics, int line) {

    boolean matches(ClientInfo client, Action requested, String topic, int qos, boolean retain) {
        if (!who.matches(client) || !action.matches(requested, qos, retain)) {
            return false;
        }
        for (TopicPattern pattern : topics) {
            if (pattern.matches(client, requested, topic)) {
                return true;
            }
        }
        return false;
    }

    /** Who a rule is for. */
    interface Who {
        boolean matches(ClientInfo client);
    }

    /**
     * The action part: publish, subscribe or all, optionally limited to some QoS levels and,
     * for publish, to retained or not retained messages ({@code retainRequired} null: either).
     */
    record ActionSpec(boolean publish, boolean subscribe, int qosMask, Boolean retainRequired) {
        boolean matches(Action a, int qos, boolean retain) {
            boolean kind = a == Action.PUBLISH ? publish : subscribe;
            if (!kind || (qosMask & (1 << Math.max(0, Math.min(qos, 2)))) == 0) {
                return false;
            }
            return a != Action.PUBLISH || retainRequired == null || retainRequired == retain;
        }
    }
}
