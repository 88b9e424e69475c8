package io.aviary.admin.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EMQX's api_key.bootstrap_file: one {@code api_key:api_secret[:role]} per line (role
 * administrator when absent; blank lines and # comments ignored), loaded into the key store at
 * every start so an operator can provision keys before the first boot. A bad line is logged
 * with its number and skipped; the others still load.
 */
public final class BootstrapKeys {

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapKeys.class);
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final int MIN_SECRET = 3;

    private BootstrapKeys() {
    }

    /** Returns how many keys the file provided. */
    public static int load(Path file, ApiKeyStore store) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.error("admin api: cannot read api_key.bootstrap_file {}: {}", file, e.toString());
            return 0;
        }
        int loaded = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(":", -1);
            String problem = problem(parts);
            if (problem != null) {
                LOG.error("admin api: {} line {}: {}; line skipped", file, i + 1, problem);
                continue;
            }
            Role role = parts.length == 3 ? Role.parse(parts[2]).orElseThrow() : Role.ADMINISTRATOR;
            store.bootstrap(parts[0], parts[1], role);
            loaded++;
        }
        LOG.info("admin api: {} api key(s) from bootstrap file {}", loaded, file);
        return loaded;
    }

    private static String problem(String[] parts) {
        if (parts.length < 2 || parts.length > 3) {
            return "expected api_key:api_secret[:role]";
        }
        if (!KEY.matcher(parts[0]).matches()) {
            return "the api_key must be 1-128 letters, digits, '-' or '_'";
        }
        if (parts[1].length() < MIN_SECRET) {
            return "the api_secret must be at least " + MIN_SECRET + " characters";
        }
        if (parts.length == 3 && Role.parse(parts[2]).isEmpty()) {
            return "the role must be administrator, viewer or publisher";
        }
        return null;
    }
}
