package io.aviary.api.tenant;

/** A tenant's state: an active tenant's clients connect; a suspended one's are disconnected and refused. */
public enum TenantState {
    ACTIVE,
    SUSPENDED
}
