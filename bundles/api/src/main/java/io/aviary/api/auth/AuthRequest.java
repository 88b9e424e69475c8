package io.aviary.api.auth;

import io.aviary.api.client.ClientInfo;
import java.nio.ByteBuffer;

/**
 * What a client presented to authenticate.
 *
 * @param password   raw password bytes, or null
 * @param authMethod MQTT 5 enhanced authentication method, or null
 * @param authData   enhanced authentication data of the current step, or null
 */
public record AuthRequest(ClientInfo client, String username, byte[] password, String authMethod, ByteBuffer authData) {
}
