package io.aviary.auth.sql;

import io.aviary.api.client.ClientInfo;
import java.util.HashMap;
import java.util.Map;

/** The values of EMQX's placeholders for one client (see {@link QueryTemplate#PLACEHOLDERS}); absent ones bind NULL. */
final class Placeholders {
    private Placeholders() {
    }

    static Map<String, String> of(ClientInfo client, String username) {
        Map<String, String> v = new HashMap<>();
        v.put("username", username);
        v.put("clientid", client.clientId());
        v.put("peerhost", client.peerAddress() == null ? null : client.peerHost());
        v.put("cert_common_name", client.certCommonName());
        v.put("cert_subject", client.certSubject());
        client.attributes().forEach((k, value) -> v.put("client_attrs." + k, value));
        return v;
    }
}
