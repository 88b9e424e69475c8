package io.aviary.api.tenant;

/**
 * One tenant's metered usage in one clock hour (UTC), what EMQX Cloud Serverless bills.
 *
 * @param hourStart      epoch ms of the hour's start
 * @param sessionMinutes minutes of sessions held (connected or persistent), summed over sessions
 * @param bytesIn        application message bytes (topic and payload) received from its clients
 * @param bytesOut       application message bytes delivered to its clients
 * @param ruleActions    rule actions run (republish, data integration, ...), successful or not
 */
public record UsageHour(long hourStart, double sessionMinutes, long bytesIn, long bytesOut, long ruleActions) {

    public UsageHour(long hourStart, double sessionMinutes, long bytesIn, long bytesOut) {
        this(hourStart, sessionMinutes, bytesIn, bytesOut, 0);
    }
}
