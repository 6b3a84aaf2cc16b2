import type Stripe from 'stripe';
import { returnLinkFor } from '../api/handler';
import { publicOrigin, readConfig } from '../config';
import type { Queryable, Sql, TransactionSql } from '../db';
import { inTransaction } from '../db/transaction';
import { enqueue } from '../jobs';
import { notifyReturn } from '../notifications/service';
import { requestRefund } from '../refunds/service';
import { classifyStripeError, type StripeApi } from '../refunds/stripe';
import { recordEvent, type Actor } from '../returns/events';
import { resolveLine } from '../returns/service';
import { queueWebhook } from '../webhooks/service';

export type ExchangeStatus = 'reserved' | 'awaiting_payment' | 'ordered' | 'shipped' | 'released';

/** A variant's stock less what exchanges hold for customers (reserved, or waiting for their payment). */
export const AVAILABLE_SQL = `v.inventory_quantity - coalesce((select sum(e.quantity) from exchanges e
	where e.variant_id = v.id and e.status in ('reserved', 'awaiting_payment')), 0)`;

export class ExchangeError extends Error {
	constructor(
		readonly code: 'out_of_stock' | 'currency_mismatch',
		message: string,
		readonly field?: string
	) {
		super(message);
		this.name = 'ExchangeError';
	}
}

export interface ExchangeRecord {
	id: string;
	returnLineId: string;
	variantId: string;
	variantTitle: string;
	productTitle: string;
	quantity: number;
	status: ExchangeStatus;
	priceDifference: number;
	currency: string;
	checkoutUrl: string | null;
}

/**
 * Holds the item the customer chose in exchange, in the transaction that creates the return: the variant row is
 * locked, so two customers cannot both get its last unit. The price difference is the new item's price less
 * what was paid for the returned units (the quote's share), positive when the customer owes it.
 */
export async function reserveExchanges(tx: TransactionSql, shopId: string, returnId: string): Promise<number> {
	const lines = await tx<{ id: string; order_line_id: string; quantity: number; variant_id: string }[]>`
		select id, order_line_id, quantity, exchange_variant_id as variant_id from return_lines
		where return_id = ${returnId} and exchange_variant_id is not null order by created_at, id`;
	if (lines.length === 0) return 0;
	const [r] = await tx<{ currency: string; quote: { lines: { orderLineId: string; amount: number }[] } | null }[]>`
		select currency, quote from returns where id = ${returnId}`;
	for (const [i, line] of lines.entries()) {
		const [v] = await tx<{ title: string; price_amount: number; currency: string; available: number }[]>`
			select v.title, v.price_amount, v.currency, ${tx.unsafe(AVAILABLE_SQL)} as available
			from variants v where v.shop_id = ${shopId} and v.id = ${line.variant_id} for update`;
		if (!v || v.available < line.quantity) {
			throw new ExchangeError('out_of_stock', `${v?.title ?? 'This item'} has just sold out: choose another option`, `lines[${i}].exchangeVariantId`);
		}
		if (v.currency.trim() !== r.currency.trim()) {
			throw new ExchangeError('currency_mismatch', `${v.title} is sold in ${v.currency.trim()}, the order was paid in ${r.currency.trim()}`, `lines[${i}].exchangeVariantId`);
		}
		const paid = r.quote?.lines.find((l) => l.orderLineId === line.order_line_id)?.amount ?? 0;
		await tx`
			insert into exchanges (shop_id, return_id, return_line_id, variant_id, quantity, price_difference, currency)
			values (${shopId}, ${returnId}, ${line.id}, ${line.variant_id}, ${line.quantity}, ${v.price_amount * line.quantity - paid}, ${r.currency.trim()})`;
	}
	return lines.length;
}

/** The return is accepted: its exchanges start (payment of a difference, or the order to the shop), by a job. */
export async function scheduleExchanges(tx: TransactionSql, shopId: string, returnId: string): Promise<void> {
	const [held] = await tx`select 1 from exchanges where return_id = ${returnId} and status = 'reserved' limit 1`;
	if (held) await enqueue(tx, 'exchange-start', { shopId, returnId });
}

/** The return is cancelled or rejected: what its exchanges held goes back to stock. */
export async function releaseExchanges(tx: TransactionSql, returnId: string): Promise<number> {
	const rows = await tx`
		update exchanges set status = 'released', updated_at = now()
		where return_id = ${returnId} and status in ('reserved', 'awaiting_payment') returning id`;
	return rows.length;
}

interface ExchangeRow {
	id: string;
	shop_id: string;
	return_id: string;
	return_line_id: string;
	variant_id: string;
	quantity: number;
	status: ExchangeStatus;
	price_difference: number;
	currency: string;
	stripe_checkout_session_id: string | null;
	checkout_url: string | null;
}

const SYSTEM: Actor = { kind: 'system' };

/**
 * The exchange job. Nothing to pay (or less): the replacement order goes to the shop at once, and a lower price's
 * difference is refunded. More to pay: a Stripe Checkout Session (the customer authenticates the payment there,
 * SCA) and an email with its link; the order goes to the shop when Stripe says the session is paid.
 */
export async function startExchange(sql: Sql, stripe: StripeApi | null, job: { shopId: string; returnId: string; lastAttempt: boolean }): Promise<void> {
	const rows = await sql<ExchangeRow[]>`select * from exchanges where return_id = ${job.returnId} and status = 'reserved' order by created_at, id`;
	for (const ex of rows) {
		if (ex.price_difference <= 0) {
			await inTransaction(sql, (tx) => orderReplacement(tx, ex.id, SYSTEM));
			continue;
		}
		if (!stripe) {
			await inTransaction(sql, (tx) =>
				recordEvent(tx, {
					shopId: ex.shop_id,
					returnId: ex.return_id,
					type: 'exchange.payment_unavailable',
					actor: SYSTEM,
					payload: { exchangeId: ex.id, message: 'STRIPE_SECRET_KEY is not set: the customer cannot pay the difference online.' }
				})
			);
			continue;
		}
		const session = await createCheckout(stripe, sql, ex, job.lastAttempt);
		if (!session) continue;
		await inTransaction(sql, async (tx) => {
			const [updated] = await tx`
				update exchanges set status = 'awaiting_payment', stripe_checkout_session_id = ${session.id}, checkout_url = ${session.url},
					updated_at = now()
				where id = ${ex.id} and status = 'reserved' returning id`;
			if (!updated) return;
			await recordEvent(tx, {
				shopId: ex.shop_id,
				returnId: ex.return_id,
				type: 'exchange.payment_requested',
				actor: SYSTEM,
				payload: { exchangeId: ex.id, amount: ex.price_difference, currency: ex.currency.trim(), checkoutSessionId: session.id }
			});
			await notifyReturn(
				tx,
				ex.shop_id,
				ex.return_id,
				{ kind: 'exchange_payment_needed', amount: ex.price_difference, currency: ex.currency.trim(), payUrl: session.url! },
				`exchange_payment_needed:${ex.id}`
			);
		});
	}
}

async function createCheckout(stripe: StripeApi, sql: Sql, ex: ExchangeRow, lastAttempt: boolean): Promise<Stripe.Checkout.Session | null> {
	const [info] = await sql<{ title: string; product: string; email: string; order_id: string; rma: string }[]>`
		select v.title, p.title as product, o.email, o.id as order_id, r.rma
		from exchanges e join variants v on v.id = e.variant_id join products p on p.id = v.product_id
		join returns r on r.id = e.return_id join orders o on o.id = r.order_id where e.id = ${ex.id}`;
	const statusUrl = returnLinkFor(publicOrigin(readConfig()), info.order_id);
	try {
		return await stripe.checkout.sessions.create(
			{
				mode: 'payment',
				customer_email: info.email,
				client_reference_id: info.rma,
				line_items: [
					{
						quantity: 1,
						price_data: {
							currency: ex.currency.trim().toLowerCase(),
							unit_amount: ex.price_difference,
							product_data: { name: `${info.product} — ${info.title} (exchange ${info.rma}, price difference)` }
						}
					}
				],
				success_url: `${statusUrl}?paid=1`,
				cancel_url: statusUrl,
				metadata: { retour_exchange_id: ex.id, retour_return_id: ex.return_id },
				payment_intent_data: { metadata: { retour_exchange_id: ex.id } }
			},
			{ idempotencyKey: `retour-exchange-${ex.id}` }
		);
	} catch (error) {
		const failure = classifyStripeError(error);
		if (failure.kind !== 'final' && !lastAttempt) throw error;
		await inTransaction(sql, (tx) =>
			recordEvent(tx, { shopId: ex.shop_id, returnId: ex.return_id, type: 'exchange.payment_failed', actor: SYSTEM, payload: { exchangeId: ex.id, ...failure } })
		);
		return null;
	}
}

/** Stripe says the Checkout Session is paid: the replacement order goes to the shop (once). */
export async function completeExchangePayment(tx: TransactionSql, session: Stripe.Checkout.Session): Promise<boolean> {
	if (session.payment_status !== 'paid') return false;
	const exchangeId = session.metadata?.retour_exchange_id;
	const [ex] = await tx<{ id: string }[]>`
		select id from exchanges where ${exchangeId ? tx`id::text = ${exchangeId}` : tx`stripe_checkout_session_id = ${session.id}`}`;
	if (!ex) return false;
	return orderReplacement(tx, ex.id, { kind: 'system', id: 'stripe' }, { checkoutSessionId: session.id, paymentIntent: String(session.payment_intent ?? '') });
}

/**
 * Sends the replacement order to the shop (signed webhook `exchange.order_requested`), marks the line exchanged,
 * refunds a lower price's difference and tells the customer — once: only a held exchange moves.
 */
async function orderReplacement(tx: TransactionSql, exchangeId: string, actor: Actor, payment: Record<string, string> = {}): Promise<boolean> {
	const [ex] = await tx<ExchangeRow[]>`select * from exchanges where id = ${exchangeId} for update`;
	if (!ex || (ex.status !== 'reserved' && ex.status !== 'awaiting_payment')) return false;
	await tx`update exchanges set status = 'ordered', updated_at = now() where id = ${ex.id}`;
	const [d] = await tx<
		{
			rma: string;
			order_external_id: string;
			order_number: string;
			email: string;
			ship: Record<string, string | null>;
			variant_external_id: string;
			sku: string;
			title: string;
			product: string;
		}[]
	>`
		select r.rma, o.external_id as order_external_id, o.order_number, o.email,
			json_build_object('name', o.ship_name, 'line1', o.ship_line1, 'line2', o.ship_line2, 'postalCode', o.ship_postal_code,
				'city', o.ship_city, 'region', o.ship_region, 'country', o.ship_country) as ship,
			v.external_id as variant_external_id, v.sku, v.title, p.title as product
		from exchanges e join returns r on r.id = e.return_id join orders o on o.id = r.order_id
		join variants v on v.id = e.variant_id join products p on p.id = v.product_id where e.id = ${ex.id}`;
	await queueWebhook(tx, ex.shop_id, 'exchange.order_requested', {
		exchangeId: ex.id,
		returnId: ex.return_id,
		rma: d.rma,
		originalOrder: { externalId: d.order_external_id, number: d.order_number },
		customer: { email: d.email },
		shippingAddress: d.ship,
		items: [{ variantExternalId: d.variant_external_id, sku: d.sku, title: `${d.product} — ${d.title}`, quantity: ex.quantity }],
		priceDifference: { amount: ex.price_difference, currency: ex.currency.trim(), paid: ex.price_difference > 0 }
	});
	await recordEvent(tx, {
		shopId: ex.shop_id,
		returnId: ex.return_id,
		type: 'exchange.ordered',
		actor,
		payload: { exchangeId: ex.id, variantId: ex.variant_id, quantity: ex.quantity, priceDifference: ex.price_difference, ...payment }
	});
	const [line] = await tx<{ resolution_status: string }[]>`select resolution_status from return_lines where id = ${ex.return_line_id}`;
	if (line.resolution_status === 'pending' || line.resolution_status === 'failed') {
		await resolveLine(tx, { shopId: ex.shop_id, returnLineId: ex.return_line_id, to: 'exchanged', payload: { exchangeId: ex.id } }, actor);
	}
	if (ex.price_difference < 0) {
		await requestRefund(tx, { shopId: ex.shop_id, returnId: ex.return_id, amount: -ex.price_difference, currency: ex.currency.trim(), purpose: 'exchange_difference' }, actor);
	}
	await notifyReturn(tx, ex.shop_id, ex.return_id, { kind: 'exchange_shipped', items: [`${ex.quantity} × ${d.product} — ${d.title}`] }, `exchange_shipped:${ex.id}`);
	return true;
}

export async function listReturnExchanges(sql: Queryable, returnId: string): Promise<ExchangeRecord[]> {
	const rows = await sql<(ExchangeRow & { variant_title: string; product_title: string })[]>`
		select e.*, v.title as variant_title, p.title as product_title
		from exchanges e join variants v on v.id = e.variant_id join products p on p.id = v.product_id
		where e.return_id = ${returnId} order by e.created_at, e.id`;
	return rows.map((r) => ({
		id: r.id,
		returnLineId: r.return_line_id,
		variantId: r.variant_id,
		variantTitle: r.variant_title,
		productTitle: r.product_title,
		quantity: r.quantity,
		status: r.status,
		priceDifference: r.price_difference,
		currency: r.currency.trim(),
		checkoutUrl: r.checkout_url
	}));
}
