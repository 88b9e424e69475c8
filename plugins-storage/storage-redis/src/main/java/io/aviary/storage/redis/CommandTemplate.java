package io.aviary.storage.redis;

import io.aviary.api.rules.Templates;
import io.aviary.api.rules.TextTemplate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * A redis action's {@code command_template} (EMQX 5: a list such as ["HSET", "${clientid}",
 * "temp", "${payload.temp}"]), each element a template rendered per record into one argument. The
 * second element is the key, which routes the command to its slot in cluster mode.
 */
final class CommandTemplate {
    private final List<TextTemplate> parts;

    CommandTemplate(Templates templates, Map<String, Object> parameters) {
        Object v = parameters.get("command_template");
        if (!(v instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("field 'parameters.command_template' must be a non-empty list of templates");
        }
        parts = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s) || s.isEmpty()) {
                throw new IllegalArgumentException("field 'parameters.command_template[" + i + "]' must be a non-empty string");
            }
            try {
                parts.add(templates.text(s));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("field 'parameters.command_template[" + i + "]': " + e.getMessage(), e);
            }
        }
    }

    CommandArguments render(Map<String, Object> record) {
        CommandArguments args = new CommandArguments(new Command(parts.get(0).renderBytes(record)));
        for (int i = 1; i < parts.size(); i++) {
            byte[] arg = parts.get(i).renderBytes(record);
            if (i == 1) {
                args.key(arg);
            } else {
                args.add(arg);
            }
        }
        return args;
    }

    /** Any command name, as Redis will read it (Jedis's enum knows only the commands of its version). */
    private record Command(byte[] raw) implements ProtocolCommand {
        @Override
        public byte[] getRaw() {
            return raw;
        }

        @Override
        public String toString() {
            return new String(raw, StandardCharsets.UTF_8);
        }
    }
}
