import type { Queryable, Sql } from '../db';
import { inTransaction } from '../db/transaction';
import { log } from '../log';
import { notifyReturn } from '../notifications/service';
import { recordEvent } from '../returns/events';
import { notificationResolution } from '../returns/fulfilment';
import type { Quote } from '../policy/quote';
import type { RefundTiming, Resolution } from '$lib/policy/vocabulary';
import type { LabelInput } from './pdf-label';
import type { Label, LabelProvider } from './provider';

export type LabelStatus = 'pending' | 'created' | 'failed' | 'cancelled';

export interface ReturnLabel {
	id: string;
	provider: 'builtin' | 'sendcloud';
	status: LabelStatus;
	carrier: string | null;
	trackingNumber: string | null;
	trackingUrl: string | null;
	error: string | null;
	createdAt: Date;
	updatedAt: Date;
}

/** The providers this installation has: the built-in one always, a carrier's when configured. */
export type LabelProviders = { builtin: LabelProvider; sendcloud?: LabelProvider | null };

interface LabelRow {
	id: string;
	shop_id: string;
	return_id: string;
	provider: 'builtin' | 'sendcloud';
	status: LabelStatus;
	carrier: string | null;
	tracking_number: string | null;
	tracking_url: string | null;
	external_id: string | null;
	error: string | null;
	created_at: Date;
	updated_at: Date;
}

/** What a label prints: the shop's return address, the customer's, the RMA and the items. */
export async function labelInput(sql: Queryable, returnId: string): Promise<LabelInput & { method: string | null }> {
	const [r] = await sql<
		{
			rma: string;
			locale: 'en' | 'fr' | null;
			return_method: string | null;
			shop_name: string;
			shop_locale: 'en' | 'fr';
			return_name: string;
			return_line1: string;
			return_line2: string | null;
			return_postal_code: string;
			return_city: string;
			return_country: string;
			ship_name: string;
			ship_line1: string;
			ship_line2: string | null;
			ship_postal_code: string;
			ship_city: string;
			ship_country: string;
			order_locale: 'en' | 'fr' | null;
			contents: string[];
		}[]
	>`
		select r.rma, r.locale, r.return_method, s.name as shop_name, s.locale as shop_locale,
			s.return_name, s.return_line1, s.return_line2, s.return_postal_code, s.return_city, s.return_country,
			o.ship_name, o.ship_line1, o.ship_line2, o.ship_postal_code, o.ship_city, o.ship_country, o.locale as order_locale,
			array(select rl.quantity || ' × ' || ol.title || coalesce(' ' || ol.variant_title, '')
				from return_lines rl join order_lines ol on ol.id = rl.order_line_id
				where rl.return_id = r.id order by ol.position) as contents
		from returns r join shops s on s.id = r.shop_id join orders o on o.id = r.order_id
		where r.id = ${returnId}`;
	if (!r) throw new Error(`Return ${returnId} not found`);
	return {
		rma: r.rma,
		shopName: r.shop_name,
		to: {
			name: r.return_name,
			line1: r.return_line1,
			line2: r.return_line2,
			postalCode: r.return_postal_code,
			city: r.return_city,
			country: r.return_country.trim()
		},
		from: {
			name: r.ship_name,
			line1: r.ship_line1,
			line2: r.ship_line2,
			postalCode: r.ship_postal_code,
			city: r.ship_city,
			country: r.ship_country.trim()
		},
		contents: r.contents,
		locale: r.locale ?? r.order_locale ?? r.shop_locale,
		method: r.return_method
	};
}

/**
 * The label job: makes the return's label with its provider, stores it, and sends the acceptance email with
 * the label attached, in one transaction. Run twice, it finds the label made and does nothing more.
 * A carrier's refusal (a bad address) is final and shown to staff; a carrier that does not answer is retried.
 */
export async function makeReturnLabel(
	sql: Sql,
	providers: LabelProviders,
	job: { shopId: string; returnId: string; lastAttempt: boolean }
): Promise<LabelStatus> {
	const [row] = await sql<LabelRow[]>`select * from return_labels where shop_id = ${job.shopId} and return_id = ${job.returnId}`;
	if (!row || row.status === 'created' || row.status === 'cancelled') return row?.status ?? 'cancelled';
	const provider = row.provider === 'sendcloud' ? providers.sendcloud : providers.builtin;
	const input = await labelInput(sql, job.returnId);
	let label: Label;
	try {
		if (!provider) throw Object.assign(new Error('Sendcloud is not configured (SENDCLOUD_PUBLIC_KEY, SENDCLOUD_SECRET_KEY)'), { retryable: false });
		await sql`update return_labels set attempts = attempts + 1, updated_at = now() where id = ${row.id}`;
		label = row.external_id && provider.labelFor ? await provider.labelFor(row.external_id) : await provider.createLabel(input);
	} catch (error) {
		const retryable = (error as { retryable?: boolean }).retryable !== false;
		const message = error instanceof Error ? error.message : String(error);
		// The carrier made the return but not its label yet: the retry fetches that one rather than making another.
		const externalId = (error as { externalId?: string | null }).externalId;
		if (externalId && !row.external_id) await sql`update return_labels set external_id = ${externalId} where id = ${row.id}`;
		log.warn({ err: error, returnId: job.returnId, provider: row.provider, retryable }, 'making a return label failed');
		if (retryable && !job.lastAttempt) {
			await sql`update return_labels set error = ${message.slice(0, 2000)}, updated_at = now() where id = ${row.id}`;
			throw error;
		}
		await inTransaction(sql, async (tx) => {
			await tx`update return_labels set status = 'failed', error = ${message.slice(0, 2000)}, updated_at = now() where id = ${row.id} and status = 'pending'`;
			await recordEvent(tx, {
				shopId: job.shopId,
				returnId: job.returnId,
				type: 'label.failed',
				actor: { kind: 'system' },
				payload: { provider: row.provider, message }
			});
		});
		return 'failed';
	}
	return inTransaction<LabelStatus>(sql, async (tx) => {
		const [updated] = await tx<{ id: string }[]>`
			update return_labels set status = 'created', pdf = ${Buffer.from(label.bytes)}, carrier = ${label.carrier},
				tracking_number = ${label.trackingNumber}, tracking_url = ${label.trackingUrl}, external_id = ${label.externalId},
				error = null, updated_at = now()
			where id = ${row.id} and status = 'pending' returning id`;
		if (!updated) return 'created';
		await recordEvent(tx, {
			shopId: job.shopId,
			returnId: job.returnId,
			type: 'label.created',
			actor: { kind: 'system' },
			payload: { provider: label.provider, carrier: label.carrier, trackingNumber: label.trackingNumber }
		});
		const [r] = await tx<{ refund_timing: RefundTiming | null; quote: (Quote & { resolution: Resolution }) | null }[]>`
			select refund_timing, quote from returns where id = ${job.returnId}`;
		await notifyReturn(
			tx,
			job.shopId,
			job.returnId,
			{
				kind: 'return_accepted',
				method: input.method === 'drop_off' ? 'drop_off' : 'label',
				hasLabelAttachment: true,
				refundTiming: r.refund_timing,
				resolution: notificationResolution(r.quote?.resolution ?? null)
			},
			`return_accepted:${job.returnId}`,
			[{ filename: `${input.rma}.pdf`, contentType: 'application/pdf', content: label.bytes }]
		);
		return 'created';
	});
}

/** The label of a return as staff and the customer see it (without its bytes). */
export async function getReturnLabel(sql: Queryable, shopId: string, returnId: string): Promise<ReturnLabel | undefined> {
	const [r] = await sql<LabelRow[]>`
		select id, shop_id, return_id, provider, status, carrier, tracking_number, tracking_url, external_id, error, created_at, updated_at
		from return_labels where shop_id = ${shopId} and return_id = ${returnId}`;
	return (
		r && {
			id: r.id,
			provider: r.provider,
			status: r.status,
			carrier: r.carrier,
			trackingNumber: r.tracking_number,
			trackingUrl: r.tracking_url,
			error: r.error,
			createdAt: r.created_at,
			updatedAt: r.updated_at
		}
	);
}

/** The label's PDF for a return of this order (the customer's link), or undefined. */
export async function readLabelPdf(sql: Queryable, orderId: string, rma: string): Promise<Uint8Array | undefined> {
	const [r] = await sql<{ pdf: Uint8Array }[]>`
		select l.pdf from return_labels l join returns r on r.id = l.return_id
		where r.order_id = ${orderId} and r.rma = ${rma} and l.status = 'created'`;
	return r?.pdf;
}

/** The label-cancel job: tells the carrier a cancelled return's label will not be used (so it is not billed). */
export async function cancelCarrierLabel(sql: Sql, providers: LabelProviders, job: { shopId: string; returnId: string; lastAttempt: boolean }): Promise<void> {
	const [row] = await sql<{ provider: 'builtin' | 'sendcloud'; external_id: string | null; status: LabelStatus }[]>`
		select provider, external_id, status from return_labels where shop_id = ${job.shopId} and return_id = ${job.returnId}`;
	if (!row || row.status !== 'cancelled' || !row.external_id) return;
	const provider = row.provider === 'sendcloud' ? providers.sendcloud : providers.builtin;
	if (!provider?.cancelLabel) return;
	try {
		await provider.cancelLabel(row.external_id);
	} catch (error) {
		if ((error as { retryable?: boolean }).retryable !== false && !job.lastAttempt) throw error;
		const message = error instanceof Error ? error.message : String(error);
		await inTransaction(sql, (tx) =>
			recordEvent(tx, { shopId: job.shopId, returnId: job.returnId, type: 'label.cancel_failed', actor: { kind: 'system' }, payload: { message } })
		);
		return;
	}
	await inTransaction(sql, (tx) =>
		recordEvent(tx, { shopId: job.shopId, returnId: job.returnId, type: 'label.cancelled', actor: { kind: 'system' }, payload: { provider: row.provider } })
	);
}

/**
 * A carrier's tracking update moves the return's parcel: in transit (the first scan, which may pay the refund),
 * received, or lost. Matched by tracking number (else by the RMA the label carries); an update that would move it
 * backwards, or repeats the current status, changes nothing, so redelivered webhooks are harmless.
 */
export async function applyTrackingUpdate(
	sql: Queryable,
	update: { trackingNumber: string | null; rma: string | null; reception: 'in_transit' | 'received' | 'lost'; carrierStatus: string; at: Date }
): Promise<'moved' | 'unchanged' | 'unknown'> {
	const { transitionReturn } = await import('../returns/service');
	const { checkTransition } = await import('../returns/lifecycle');
	return inTransaction(sql, async (tx) => {
		const [r] = await tx<{ shop_id: string; id: string; reception_status: import('../returns/lifecycle').ReceptionStatus }[]>`
			select r.shop_id, r.id, r.reception_status from return_labels l join returns r on r.id = l.return_id
			where ${update.trackingNumber ? tx`l.tracking_number = ${update.trackingNumber}` : tx`r.rma = ${update.rma ?? ''}`}
			for update of r`;
		if (!r) return 'unknown';
		if (r.reception_status === update.reception || !checkTransition('reception', r.reception_status, update.reception).ok) return 'unchanged';
		// A parcel already received is not "in transit" again because a late scan arrived.
		if (r.reception_status === 'received' && update.reception !== 'received') return 'unchanged';
		await transitionReturn(
			tx,
			{ shopId: r.shop_id, returnId: r.id, machine: 'reception', to: update.reception, payload: { carrierStatus: update.carrierStatus, trackingNumber: update.trackingNumber } },
			{ kind: 'system', id: 'carrier' }
		);
		return 'moved';
	});
}
