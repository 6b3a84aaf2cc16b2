import type { Config } from '../config';
import type { Sql } from '../db';
import { deliverQueuedEmail } from '../email';
import { startExchange } from '../exchanges/service';
import { expireCredits } from '../credit/ledger';
import { cancelCarrierLabel, makeReturnLabel, type LabelProviders } from '../labels/service';
import { processRefund } from '../refunds/service';
import type { StripeApi } from '../refunds/stripe';
import { deliverWebhook } from '../webhooks/service';
import type { JobHandlers } from './queues';

export interface JobDependencies {
	/** Null without STRIPE_SECRET_KEY: refunds fail visibly, for staff to pay another way. */
	stripe: StripeApi | null;
	labels: LabelProviders;
	/** SMTP_URL; undefined reads the configuration. */
	smtpUrl?: string | null;
	fetch?: typeof fetch;
}

/** Each queue's handler: the domain service that does the work, idempotent, given the providers it talks to. */
export function jobHandlers(sql: Sql, deps: JobDependencies): JobHandlers {
	return {
		'label-create': async (job) => void (await makeReturnLabel(sql, deps.labels, { ...job.data, lastAttempt: job.lastAttempt })),
		'label-cancel': async (job) => cancelCarrierLabel(sql, deps.labels, { ...job.data, lastAttempt: job.lastAttempt }),
		'refund-send': async (job) => void (await processRefund(sql, deps.stripe, { refundId: job.data.refundId, lastAttempt: job.lastAttempt })),
		'exchange-start': async (job) => startExchange(sql, deps.stripe, { ...job.data, lastAttempt: job.lastAttempt }),
		'email-send': async (job) => void (await deliverQueuedEmail(sql, job.data.emailId, { smtpUrl: deps.smtpUrl, lastAttempt: job.lastAttempt })),
		'credit-expire': async () => void (await expireCredits(sql)),
		'webhook-deliver': async (job) => void (await deliverWebhook(sql, job.data.deliveryId, { lastAttempt: job.lastAttempt, fetch: deps.fetch }))
	};
}

/** The providers this installation is configured for (STRIPE_*, SENDCLOUD_*, SMTP_URL). */
export async function configuredDependencies(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<JobDependencies> {
	const { createStripe } = await import('../refunds/stripe');
	const { builtinLabels } = await import('../labels/provider');
	const { sendcloudConfigFromEnv, sendcloudLabels } = await import('../labels/sendcloud');
	const sendcloud = sendcloudConfigFromEnv(env);
	return {
		stripe: config.stripe ? createStripe({ secretKey: config.stripe.secretKey, apiBase: config.stripe.apiBase }) : null,
		labels: { builtin: builtinLabels, sendcloud: sendcloud ? sendcloudLabels(sendcloud) : null },
		smtpUrl: config.smtpUrl ?? null
	};
}
