package io.aviary.broker.config;

/**
 * A subscription the broker adds for every client on connect (EMQX auto_subscribe).
 * The topic may hold ${clientid} and ${username}.
 */
public record AutoSubscription(String topic, int qos, int rh, boolean rap, boolean nl) {

    public String topicFor(String clientId, String username) {
        return topic.replace("${clientid}", clientId).replace("${username}", username == null ? "" : username);
    }
}
