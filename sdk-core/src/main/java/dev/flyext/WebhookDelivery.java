package dev.flyext;

/**
 * A webhook Fly accepted.
 *
 * @param webhook what was sent
 * @param status the 2xx status Fly answered
 * @param attempts how many attempts it took, the first included
 */
public record WebhookDelivery(PendingWebhook webhook, int status, int attempts) {}
