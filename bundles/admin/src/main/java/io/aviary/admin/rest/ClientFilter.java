package io.aviary.admin.rest;

import io.aviary.admin.error.ApiException;
import io.aviary.api.broker.ClientSnapshot;
import io.aviary.api.client.ClientInfo;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * EMQX's GET /clients filters, parsed once into one predicate: exact username, ip_address,
 * conn_state, clean_start and proto_ver, substring like_clientid / like_username, and the
 * gte_/lte_ created_at and connected_at ranges (RFC 3339 or epoch milliseconds). A bad value is
 * a 400 that names the parameter.
 */
final class ClientFilter {

    private ClientFilter() {
    }

    static Predicate<ClientSnapshot> parse(MultivaluedMap<String, String> query) {
        Predicate<ClientSnapshot> p = s -> true;
        String username = query.getFirst("username");
        if (username != null) {
            p = p.and(s -> username.equals(s.client().username()));
        }
        String ip = query.getFirst("ip_address");
        if (ip != null) {
            p = p.and(s -> ip.equals(s.client().peerHost()));
        }
        String state = query.getFirst("conn_state");
        if (state != null) {
            boolean connected = switch (state) {
                case "connected" -> true;
                case "disconnected" -> false;
                default -> throw ApiException.badRequest(
                        "query parameter 'conn_state' must be \"connected\" or \"disconnected\"");
            };
            p = p.and(s -> s.connected() == connected);
        }
        String clean = query.getFirst("clean_start");
        if (clean != null) {
            boolean value = bool("clean_start", clean);
            p = p.and(s -> s.cleanStart() == value);
        }
        String protoVer = query.getFirst("proto_ver");
        if (protoVer != null) {
            int v = QueryParams.integer("proto_ver", protoVer, 0, 3, 5);
            p = p.and(s -> s.client().protocolVersion() == v);
        }
        p = like(p, query.getFirst("like_clientid"), ClientInfo::clientId);
        p = like(p, query.getFirst("like_username"), ClientInfo::username);
        p = range(p, query, "created_at", ClientSnapshot::createdAt);
        p = range(p, query, "connected_at", ClientSnapshot::connectedAt);
        return p;
    }

    private static Predicate<ClientSnapshot> like(Predicate<ClientSnapshot> p, String part,
                                                  java.util.function.Function<ClientInfo, String> field) {
        if (part == null) {
            return p;
        }
        return p.and(s -> {
            String value = field.apply(s.client());
            return value != null && value.contains(part);
        });
    }

    private static Predicate<ClientSnapshot> range(Predicate<ClientSnapshot> p, MultivaluedMap<String, String> query,
                                                   String field, java.util.function.ToLongFunction<ClientSnapshot> at) {
        String gte = query.getFirst("gte_" + field);
        if (gte != null) {
            long from = millis("gte_" + field, gte);
            p = p.and(s -> at.applyAsLong(s) >= from);
        }
        String lte = query.getFirst("lte_" + field);
        if (lte != null) {
            long to = millis("lte_" + field, lte);
            p = p.and(s -> at.applyAsLong(s) <= to);
        }
        return p;
    }

    static boolean bool(String name, String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw ApiException.badRequest("query parameter '" + name + "' must be true or false");
        }
    }

    /** EMQX takes RFC 3339 or epoch milliseconds (it also documents seconds; a 13-digit value is ms). */
    private static long millis(String name, String text) {
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit) && text.length() <= 15) {
            return Long.parseLong(text);
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (RuntimeException e) {
            throw ApiException.badRequest("query parameter '" + name
                    + "' must be an RFC 3339 date-time (2024-01-31T12:00:00Z) or epoch milliseconds");
        }
    }
}
