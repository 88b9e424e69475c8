package io.aviary.auth.mongodb;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The credentials a user document holds, read as EMQX reads them: the hash must be a string; a
 * missing or null salt is the empty salt; {@code is_superuser} may be a boolean, 0/1 or the strings
 * "true"/"false"/"1"/"0" (anything else is false).
 */
record StoredUser(String passwordHash, String salt, boolean superuser) {

    /** The configured field names ({@code password_hash_field}, {@code salt_field}, {@code is_superuser_field}). */
    record Fields(String passwordHash, String salt, String superuser) {
    }

    static StoredUser of(BsonDocument doc, Fields fields) {
        BsonValue hash = doc.get(fields.passwordHash());
        BsonValue salt = doc.get(fields.salt());
        return new StoredUser(hash != null && hash.isString() ? hash.asString().getValue() : null,
                salt != null && salt.isString() ? salt.asString().getValue() : "", superuser(doc.get(fields.superuser())));
    }

    static boolean superuser(BsonValue v) {
        if (v == null) {
            return false;
        }
        if (v.isBoolean()) {
            return v.asBoolean().getValue();
        }
        if (v.isNumber()) {
            return v.asNumber().doubleValue() == 1;
        }
        return v.isString() && (v.asString().getValue().equals("true") || v.asString().getValue().equals("1"));
    }
}
