import type { Queryable } from '../db';
import { PolicyRefusal, type LineDecision } from './decide';
import { loadPastReturns } from './history';
import type { Quote } from './quote';
import { RESOLUTIONS, type Policy, type Resolution } from './rules';
import { decideReturn } from './service';
import { comparePolicies, type PolicyComparison } from './simulate';
import { livePolicy } from './versions';

/**
 * The editor's workbench: a version tried on one past order (preview) and on the past months of returns
 * beside the live version (simulation). Reads only; nothing is written.
 */

export interface OrderPreview {
	order: { id: string; number: string; currency: string; orderedAt: Date; deliveredAt: Date | null; country: string };
	lines: { orderLineId: string; title: string; variantTitle: string | null; quantity: number; decision: LineDecision }[];
	quotes: { resolution: Resolution; quote: Quote }[];
}

export async function previewOnOrder(
	sql: Queryable,
	shopId: string,
	version: { versionId: string; policy: Policy },
	orderNumber: string,
	reasonCode: string,
	at = new Date()
): Promise<OrderPreview | 'not_found' | 'nothing_left'> {
	const [order] = await sql<{ id: string; order_number: string; currency: string; ordered_at: Date; delivered_at: Date | null; ship_country: string }[]>`
		select id, order_number, currency, ordered_at, delivered_at, ship_country from orders
		where shop_id = ${shopId} and lower(order_number) = lower(${orderNumber.trim().replace(/^#/, '')})`;
	if (!order) return 'not_found';
	const lines = await sql<{ id: string; title: string; variant_title: string | null; left: number }[]>`
		select ol.id, ol.title, ol.variant_title, ol.quantity - coalesce((
			select sum(rl.quantity) from return_lines rl join returns r on r.id = rl.return_id
			where rl.order_line_id = ol.id and r.decision_status not in ('cancelled', 'rejected')), 0)::int as left
		from order_lines ol where ol.order_id = ${order.id} order by ol.position`;
	const open = lines.filter((l) => l.left > 0);
	if (!open.length) return 'nothing_left';
	const request = {
		shopId,
		orderId: order.id,
		policy: version,
		at,
		lines: open.map((l) => ({ orderLineId: l.id, quantity: l.left, reasonCode })),
		isWithdrawal: reasonCode === 'withdrawal'
	};
	const decided = await decideReturn(sql, request);
	// Quote what could go back: the lines that are not refused, for each resolution offered for all of them.
	const quotable = decided.lines.filter((l) => l.decision.eligibility !== 'not_eligible');
	const quotes: OrderPreview['quotes'] = [];
	if (quotable.length) {
		const ids = new Set(quotable.map((l) => l.orderLineId));
		for (const resolution of RESOLUTIONS) {
			if (!quotable.every((l) => l.decision.outputs.resolutions.includes(resolution))) continue;
			try {
				const q = await decideReturn(sql, { ...request, resolution, lines: request.lines.filter((l) => ids.has(l.orderLineId)) });
				if (q.quote) quotes.push({ resolution, quote: q.quote });
			} catch (error) {
				if (!(error instanceof PolicyRefusal)) throw error;
			}
		}
		const order = (r: Resolution) => quotable[0].decision.outputs.resolutions.indexOf(r);
		quotes.sort((a, b) => order(a.resolution) - order(b.resolution));
	}
	return {
		order: {
			id: order.id,
			number: order.order_number,
			currency: order.currency.trim(),
			orderedAt: order.ordered_at,
			deliveredAt: order.delivered_at,
			country: order.ship_country
		},
		lines: open.map((l) => ({
			orderLineId: l.id,
			title: l.title,
			variantTitle: l.variant_title,
			quantity: l.left,
			decision: decided.lines.find((d) => d.orderLineId === l.id)!.decision
		})),
		quotes
	};
}

export interface Simulation {
	live: { versionId: string; number: number };
	since: Date;
	comparison: PolicyComparison;
	ms: number;
}

/** The draft beside the live policy over the returns asked for in the past `months` months. */
export async function simulateAgainstLive(sql: Queryable, shopId: string, draft: Policy, months: number, now = new Date()): Promise<Simulation> {
	const live = await livePolicy(sql, shopId);
	const since = new Date(now);
	since.setUTCMonth(since.getUTCMonth() - months);
	const started = performance.now();
	const returns = await loadPastReturns(sql, shopId, since);
	const comparison = comparePolicies(live.policy, draft, returns, { examples: 10 });
	return { live: { versionId: live.versionId, number: live.number }, since, comparison, ms: Math.round(performance.now() - started) };
}
