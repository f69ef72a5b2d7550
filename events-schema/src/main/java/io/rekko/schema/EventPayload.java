package io.rekko.schema;

/**
 * What an event says, one record per event type. Sealed, so subscribers can switch over every event
 * type.
 */
public sealed interface EventPayload
    permits FaceRegistered,
        FaceVerified,
        FaceDeleted,
        TenantUpdated,
        TenantSuspended,
        TenantResumed,
        ApiKeyRevoked,
        TenantErased,
        CommandRejected {

  EventType type();
}
