import type { Queryable } from '../db';
import type { LineDecision } from './decide';
import { loadPastReturns } from './history';
import type { Quote } from './quote';
import { RESOLUTIONS, type Policy, type Resolution } from './rules';
import { decideWith, loadDecisionFacts } from './service';
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
	// The facts once (units still held, the customer's history), then every decision and quote on them.
	const [facts, titles] = await Promise.all([
		loadDecisionFacts(sql, { shopId, orderId: order.id, policy: version, at }),
		sql<{ id: string; title: string; variant_title: string | null }[]>`
			select id, title, variant_title from order_lines where order_id = ${order.id} order by position`
	]);
	const open = facts.lines
		.map((l) => ({ ...titles.find((t) => t.id === l.id)!, left: l.quantity - (facts.held.returned.get(l.id) ?? 0) }))
		.filter((l) => l.left > 0);
	if (!open.length) return 'nothing_left';
	const request = { lines: open.map((l) => ({ orderLineId: l.id, quantity: l.left, reasonCode })), isWithdrawal: reasonCode === 'withdrawal' };
	const decided = decideWith(facts, request);
	// Quote what could go back: the lines that are not refused, for each resolution offered for all of them.
	const quotable = decided.lines.filter((l) => l.decision.eligibility !== 'not_eligible');
	const ids = new Set(quotable.map((l) => l.orderLineId));
	const quotes: OrderPreview['quotes'] = RESOLUTIONS.filter((r) => quotable.length && quotable.every((l) => l.decision.outputs.resolutions.includes(r)))
		.map((resolution) => ({ resolution, quote: decideWith(facts, { ...request, resolution, lines: request.lines.filter((l) => ids.has(l.orderLineId)) }).quote }))
		.filter((q): q is OrderPreview['quotes'][number] => q.quote !== null)
		.sort((a, b) => quotable[0].decision.outputs.resolutions.indexOf(a.resolution) - quotable[0].decision.outputs.resolutions.indexOf(b.resolution));
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
