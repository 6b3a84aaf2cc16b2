import type { TransactionSql } from '../db';
import { enqueue } from '../jobs';
import { notifyReturn } from '../notifications/service';
import { requestRefund } from '../refunds/service';
import { issueCredit } from '../credit/ledger';
import { settleReturnLines } from './settle';
import { queueWebhook } from '../webhooks/service';
import { releaseExchanges, scheduleExchanges } from '../exchanges/service';
import type { Quote } from '../policy/quote';
import type { RefundTiming, Resolution } from '$lib/policy/vocabulary';
import type { Actor } from './events';
import { planFulfilment, type FulfilmentTrigger } from './fulfilment-plan';

/**
 * Runs in the transaction of a status change: writes the rows of what the change calls for (the label to
 * make, the refund to pay, the email) and enqueues their jobs, so they exist exactly when the change does.
 */
export async function afterTransition(
	tx: TransactionSql,
	shopId: string,
	returnId: string,
	trigger: FulfilmentTrigger,
	actor: Actor,
	/** What staff wrote with the change (the question, when they ask for more information). */
	reason?: string | null
): Promise<void> {
	const [r] = await tx<
		{
			decision_status: string;
			return_method: 'label' | 'drop_off' | 'keep' | null;
			refund_timing: RefundTiming | null;
			quote: (Quote & { resolution: Resolution }) | null;
			currency: string;
			channel: string;
			customer_id: string;
			inspected: boolean;
		}[]
	>`
		select decision_status, return_method, refund_timing, quote, currency, channel, customer_id,
			not exists (
				select 1 from return_lines rl left join return_line_inspections i on i.return_line_id = rl.id
				where rl.return_id = r.id and (i.return_line_id is null or i.stops_refund)
			) as inspected
		from returns r where id = ${returnId}`;
	// Returns imported from another system were settled there; the demo's history is only history.
	if (!r || r.channel === 'import' || r.channel === 'demo') return;
	const plan = planFulfilment({
		trigger,
		refundTiming: r.refund_timing,
		method: r.return_method,
		resolution: r.quote?.resolution ?? null,
		total: r.quote?.total ?? 0,
		accepted: r.decision_status === 'accepted',
		inspected: r.inspected
	});
	if (trigger === 'accepted') {
		const [first] = await tx<{ rma: string; order_external_id: string }[]>`
			update returns r set accepted_at = now() from orders o
			where r.id = ${returnId} and o.id = r.order_id and r.accepted_at is null
			returning r.rma, o.external_id as order_external_id`;
		// The shop hears of each accepted return once (to expect the parcel, or to hold the order's fulfilment).
		if (first) {
			await queueWebhook(tx, shopId, 'return.accepted', {
				returnId,
				rma: first.rma,
				order: { externalId: first.order_external_id },
				resolution: r.quote?.resolution ?? null,
				total: r.quote ? { amount: r.quote.total, currency: r.currency.trim() } : null,
				returnMethod: r.return_method
			});
		}
	}
	if (plan.voidLabel) {
		const [voided] = await tx<{ provider: string; external_id: string | null }[]>`
			update return_labels set status = 'cancelled', updated_at = now()
			where return_id = ${returnId} and status in ('pending', 'created') returning provider, external_id`;
		if (voided?.external_id) await enqueue(tx, 'label-cancel', { shopId, returnId });
		await releaseExchanges(tx, returnId);
	}
	if (plan.exchange) await scheduleExchanges(tx, shopId, returnId);
	if (plan.label) {
		const [label] = await tx<{ id: string }[]>`
			insert into return_labels (shop_id, return_id, provider)
			values (${shopId}, ${returnId}, ${labelProviderFor(r.return_method)})
			on conflict (return_id) do nothing returning id`;
		if (label) await enqueue(tx, 'label-create', { shopId, returnId });
	}
	if (plan.pay === 'refund') {
		await requestRefund(tx, { shopId, returnId, amount: r.quote!.total, currency: r.currency.trim() }, actor);
	}
	if (plan.pay === 'store_credit') {
		const bonus = Math.min(r.quote!.bonus ?? 0, r.quote!.total);
		const credit = await issueCredit(
			tx,
			{ shopId, returnId, customerId: r.customer_id, currency: r.currency.trim(), amount: r.quote!.total - bonus, bonus },
			actor
		);
		if (credit.issued) await settleReturnLines(tx, shopId, returnId, 'credited', actor, { creditCodeId: credit.codeId }, ['store_credit']);
	}
	if (plan.notify === 'return_accepted') {
		await notifyReturn(
			tx,
			shopId,
			returnId,
			{
				kind: 'return_accepted',
				method: r.return_method ?? 'keep',
				hasLabelAttachment: false,
				refundTiming: r.refund_timing,
				resolution: notificationResolution(r.quote?.resolution ?? null)
			},
			`return_accepted:${returnId}`
		);
	}
	if (plan.notify === 'info_requested' && reason?.trim()) {
		const [{ n }] = await tx<{ n: number }[]>`select count(*)::int as n from return_events where return_id = ${returnId} and type = 'return.decision_changed'`;
		await notifyReturn(tx, shopId, returnId, { kind: 'info_requested', question: reason.trim() }, `info_requested:${returnId}:${n}`);
	}
	if (plan.notify === 'parcel_received') {
		await notifyReturn(tx, shopId, returnId, { kind: 'parcel_received' }, `parcel_received:${returnId}`);
	}
}

export function notificationResolution(resolution: Resolution | null): 'refund' | 'store_credit' | 'exchange' {
	if (resolution === 'store_credit') return 'store_credit';
	if (resolution === 'exchange_variant' || resolution === 'exchange_product') return 'exchange';
	return 'refund';
}

/** A prepaid carrier label when Sendcloud is configured and the customer asked for a label; else the built-in one. */
export function labelProviderFor(method: string | null, env: NodeJS.ProcessEnv = process.env): 'builtin' | 'sendcloud' {
	return method === 'label' && env.SENDCLOUD_PUBLIC_KEY?.trim() && env.SENDCLOUD_SECRET_KEY?.trim() ? 'sendcloud' : 'builtin';
}
