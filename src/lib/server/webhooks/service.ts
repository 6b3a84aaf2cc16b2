import { createHmac, randomBytes } from 'node:crypto';
import type { Queryable, Sql, TransactionSql } from '../db';
import { inTransaction } from '../db/transaction';
import { enqueue } from '../jobs';

/** The events Retour sends to a shop. */
export const WEBHOOK_EVENTS = ['exchange.order_requested', 'credit.issued', 'return.accepted'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookEndpoint {
	id: string;
	url: string;
	events: string[];
	active: boolean;
	createdAt: Date;
}

export interface WebhookDelivery {
	id: string;
	endpointId: string;
	url: string;
	eventType: string;
	payload: unknown;
	status: 'pending' | 'delivered' | 'failed';
	attempts: number;
	responseStatus: number | null;
	responseBody: string | null;
	error: string | null;
	createdAt: Date;
	deliveredAt: Date | null;
}

export class WebhookError extends Error {
	constructor(
		readonly code: 'invalid_url' | 'invalid_events' | 'not_found',
		message: string,
		readonly field?: string
	) {
		super(message);
		this.name = 'WebhookError';
	}
}

/**
 * The signature header a shop checks: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>`,
 * the scheme Stripe uses, so shops can reuse what they know. Reject a timestamp older than five minutes.
 */
export function signWebhook(secret: string, body: string, timestamp: number): string {
	const v1 = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
	return `t=${timestamp},v1=${v1}`;
}

export async function addWebhookEndpoint(
	sql: Queryable,
	shopId: string,
	input: { url: string; events?: string[] }
): Promise<WebhookEndpoint & { secret: string }> {
	let url: URL;
	try {
		url = new URL(input.url.trim());
	} catch {
		throw new WebhookError('invalid_url', 'Enter the full address of your endpoint, like https://shop.example/retour-webhooks', 'url');
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WebhookError('invalid_url', 'The address must start with https://', 'url');
	const events = input.events ?? [];
	const unknown = events.filter((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e));
	if (unknown.length) throw new WebhookError('invalid_events', `Unknown events: ${unknown.join(', ')} (known: ${WEBHOOK_EVENTS.join(', ')})`, 'events');
	const secret = `whsec_${randomBytes(24).toString('hex')}`;
	const [row] = await sql<{ id: string; created_at: Date }[]>`
		insert into webhook_endpoints (shop_id, url, secret, events) values (${shopId}, ${url.toString()}, ${secret}, ${events})
		returning id, created_at`;
	return { id: row.id, url: url.toString(), events, active: true, createdAt: row.created_at, secret };
}

/** Queues an event for each of the shop's active endpoints that wants it, in the caller's transaction. */
export async function queueWebhook(tx: TransactionSql, shopId: string, type: WebhookEvent, data: Record<string, unknown>): Promise<number> {
	const endpoints = await tx<{ id: string }[]>`
		select id from webhook_endpoints
		where shop_id = ${shopId} and active and (cardinality(events) = 0 or ${type} = any(events))`;
	for (const endpoint of endpoints) {
		const [d] = await tx<{ id: string }[]>`
			insert into webhook_deliveries (shop_id, endpoint_id, event_type, payload)
			values (${shopId}, ${endpoint.id}, ${type}, ${tx.json(data as never)}) returning id`;
		await enqueue(tx, 'webhook-deliver', { deliveryId: d.id });
	}
	return endpoints.length;
}

/**
 * The delivery job: POSTs the signed event; any 2xx is delivered. Other answers and network errors are kept
 * on the row for the admin to read and retried with backoff; the last attempt marks it failed (replayable).
 * The body carries the delivery's id: a shop that receives it twice (a lost answer) can tell.
 */
export async function deliverWebhook(
	sql: Sql,
	deliveryId: string,
	options: { lastAttempt: boolean; fetch?: typeof fetch; timeoutMs?: number; now?: () => Date }
): Promise<'delivered' | 'failed' | 'pending'> {
	const [d] = await sql<{ status: string; url: string; secret: string; event_type: string; payload: unknown; created_at: Date; active: boolean }[]>`
		select d.status, e.url, e.secret, e.active, d.event_type, d.payload, d.created_at
		from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id where d.id = ${deliveryId}`;
	if (!d || d.status === 'delivered') return 'delivered';
	if (!d.active) {
		// Disabled since it was queued: nothing is sent; "Send again" once it is enabled.
		await sql`update webhook_deliveries set status = 'failed', error = 'The endpoint is disabled', updated_at = now() where id = ${deliveryId}`;
		return 'failed';
	}
	const now = (options.now ?? (() => new Date()))();
	const body = JSON.stringify({ id: deliveryId, type: d.event_type, created: d.created_at.toISOString(), data: d.payload });
	let status: number | null = null;
	let responseBody: string | null = null;
	let error: string | null = null;
	try {
		const response = await (options.fetch ?? fetch)(d.url, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'user-agent': 'Retour-Webhooks/1',
				'retour-event': d.event_type,
				'retour-delivery': deliveryId,
				'retour-signature': signWebhook(d.secret, body, Math.floor(now.getTime() / 1000))
			},
			body,
			signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
			redirect: 'manual'
		});
		status = response.status;
		responseBody = (await response.text().catch(() => '')).slice(0, 2000);
		if (status < 200 || status >= 300) error = `The endpoint answered ${status}`;
	} catch (e) {
		error = e instanceof Error ? (e.name === 'TimeoutError' ? 'The endpoint did not answer in time' : e.message) : String(e);
	}
	const outcome = error === null ? 'delivered' : options.lastAttempt ? 'failed' : 'pending';
	await sql`
		update webhook_deliveries set status = ${outcome}, attempts = attempts + 1, response_status = ${status},
			response_body = ${responseBody}, error = ${error}, updated_at = now(),
			delivered_at = ${outcome === 'delivered' ? now : null}
		where id = ${deliveryId}`;
	if (outcome === 'pending') throw new Error(error ?? 'webhook not delivered');
	return outcome;
}

/** The admin's delivery log, newest first. */
export async function listDeliveries(sql: Queryable, shopId: string, limit = 100): Promise<WebhookDelivery[]> {
	const rows = await sql<
		{
			id: string;
			endpoint_id: string;
			url: string;
			event_type: string;
			payload: unknown;
			status: WebhookDelivery['status'];
			attempts: number;
			response_status: number | null;
			response_body: string | null;
			error: string | null;
			created_at: Date;
			delivered_at: Date | null;
		}[]
	>`
		select d.id, d.endpoint_id, e.url, d.event_type, d.payload, d.status, d.attempts, d.response_status, d.response_body,
			d.error, d.created_at, d.delivered_at
		from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
		where d.shop_id = ${shopId} order by d.created_at desc, d.id limit ${limit}`;
	return rows.map((r) => ({
		id: r.id,
		endpointId: r.endpoint_id,
		url: r.url,
		eventType: r.event_type,
		payload: r.payload,
		status: r.status,
		attempts: r.attempts,
		responseStatus: r.response_status,
		responseBody: r.response_body,
		error: r.error,
		createdAt: r.created_at,
		deliveredAt: r.delivered_at
	}));
}

/** Sends a delivery again (the admin's replay): pending, with a new job. */
export async function replayDelivery(sql: Queryable, shopId: string, deliveryId: string): Promise<void> {
	if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(deliveryId)) {
		throw new WebhookError('not_found', 'This delivery does not exist');
	}
	await inTransaction(sql, async (tx) => {
		const [d] = await tx<{ id: string }[]>`
			update webhook_deliveries set status = 'pending', updated_at = now()
			where shop_id = ${shopId} and id = ${deliveryId} returning id`;
		if (!d) throw new WebhookError('not_found', 'This delivery does not exist');
		await enqueue(tx, 'webhook-deliver', { deliveryId });
	});
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The shop's endpoints for the admin, oldest first; the signing secret is shown once, at creation, never again. */
export async function listWebhookEndpoints(sql: Queryable, shopId: string): Promise<WebhookEndpoint[]> {
	const rows = await sql<{ id: string; url: string; events: string[]; active: boolean; created_at: Date }[]>`
		select id, url, events, active, created_at from webhook_endpoints where shop_id = ${shopId} order by created_at, id`;
	return rows.map((r) => ({ id: r.id, url: r.url, events: r.events, active: r.active, createdAt: r.created_at }));
}

/**
 * Stops (or resumes) queueing events for an endpoint. Its past deliveries stay in the log; a disabled endpoint
 * is kept rather than deleted so that log still says where each went.
 */
export async function setWebhookEndpointActive(sql: Queryable, shopId: string, id: string, active: boolean): Promise<WebhookEndpoint> {
	const [row] = UUID.test(id)
		? await sql<{ id: string; url: string; events: string[]; active: boolean; created_at: Date }[]>`
				update webhook_endpoints set active = ${active} where shop_id = ${shopId} and id = ${id}
				returning id, url, events, active, created_at`
		: [];
	if (!row) throw new WebhookError('not_found', 'This endpoint does not exist');
	return { id: row.id, url: row.url, events: row.events, active: row.active, createdAt: row.created_at };
}
