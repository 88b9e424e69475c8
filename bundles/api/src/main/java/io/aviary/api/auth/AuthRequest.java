package io.aviary.api.auth;

import io.aviary.api.client.ClientInfo;
import java.nio.ByteBuffer;

/**
 * What a client presented to authenticate.
 *
 * @param username   the user name as the client's tenant sees it: without the {@code @tenant} suffix that
 *                   chose the tenant (or the certificate's CN/DN with peer_cert_as_username); null if none
 * @param password   raw password bytes, or null
 * @param authMethod MQTT 5 enhanced authentication method, or null
 * @param authData   enhanced authentication data of the current step, or null
 */
public record AuthRequest(ClientInfo client, String username, byte[] password, String authMethod, ByteBuffer authData) {
}
