package io.aviary.admin.rest;

import io.aviary.admin.error.ApiException;
import io.aviary.api.broker.Ban;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * GET /banned's filters, as EMQX has them: an exact {@code clientid}, {@code username} or
 * {@code peerhost}, or a regular expression found in the entry ({@code like_clientid} also
 * matches clientid_re entries, {@code like_username} username_re ones). Filters exclude each
 * other, so at most one is allowed (EMQX: too_many_filters).
 */
final class BanFilter {

    private static final Map<String, List<Ban.As>> KINDS = Map.of(
            "clientid", List.of(Ban.As.CLIENTID),
            "username", List.of(Ban.As.USERNAME),
            "peerhost", List.of(Ban.As.PEERHOST),
            "like_clientid", List.of(Ban.As.CLIENTID, Ban.As.CLIENTID_RE),
            "like_username", List.of(Ban.As.USERNAME, Ban.As.USERNAME_RE),
            "like_peerhost", List.of(Ban.As.PEERHOST),
            "like_peerhost_net", List.of(Ban.As.PEERHOST_NET));

    private BanFilter() {
    }

    static Predicate<Ban> of(MultivaluedMap<String, String> query) {
        List<String> given = KINDS.keySet().stream().filter(query::containsKey).sorted().toList();
        if (given.isEmpty()) {
            return ban -> true;
        }
        if (given.size() > 1) {
            throw ApiException.badRequest("too_many_filters: use one of " + String.join(", ", given) + " at a time");
        }
        String name = given.get(0);
        String value = query.getFirst(name);
        if (value == null || value.isEmpty()) {
            throw ApiException.badRequest("query parameter '" + name + "' must not be empty");
        }
        List<Ban.As> kinds = KINDS.get(name);
        if (!name.startsWith("like_")) {
            return ban -> kinds.contains(ban.as()) && ban.who().equals(value);
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw ApiException.badRequest("query parameter '" + name + "' is not a regular expression: "
                    + e.getDescription());
        }
        return ban -> kinds.contains(ban.as()) && pattern.matcher(ban.who()).find();
    }
}
