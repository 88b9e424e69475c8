package io.aviary.authz.file;

import io.aviary.api.auth.Action;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import io.aviary.authz.file.AclRule.ActionSpec;
import io.aviary.authz.file.AclRule.Who;
import io.aviary.authz.file.Terms.Atom;
import io.aviary.authz.file.Terms.SyntaxError;
import io.aviary.authz.file.Terms.Tuple;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A tenant's compiled rule file, in EMQX's acl.conf syntax (docs/auth.md):
 * <pre>
 * {allow, {username, "dashboard"}, subscribe, ["$SYS/#"]}.
 * {allow, {ipaddr, "127.0.0.1"}, all, ["$SYS/#", "#"]}.
 * {allow, all, publish, ["devices/${clientid}/#"]}.
 * {deny, all, subscribe, ["$SYS/#", {eq, "#"}]}.
 * {allow, all}.
 * </pre>
 * Rules are checked in order and the first whose who, action and topics match decides; when
 * none matches the answer is IGNORE (the next source, then the tenant's no_match default). Any
 * error in the text refuses the whole file, naming the line, so a typo never opens a topic.
 */
final class AclRules {
    private final List<AclRule> rules;

    private AclRules(List<AclRule> rules) {
        this.rules = rules;
    }

    int size() {
        return rules.size();
    }

    Decision decide(ClientInfo client, Action action, String topic, int qos, boolean retain) {
        for (AclRule rule : rules) {
            if (rule.matches(client, action, topic, qos, retain)) {
                return rule.permission();
            }
        }
        return Decision.IGNORE;
    }

    static AclRules parse(String text) {
        List<AclRule> rules = new ArrayList<>();
        for (Tuple t : Terms.parse(text)) {
            rules.add(rule(t));
        }
        return new AclRules(List.copyOf(rules));
    }

    private static AclRule rule(Tuple t) {
        int line = t.line();
        if (t.size() != 2 && t.size() != 4) {
            throw new SyntaxError(line, "a rule is {Permission, Who, Action, Topics} or {Permission, all}");
        }
        Decision permission = switch (atom(t.get(0), line, "permission")) {
            case "allow" -> Decision.ALLOW;
            case "deny" -> Decision.DENY;
            default -> throw new SyntaxError(line, "permission must be allow or deny, not " + t.get(0));
        };
        if (t.size() == 2) {
            if (!"all".equals(atom(t.get(1), line, "who"))) {
                throw new SyntaxError(line, "a two-element rule is {allow, all} or {deny, all}");
            }
            return new AclRule(permission, c -> true, new ActionSpec(true, true, 7, null),
                    List.of(new TopicPattern("#", false)), line);
        }
        Who who = who(t.get(1), line);
        ActionSpec action = action(t.get(2), line);
        if (!(t.get(3) instanceof List<?> topicList) || topicList.isEmpty()) {
            throw new SyntaxError(line, "topics must be a non-empty list, e.g. [\"a/#\", {eq, \"#\"}]");
        }
        List<TopicPattern> topics = new ArrayList<>();
        for (Object topic : topicList) {
            topics.add(topic(topic, line));
        }
        return new AclRule(permission, who, action, List.copyOf(topics), line);
    }

    private static Who who(Object term, int line) {
        if (term instanceof Atom a) {
            if (a.name().equals("all")) {
                return c -> true;
            }
            throw new SyntaxError(line, "who must be all or a tuple, not " + a);
        }
        if (!(term instanceof Tuple t) || t.size() != 2) {
            throw new SyntaxError(line, "who must be all, {username, ..}, {clientid, ..}, {ipaddr, ..},"
                    + " {ipaddrs, [..]}, {'and', [..]} or {'or', [..]}");
        }
        String kind = atom(t.get(0), line, "who");
        Object value = t.get(1);
        switch (kind) {
            case "username", "user" -> {
                Matcher m = text(value, line, kind);
                return c -> c.username() != null && m.test(c.username());
            }
            case "clientid", "client" -> {
                Matcher m = text(value, line, kind);
                return c -> m.test(c.clientId());
            }
            case "ipaddr" -> {
                Cidr cidr = Cidr.parse(string(value, line, kind), line);
                return c -> cidr.contains(c);
            }
            case "ipaddrs" -> {
                List<Cidr> blocks = new ArrayList<>();
                for (Object o : list(value, line, kind)) {
                    blocks.add(Cidr.parse(string(o, line, kind), line));
                }
                return c -> blocks.stream().anyMatch(b -> b.contains(c));
            }
            case "and", "or" -> {
                List<Who> parts = new ArrayList<>();
                for (Object o : list(value, line, kind)) {
                    parts.add(who(o, line));
                }
                return kind.equals("and") ? c -> parts.stream().allMatch(w -> w.matches(c))
                        : c -> parts.stream().anyMatch(w -> w.matches(c));
            }
            default -> throw new SyntaxError(line, "unknown who '" + kind + "'");
        }
    }

    /** A string compared exactly, or {re, "regex"} matched against the whole value. */
    private interface Matcher {
        boolean test(String value);
    }

    private static Matcher text(Object value, int line, String what) {
        if (value instanceof Tuple re && re.size() == 2 && re.get(0) instanceof Atom a && a.name().equals("re")) {
            try {
                Pattern p = Pattern.compile(string(re.get(1), line, what));
                return v -> p.matcher(v).matches();
            } catch (PatternSyntaxException e) {
                throw new SyntaxError(line, "bad regular expression for " + what + ": " + e.getDescription());
            }
        }
        String exact = string(value, line, what);
        return exact::equals;
    }

    private static ActionSpec action(Object term, int line) {
        if (term instanceof Atom a) {
            return kind(a.name(), line, 7, null);
        }
        if (term instanceof Tuple t && t.size() == 2 && t.get(0) instanceof Atom a && t.get(1) instanceof List<?> opts) {
            int mask = 7;
            Boolean retain = null;
            for (Object o : opts) {
                if (!(o instanceof Tuple opt) || opt.size() != 2) {
                    throw new SyntaxError(line, "action options are {qos, ..} and {retain, ..}");
                }
                switch (atom(opt.get(0), line, "action option")) {
                    case "qos" -> mask = qosMask(opt.get(1), line);
                    case "retain" -> {
                        String r = opt.get(1) instanceof Atom ra ? ra.name() : String.valueOf(opt.get(1));
                        retain = switch (r) {
                            case "true" -> Boolean.TRUE;
                            case "false" -> Boolean.FALSE;
                            case "all" -> null;
                            default -> throw new SyntaxError(line, "retain must be true, false or all");
                        };
                    }
                    default -> throw new SyntaxError(line, "action options are {qos, ..} and {retain, ..}");
                }
            }
            return kind(a.name(), line, mask, retain);
        }
        throw new SyntaxError(line, "action must be publish, subscribe, all or {Action, [{qos, ..}, {retain, ..}]}");
    }

    private static ActionSpec kind(String name, int line, int mask, Boolean retain) {
        return switch (name) {
            case "publish" -> new ActionSpec(true, false, mask, retain);
            case "subscribe" -> new ActionSpec(false, true, mask, retain);
            case "all" -> new ActionSpec(true, true, mask, retain);
            default -> throw new SyntaxError(line, "action must be publish, subscribe or all, not " + name);
        };
    }

    private static int qosMask(Object value, int line) {
        List<?> levels = value instanceof List<?> l ? l : List.of(value);
        int mask = 0;
        for (Object q : levels) {
            if (!(q instanceof Long n) || n < 0 || n > 2) {
                throw new SyntaxError(line, "qos must be 0, 1, 2 or a list of them");
            }
            mask |= 1 << n;
        }
        return mask;
    }

    private static TopicPattern topic(Object term, int line) {
        if (term instanceof String s) {
            checkTopic(s, line);
            return new TopicPattern(s, false);
        }
        if (term instanceof Tuple t && t.size() == 2 && t.get(0) instanceof Atom a && a.name().equals("eq")) {
            String s = string(t.get(1), line, "eq");
            checkTopic(s, line);
            return new TopicPattern(s, true);
        }
        throw new SyntaxError(line, "a topic is a string or {eq, \"topic\"}");
    }

    private static void checkTopic(String s, int line) {
        if (s.isEmpty()) {
            throw new SyntaxError(line, "empty topic");
        }
        String[] words = s.split("/", -1);
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if ((w.contains("#") && (!w.equals("#") || i != words.length - 1)) || (w.contains("+") && !w.equals("+"))) {
                throw new SyntaxError(line, "bad topic filter '" + s + "'");
            }
        }
    }

    private static String atom(Object term, int line, String what) {
        if (term instanceof Atom a) {
            return a.name();
        }
        throw new SyntaxError(line, what + " must be an atom, not " + term);
    }

    private static String string(Object term, int line, String what) {
        if (term instanceof String s) {
            return s;
        }
        throw new SyntaxError(line, what + " needs a \"string\", not " + term);
    }

    private static List<?> list(Object term, int line, String what) {
        if (term instanceof List<?> l) {
            return l;
        }
        throw new SyntaxError(line, what + " needs a [list]");
    }

    /** An address or CIDR block, parsed without any DNS look-up. */
    record Cidr(byte[] network, int bits) {
        static Cidr parse(String text, int line) {
            int slash = text.indexOf('/');
            String host = slash < 0 ? text : text.substring(0, slash);
            if (host.isEmpty() || !host.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 || ch == '.' || ch == ':')
                    || (host.indexOf(':') < 0 && host.split("\\.", -1).length != 4)) {
                throw new SyntaxError(line, "not an IP address: " + text);
            }
            try {
                byte[] address = InetAddress.getByName(host).getAddress();
                int bits = slash < 0 ? address.length * 8 : Integer.parseInt(text.substring(slash + 1));
                if (bits < 0 || bits > address.length * 8) {
                    throw new SyntaxError(line, "bad prefix length in " + text);
                }
                return new Cidr(address, bits);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new SyntaxError(line, "not an IP address or CIDR block: " + text);
            }
        }

        boolean contains(ClientInfo client) {
            if (client.peerAddress() == null || client.peerAddress().getAddress() == null) {
                return false;
            }
            byte[] a = client.peerAddress().getAddress().getAddress();
            if (a.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((a[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
