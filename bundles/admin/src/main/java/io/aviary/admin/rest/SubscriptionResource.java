package io.aviary.admin.rest;

import com.google.gson.JsonObject;
import io.aviary.admin.auth.TenantScope;
import io.aviary.api.broker.SubscriptionInfo;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;

/**
 * EMQX's GET /subscriptions of the tenant, with the filters clientid, topic, qos, share_group
 * and match_topic (subscriptions whose filter matches that topic name).
 */
@TenantScoped
@Path("subscriptions")
@Produces(MediaType.APPLICATION_JSON)
public final class SubscriptionResource {


    private final Services services;
    private final String node;

    public SubscriptionResource(Services services, String node) {
        this.services = services;
        this.node = node;
    }

    @GET
    @ApiDoc(summary = "Subscriptions, filtered and paged",
            query = {"page", "limit", "clientid", "topic", "qos", "share_group", "match_topic"})
    public JsonObject subscriptions(@QueryParam("page") String page, @QueryParam("limit") String limit,
                                    @QueryParam("clientid") String clientId, @QueryParam("topic") String topic,
                                    @QueryParam("qos") String qosParam, @QueryParam("share_group") String group,
                                    @QueryParam("match_topic") String matchTopic) {
        Page paging = Page.of(page, limit);
        int qos = QueryParams.integer("qos", qosParam, -1, 0, 2);
        if (matchTopic != null) {
            TopicNames.validName("match_topic", matchTopic);
        }
        List<SubscriptionInfo> out = new ArrayList<>();
        for (SubscriptionInfo s : services.broker().subscriptions(TenantScope.current())) {
            if ((clientId == null || clientId.equals(s.clientId()))
                    && (topic == null || topic.equals(s.topicFilter()))
                    && (qos < 0 || qos == s.options().qos())
                    && (group == null || group.equals(s.shareGroup()))
                    && (matchTopic == null || matches(plainFilter(s), matchTopic))) {
                out.add(s);
            }
        }
        return paging.answer(out, s -> MessageJson.subscription(s, node));
    }

    /** The filter without "$share/{group}/", as EMQX lists routes. */
    static String plainFilter(SubscriptionInfo s) {
        String f = s.topicFilter();
        if (s.shareGroup() != null && f.startsWith("$share/")) {
            return f.substring("$share/".length() + s.shareGroup().length() + 1);
        }
        return f;
    }

    static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        if (topic.startsWith("$") && (f[0].equals("+") || f[0].equals("#"))) {
            return false;
        }
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
