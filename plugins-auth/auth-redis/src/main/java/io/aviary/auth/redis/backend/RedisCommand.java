package io.aviary.auth.redis.backend;

import io.aviary.api.client.ClientInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EMQX's {@code cmd}: a Redis command line such as {@code HMGET mqtt_user:${username} password_hash
 * salt is_superuser}, split into words once, when the instance is configured. Each word is one
 * argument of the command; its placeholders are filled in per client and the result stays one
 * argument (never split again, never parsed by Redis as anything but a key or field name), so a
 * user name holding spaces, {@code *} or quotes cannot add arguments or reach another key. Only the
 * read-only hash commands an instance needs are accepted.
 */
public final class RedisCommand {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.]+)}");
    private static final Set<String> KNOWN = Set.of("username", "clientid", "peerhost", "cert_common_name",
            "cert_subject", "listener");

    private final String name;
    private final List<String> args;

    private RedisCommand(String name, List<String> args) {
        this.name = name;
        this.args = List.copyOf(args);
    }

    /**
     * @param allowed the command names accepted (upper case), with the fewest arguments each needs
     * @throws IllegalArgumentException "cmd: ..." (the platform answers 400 naming config.cmd)
     */
    public static RedisCommand parse(String cmd, Map<String, Integer> allowed) {
        if (cmd == null || cmd.isBlank()) {
            throw new IllegalArgumentException("cmd: must not be empty");
        }
        List<String> words = new ArrayList<>(List.of(cmd.trim().split("\\s+")));
        String name = words.remove(0).toUpperCase(Locale.ROOT);
        Integer least = allowed.get(name);
        if (least == null) {
            throw new IllegalArgumentException("cmd: " + name + " is not supported; use " + String.join(" or ",
                    allowed.keySet().stream().sorted().toList()));
        }
        if (words.size() < least) {
            throw new IllegalArgumentException("cmd: " + name + " needs a key" + (least > 1 ? " and a field" : ""));
        }
        for (String w : words) {
            Matcher m = PLACEHOLDER.matcher(w);
            while (m.find()) {
                String p = m.group(1);
                if (!KNOWN.contains(p) && !p.startsWith("client_attrs.")) {
                    throw new IllegalArgumentException("cmd: unknown placeholder ${" + p + "}");
                }
            }
        }
        return new RedisCommand(name, words);
    }

    public String name() {
        return name;
    }

    /** The arguments as configured (the key first), placeholders unfilled. */
    public List<String> template() {
        return args;
    }

    /** The arguments for this client: each configured word with its placeholders filled in, still one argument. */
    public String[] render(ClientInfo client) {
        String[] out = new String[args.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = fill(args.get(i), client);
        }
        return out;
    }

    static String fill(String word, ClientInfo client) {
        if (word.indexOf("${") < 0) {
            return word;
        }
        Matcher m = PLACEHOLDER.matcher(word);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(value(m.group(1), client)));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** A missing value renders empty (a key that is not there: the client is ignored). */
    private static String value(String placeholder, ClientInfo c) {
        String v = switch (placeholder) {
            case "username" -> c.username();
            case "clientid" -> c.clientId();
            case "peerhost" -> c.peerAddress() == null ? null : c.peerHost();
            case "cert_common_name" -> c.certCommonName();
            case "cert_subject" -> c.certSubject();
            case "listener" -> c.listener();
            default -> placeholder.startsWith("client_attrs.")
                    ? c.attributes().get(placeholder.substring("client_attrs.".length())) : null;
        };
        return v == null ? "" : v;
    }
}
