package io.aviary.authz.builtin;

import io.aviary.api.auth.AclRuleStore.Who;
import io.aviary.api.auth.Action;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import java.util.Map;

/**
 * One tenant's rules at one moment, immutable, so a check reads them without a lock while the
 * admin API replaces the whole set. The order of a check is EMQX's (emqx_authz_mnesia): the
 * client's own rules, then the user's, then the rules for all clients; the first rule that
 * matches decides, and when none does the source IGNOREs (the next source, then no_match).
 *
 * @param all the all-clients rules, empty when there are none
 */
record RuleSet(Map<String, RuleList> users, Map<String, RuleList> clients, RuleList all) {
    static final RuleSet EMPTY = new RuleSet(Map.of(), Map.of(), RuleList.of(java.util.List.of()));

    RuleSet {
        users = Map.copyOf(users);
        clients = Map.copyOf(clients);
    }

    Map<String, RuleList> of(Who who) {
        return who == Who.USERNAME ? users : clients;
    }

    RuleSet with(Who who, Map<String, RuleList> lists) {
        return who == Who.USERNAME ? new RuleSet(lists, clients, all) : new RuleSet(users, lists, all);
    }

    RuleSet withAll(RuleList rules) {
        return new RuleSet(users, clients, rules);
    }

    Decision decide(ClientInfo client, Action action, String topic, int qos, boolean retain) {
        RuleList own = clients.get(client.clientId());
        Decision d = own == null ? Decision.IGNORE : own.decide(client, action, topic, qos, retain);
        if (d == Decision.IGNORE && client.username() != null) {
            RuleList user = users.get(client.username());
            d = user == null ? Decision.IGNORE : user.decide(client, action, topic, qos, retain);
        }
        return d == Decision.IGNORE ? all.decide(client, action, topic, qos, retain) : d;
    }

    int size() {
        return users.values().stream().mapToInt(l -> l.rules().size()).sum()
                + clients.values().stream().mapToInt(l -> l.rules().size()).sum() + all.rules().size();
    }
}
