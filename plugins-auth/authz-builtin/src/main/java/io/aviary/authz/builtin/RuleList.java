package io.aviary.authz.builtin;

import io.aviary.api.auth.AclRuleStore.Rule;
import io.aviary.api.auth.Action;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import io.aviary.auth.jwt.acl.AclClaim;
import java.util.List;

/**
 * One user's, one client's or the all-clients rules, as stored and compiled once (on write) into
 * auth-jwt's matcher, which checks EMQX's rule shape in order, first match wins, no match IGNORE;
 * topics with {@code ${username}} / {@code ${clientid}} placeholders or {@code eq } exact match.
 */
record RuleList(List<Rule> rules, AclClaim compiled) {

    static RuleList of(List<Rule> rules) {
        List<Rule> copy = List.copyOf(rules);
        return new RuleList(copy, AclClaim.parse(RuleCodec.toJson(copy).toString()));
    }

    Decision decide(ClientInfo client, Action action, String topic, int qos, boolean retain) {
        return compiled.decide(client, action, topic, qos, retain);
    }
}
