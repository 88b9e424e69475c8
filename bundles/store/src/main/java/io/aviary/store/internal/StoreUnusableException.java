package io.aviary.store.internal;

/** The store folder holds data this store cannot open (corrupted or another format): never wiped, refused. */
public final class StoreUnusableException extends RuntimeException {

    public StoreUnusableException(String message, Throwable cause) {
        super(message, cause);
    }
}
