import type { Queryable } from '../db';
import { decideLine, PolicyRefusal, quoteReturn, type LineDecision } from './decide';
import { buildFacts, outboundPaid, type CustomerHistory, type LineRequest, type OrderLineRow, type OrderRow } from './facts';
import type { Quote } from './quote';
import { stricter, type Eligibility, type Policy, type Resolution } from './rules';
import { livePolicy } from './versions';
import type { RiskFacts } from '../risk/facts';
import { loadRiskProfile, riskLines, type RiskProfile } from '../risk/queries';
import { listFlagsForLines, listMatches, type ListMatches } from '../risk/lists';
import { scoreReturn, type RiskAssessment } from '../risk/score';

/**
 * The one entry point every path that creates or changes a return calls (the conversation, the JSON API,
 * staff actions): it reads the facts from the database, decides each line under the shop's live policy
 * version, quotes the chosen resolution, and refuses what the policy does not allow. Callers pass the
 * amount they showed the customer; a different amount is refused rather than paid.
 */

export interface PolicyRequest {
	shopId: string;
	orderId: string;
	lines: LineRequest[];
	isWithdrawal?: boolean;
	/** The resolution asked for; without it the lines are decided but not quoted. */
	resolution?: Resolution | null;
	/** The customer keeps the item (no parcel): only for lines under the policy's keep-the-item threshold. */
	keepItem?: boolean;
	/** The total the customer was shown, in minor units of the order's currency: refused if it differs. */
	expectedTotal?: number | null;
	/** When the return is asked for (now; imports and the demo pass historic times). */
	at?: Date;
	/** A return being changed, whose own units do not count as already returned. */
	excludeReturnId?: string | null;
	riskScore?: number | null;
	/** Decide under this policy instead of the live one (the editor's preview of a draft). */
	policy?: { versionId: string; policy: Policy };
}

export interface ReturnDecision {
	policyVersionId: string;
	currency: string;
	eligibility: Eligibility;
	lines: { orderLineId: string; decision: LineDecision }[];
	/** The quote for the chosen resolution, when one was asked for and every line may be quoted. */
	quote: Quote | null;
	outboundShipping: number;
	/** The return's risk score and what it read; null when the caller gave a score (a preview, a test). */
	risk: { assessment: RiskAssessment; facts: RiskFacts } | null;
}

export class PolicyInputError extends Error {
	constructor(
		readonly code: 'order_not_found' | 'line_not_found',
		message: string,
		readonly field: string
	) {
		super(message);
		this.name = 'PolicyInputError';
	}
}

async function loadOrder(sql: Queryable, shopId: string, orderId: string) {
	const [[order], lines] = await Promise.all([
		sql<(OrderRow & { customer_id: string; time_zone: string })[]>`
			select o.customer_id, o.currency, o.taxes_included, o.shipping_amount::int8, o.shipping_tax_amount::int8, o.total_amount::int8,
				o.ordered_at, o.delivered_at, o.ship_country, s.timezone as time_zone
			from orders o join shops s on s.id = o.shop_id
			where o.shop_id = ${shopId} and o.id = ${orderId}`,
		sql<OrderLineRow[]>`
			select ol.id, ol.product_id, ol.sku, ol.quantity, ol.unit_price_amount::int8, ol.discount_amount::int8, ol.vat_amount::int8,
				ol.total_amount::int8, p.category, p.tags, p.final_sale
			from order_lines ol left join products p on p.id = ol.product_id
			where ol.shop_id = ${shopId} and ol.order_id = ${orderId} order by ol.position`
	]);
	if (!order) return null;
	return { order: { ...order, currency: order.currency.trim() }, lines };
}

/** The history of the order's customer up to `at` (the customer read from the order, so it runs beside loading it). */
async function customerHistory(sql: Queryable, shopId: string, orderId: string, at: Date, excludeReturnId: string | null): Promise<CustomerHistory> {
	const customerId = sql`(select customer_id from orders where shop_id = ${shopId} and id = ${orderId})`;
	const [row] = await sql<{ returns: number; returns_30: number; returns_365: number; returned_units: number; ordered_units: number }[]>`
		with r as (
			select r.requested_at from returns r where r.shop_id = ${shopId} and r.customer_id = ${customerId}
				and r.requested_at <= ${at} and r.decision_status <> 'cancelled'
				and r.id is distinct from ${excludeReturnId}::uuid
		)
		select
			(select count(*)::int from r) as returns,
			(select count(*)::int from r where requested_at > ${at}::timestamptz - interval '30 days') as returns_30,
			(select count(*)::int from r where requested_at > ${at}::timestamptz - interval '365 days') as returns_365,
			(select coalesce(sum(rl.quantity), 0)::int from return_lines rl join returns r on r.id = rl.return_id
				where r.shop_id = ${shopId} and r.customer_id = ${customerId} and r.requested_at <= ${at}
				and r.decision_status <> 'cancelled' and r.id is distinct from ${excludeReturnId}::uuid) as returned_units,
			(select coalesce(sum(ol.quantity), 0)::int from order_lines ol join orders o on o.id = ol.order_id
				where o.shop_id = ${shopId} and o.customer_id = ${customerId} and o.ordered_at <= ${at}) as ordered_units`;
	return {
		returns: row.returns,
		returnedUnits: row.returned_units,
		orderedUnits: row.ordered_units,
		returnsLast30Days: row.returns_30,
		returnsLast365Days: row.returns_365
	};
}

/**
 * Units of each line in the order's returns that still hold them, whether one refunded the delivery, and
 * what they were quoted for the line (a fix holds units but pays nothing, so it is left out of the money).
 */
async function heldQuantities(sql: Queryable, shopId: string, orderId: string, excludeReturnId: string | null) {
	const rows = await sql<
		{ order_line_id: string; quantity: number; shipping_refunded: boolean; all_quoted: boolean; money_units: number; money_amount: string }[]
	>`
		select rl.order_line_id, sum(rl.quantity)::int as quantity,
			bool_or(coalesce((r.quote ->> 'shipping')::int8, 0) > 0) as shipping_refunded,
			bool_and(r.quote is not null) as all_quoted,
			coalesce(sum(rl.quantity) filter (where r.quote ->> 'resolution' is distinct from 'fix'), 0)::int as money_units,
			coalesce(sum(q.amount) filter (where r.quote ->> 'resolution' is distinct from 'fix'), 0)::int8 as money_amount
		from return_lines rl join returns r on r.id = rl.return_id
		left join lateral (
			select (x ->> 'amount')::int8 as amount from jsonb_array_elements(r.quote -> 'lines') x
			where x ->> 'orderLineId' = rl.order_line_id::text limit 1
		) q on true
		where r.shop_id = ${shopId} and r.order_id = ${orderId}
			and r.decision_status not in ('cancelled', 'rejected')
			and r.id is distinct from ${excludeReturnId}::uuid
		group by rl.order_line_id`;
	return {
		returned: new Map(rows.map((r) => [r.order_line_id, r.quantity])),
		shippingRefunded: rows.some((r) => r.shipping_refunded),
		quoted: new Map(rows.filter((r) => r.all_quoted).map((r) => [r.order_line_id, { units: r.money_units, amount: Number(r.money_amount) }]))
	};
}

/** Everything a decision on one order reads, loaded once: a conversation decides many times on it. */
export interface OrderDecisionFacts {
	shopId: string;
	orderId: string;
	at: Date;
	order: OrderRow & { customer_id: string; time_zone: string };
	lines: OrderLineRow[];
	policy: { versionId: string; policy: Policy };
	held: Awaited<ReturnType<typeof heldQuantities>>;
	history: CustomerHistory;
	/** The customer's risk profile as of `at` (accounts linked by address or card included). */
	risk: RiskProfile;
	/** The order's matches on the shop's block and allow lists (email, address, order, products). */
	lists: ListMatches;
}

export async function loadDecisionFacts(
	sql: Queryable,
	request: Pick<PolicyRequest, 'shopId' | 'orderId' | 'at' | 'excludeReturnId' | 'policy'>
): Promise<OrderDecisionFacts> {
	const at = request.at ?? new Date();
	const exclude = request.excludeReturnId ?? null;
	// One batch: on a transaction's connection the queries leave together.
	const [loaded, policy, held, history, lists] = await Promise.all([
		loadOrder(sql, request.shopId, request.orderId),
		request.policy ?? livePolicy(sql, request.shopId),
		heldQuantities(sql, request.shopId, request.orderId, exclude),
		customerHistory(sql, request.shopId, request.orderId, at, exclude),
		listMatches(sql, request.shopId, request.orderId)
	]);
	if (!loaded) throw new PolicyInputError('order_not_found', 'This order does not exist', 'orderId');
	const risk = await loadRiskProfile(sql, {
		shopId: request.shopId,
		customerId: loaded.order.customer_id,
		currency: loaded.order.currency,
		at,
		windowDays: policy.policy.defaults.windowDays
	});
	return { shopId: request.shopId, orderId: request.orderId, at, order: loaded.order, lines: loaded.lines, policy, held, history, risk, lists };
}

/** The decision (and quote, when a resolution is given) on loaded facts: pure, as often as needed. */
export function decideWith(
	facts: OrderDecisionFacts,
	request: Pick<PolicyRequest, 'lines' | 'isWithdrawal' | 'resolution' | 'keepItem' | 'riskScore'>
): ReturnDecision {
	const known = new Set(facts.lines.map((l) => l.id));
	request.lines.forEach((l, i) => {
		if (!known.has(l.orderLineId)) throw new PolicyInputError('line_not_found', 'This item is not part of the order', `lines[${i}].orderLineId`);
	});
	const risk = request.riskScore === undefined || request.riskScore === null ? assessRisk(facts, request.lines) : null;
	const built = buildFacts({
		order: facts.order,
		lines: facts.lines,
		requests: request.lines,
		returned: facts.held.returned,
		shippingRefunded: facts.held.shippingRefunded,
		quoted: facts.held.quoted,
		history: facts.history,
		at: facts.at,
		isWithdrawal: request.isWithdrawal ?? false,
		riskScore: risk ? risk.assessment.score : request.riskScore,
		listed: listFlagsForLines(facts.lists, facts.lines.map((l) => ({ orderLineId: l.id, sku: l.sku }))),
		timeZone: facts.order.time_zone
	});
	const policy = facts.policy.policy;
	const lines = built.map((b) => ({ orderLineId: b.quote.orderLineId, decision: decideLine(policy, b.facts), quote: b.quote }));
	const eligibility = lines.reduce<Eligibility>((e, l) => stricter(e, l.decision.eligibility), 'eligible');
	const outboundShipping = outboundPaid(facts.order);
	let quote: Quote | null = null;
	if (request.resolution && eligibility !== 'not_eligible' && lines.every((l) => l.decision.outputs.resolutions.includes(request.resolution!))) {
		quote = quoteReturn({
			currency: facts.order.currency,
			resolution: request.resolution,
			outboundShipping,
			keepItem: request.keepItem ?? false,
			lines: lines.map((l) => ({ ...l.quote, decision: l.decision }))
		});
	}
	return {
		policyVersionId: facts.policy.versionId,
		currency: facts.order.currency,
		eligibility,
		lines: lines.map(({ orderLineId, decision }) => ({ orderLineId, decision })),
		quote,
		outboundShipping,
		risk
	};
}

/** The return's risk score from the loaded profile and the lines asked for (pure: no query). */
function assessRisk(facts: OrderDecisionFacts, lines: LineRequest[]): { assessment: RiskAssessment; facts: RiskFacts } {
	const delivered = facts.order.delivered_at;
	const riskFacts: RiskFacts = {
		daysSinceDelivery: delivered && delivered <= facts.at ? Math.floor((facts.at.getTime() - delivered.getTime()) / 86_400_000) : null,
		windowDays: facts.policy.policy.defaults.windowDays,
		highValue: facts.risk.highValue,
		lines: riskLines(facts.lines, lines),
		history: facts.risk.history,
		linked: facts.risk.linked
	};
	return { assessment: scoreReturn(riskFacts), facts: riskFacts };
}

/** Decides (and quotes, when a resolution is given) without refusing: what the customer and staff are shown. */
export async function decideReturn(sql: Queryable, request: PolicyRequest): Promise<ReturnDecision> {
	return decideWith(await loadDecisionFacts(sql, request), request);
}

/**
 * decideReturn, then refuses: a line the policy does not let go back, a resolution it does not offer, an
 * item kept above the threshold, or a total other than the one the customer was shown. Call it inside
 * the transaction that writes the return, after locking the order.
 */
export async function enforceReturnPolicy(sql: Queryable, request: PolicyRequest & { resolution: Resolution }): Promise<ReturnDecision & { quote: Quote }> {
	return enforceWith(await loadDecisionFacts(sql, request), request);
}

/**
 * enforceReturnPolicy on facts the caller already loaded in the same transaction, after locking the order and
 * the customer as the return's creation does (the conversation's confirmation, which read them for its summary).
 */
export function enforceWith(facts: OrderDecisionFacts, request: PolicyRequest & { resolution: Resolution }): ReturnDecision & { quote: Quote } {
	if (facts.shopId !== request.shopId || facts.orderId !== request.orderId) throw new Error('The decision facts are another order’s');
	const decision = decideWith(facts, request);
	decision.lines.forEach((l, i) => {
		if (l.decision.eligibility === 'not_eligible') throw new PolicyRefusal('not_eligible', l.decision.explanation.en, `lines[${i}]`);
		if (!l.decision.outputs.resolutions.includes(request.resolution)) {
			throw new PolicyRefusal('resolution_not_offered', `"${request.resolution}" is not offered for this item`, `lines[${i}]`);
		}
	});
	if (request.keepItem) {
		decision.lines.forEach((l, i) => {
			const threshold = l.decision.outputs.keepItemBelow;
			if (threshold <= 0 || keepPrice(decision, l.orderLineId) >= threshold) {
				throw new PolicyRefusal('keep_not_allowed', 'This item has to be sent back', `lines[${i}]`);
			}
		});
	}
	const quote = decision.quote!;
	if (request.expectedTotal !== undefined && request.expectedTotal !== null && request.expectedTotal !== quote.total) {
		throw new PolicyRefusal(
			'quote_mismatch',
			`The amount shown (${request.expectedTotal}) is not what this return is worth now (${quote.total} in minor units of ${quote.currency}): review the new amount and confirm again`,
			'expectedTotal'
		);
	}
	return { ...decision, quote };
}

/** The price of one unit as quoted: what the keep-the-item threshold compares. */
function keepPrice(decision: ReturnDecision, orderLineId: string): number {
	const line = decision.quote?.lines.find((l) => l.orderLineId === orderLineId);
	return line ? Math.ceil(line.amount / line.quantity) : Number.POSITIVE_INFINITY;
}
