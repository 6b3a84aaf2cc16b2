/**
 * The queues of side effects and what each job carries. Every job is enqueued in the transaction of the change
 * that calls for it, and every handler is safe to run twice: a crash after the side effect but before the job
 * is marked done runs it again, and the handler finds the work already done.
 */
export interface JobPayloads {
	/** Makes the return's label (built-in PDF or the carrier's) and tells the customer. */
	'label-create': { shopId: string; returnId: string };
	/** Cancels a carrier's label that will not be used (the return was cancelled or rejected). */
	'label-cancel': { shopId: string; returnId: string };
	/** Pays a refund row through Stripe, or reconciles it with what Stripe already did. */
	'refund-send': { shopId: string; refundId: string };
	/** Starts an accepted return's exchanges: the replacement order to the shop, or a payment for the difference. */
	'exchange-start': { shopId: string; returnId: string };
	/** Sends one stored email through SMTP (without SMTP_URL it stays in the outbox). */
	'email-send': { emailId: string };
	/** Writes off the rest of store credit past its expiry date (a daily schedule). */
	'credit-expire': Record<string, never>;
	/** Posts one signed webhook to the shop. */
	'webhook-deliver': { deliveryId: string };
}

export type QueueName = keyof JobPayloads;

export interface QueueSettings {
	/** Retries after the first attempt. */
	retryLimit: number;
	/** Seconds before the first retry; doubled each time (with jitter). */
	retryDelay: number;
	/** A job still active after this long is taken as lost (its process died) and run again. */
	expireInSeconds: number;
}

export const QUEUES: Record<QueueName, QueueSettings> = {
	'label-create': { retryLimit: 6, retryDelay: 20, expireInSeconds: 120 },
	'label-cancel': { retryLimit: 6, retryDelay: 60, expireInSeconds: 120 },
	'refund-send': { retryLimit: 8, retryDelay: 30, expireInSeconds: 90 },
	'exchange-start': { retryLimit: 8, retryDelay: 30, expireInSeconds: 90 },
	'email-send': { retryLimit: 6, retryDelay: 60, expireInSeconds: 120 },
	'credit-expire': { retryLimit: 3, retryDelay: 300, expireInSeconds: 900 },
	'webhook-deliver': { retryLimit: 10, retryDelay: 30, expireInSeconds: 60 }
};

export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

/** A job as a handler sees it. `attempt` counts from 1; `lastAttempt` is true when no retry follows a failure. */
export interface JobRun<N extends QueueName> {
	id: string;
	name: N;
	data: JobPayloads[N];
	attempt: number;
	lastAttempt: boolean;
}

export type JobHandlers = { [N in QueueName]: (job: JobRun<N>) => Promise<void> };
