import type { Queryable } from '../db';
import { EMPTY_HISTORY, EMPTY_LINKED, OCCASION_TAG, type RiskHistory, type RiskLine, type RiskLinked } from './facts';

/**
 * The customer's risk profile as of `at`, read with indexed queries (scoring runs while the customer waits):
 * the account's own orders, returns, inspection findings and claims, and the accounts sharing an address or
 * a card with its orders. Mirrors eval/facts.ts, which builds the same facts from a generated history.
 */

export interface RiskProfile {
	history: RiskHistory;
	linked: RiskLinked;
	highValue: number;
}

/** At most this many linked accounts are read (a shared office address must not make scoring slow). */
const MAX_LINKED = 50;
const LATE_SHARE = 0.7;

export async function loadRiskProfile(
	sql: Queryable,
	input: { shopId: string; customerId: string; currency: string; at: Date; windowDays: number }
): Promise<RiskProfile> {
	const { shopId, customerId, at } = input;
	const lateDays = input.windowDays * LATE_SHARE;
	const [[own], [linked], highValue] = await Promise.all([
		sql<
			{
				first_order: Date | null;
				orders: number;
				ordered_units: number;
				returns: number;
				returned_units: number;
				returns_last_30_days: number;
				late_returns: number;
				occasion_returns: number;
				late_occasion_returns: number;
				inspected_units: number;
				used_units: number;
				mismatch_units: number;
				bracket_groups: number;
				bracket_groups_all_returned: number;
				not_received_claims: number;
			}[]
		>`
			with o as (
				select id, ordered_at from orders where shop_id = ${shopId} and customer_id = ${customerId} and ordered_at <= ${at}
			), ol as (
				select ol.id, ol.order_id, ol.product_id, ol.quantity from order_lines ol join o on o.id = ol.order_id
			), r as (
				select r.id, r.requested_at, extract(epoch from r.requested_at - d.delivered_at) / 86400 >= ${lateDays} as late
				from returns r join orders d on d.id = r.order_id
				where r.shop_id = ${shopId} and r.customer_id = ${customerId} and r.requested_at < ${at} and r.decision_status <> 'cancelled'
			), rl as (
				select rl.id, rl.return_id, rl.order_line_id, rl.quantity, r.late, i.condition, i.inspected_at < ${at} as inspected,
					coalesce(${OCCASION_TAG} = any (p.tags), false) as occasion
				from return_lines rl join r on r.id = rl.return_id
				join order_lines l on l.id = rl.order_line_id
				left join products p on p.id = l.product_id
				left join return_line_inspections i on i.return_line_id = rl.id
			), groups as (
				select count(*) as lines, count(*) filter (where exists (select 1 from rl where rl.order_line_id = ol.id)) as returned
				from ol where ol.product_id is not null group by ol.order_id, ol.product_id having count(*) >= 2
			), occ as (
				select return_id, bool_or(occasion) as occasion, bool_or(late) as late from rl group by return_id
			)
			select
				(select min(ordered_at) from o) as first_order,
				(select count(*)::int from o) as orders,
				(select coalesce(sum(quantity), 0)::int from ol) as ordered_units,
				(select count(*)::int from r) as returns,
				(select coalesce(sum(quantity), 0)::int from rl) as returned_units,
				(select count(*)::int from r where requested_at >= ${at}::timestamptz - interval '30 days') as returns_last_30_days,
				(select count(*)::int from r where late) as late_returns,
				(select count(*)::int from occ where occasion) as occasion_returns,
				(select count(*)::int from occ where occasion and late) as late_occasion_returns,
				(select coalesce(sum(quantity) filter (where inspected), 0)::int from rl) as inspected_units,
				(select coalesce(sum(quantity) filter (where inspected and condition = 'used'), 0)::int from rl) as used_units,
				(select coalesce(sum(quantity) filter (where inspected and condition in ('wrong_item', 'missing')), 0)::int from rl) as mismatch_units,
				(select count(*)::int from groups) as bracket_groups,
				(select count(*)::int from groups where returned = lines) as bracket_groups_all_returned,
				(select count(*)::int from order_claims c where c.shop_id = ${shopId} and c.customer_id = ${customerId} and c.created_at < ${at}) as not_received_claims`,
		sql<{ accounts: number; returns: number; used_units: number; mismatch_units: number; not_received_claims: number }[]>`
			with mine as (
				select address_key, payment_fingerprint from orders where shop_id = ${shopId} and customer_id = ${customerId} and ordered_at <= ${at}
			), others as (
				-- Two index lookups, not one OR (which reads every order of the shop).
				select customer_id from (
					select o.customer_id from (select distinct address_key from mine) m
					join orders o on o.shop_id = ${shopId} and o.address_key = m.address_key
					where o.customer_id <> ${customerId} and o.ordered_at <= ${at}
					union
					select o.customer_id from (select distinct payment_fingerprint from mine where payment_fingerprint is not null) m
					join orders o on o.shop_id = ${shopId} and o.payment_fingerprint = m.payment_fingerprint
					where o.customer_id <> ${customerId} and o.ordered_at <= ${at}
				) linked order by customer_id limit ${MAX_LINKED}
			), r as (
				select r.id from returns r join others x on x.customer_id = r.customer_id
				where r.shop_id = ${shopId} and r.requested_at < ${at} and r.decision_status <> 'cancelled'
			), found as (
				select rl.quantity, i.condition from return_lines rl join r on r.id = rl.return_id
				join return_line_inspections i on i.return_line_id = rl.id and i.inspected_at < ${at}
				where i.condition in ('used', 'wrong_item', 'missing')
			)
			select
				(select count(*)::int from others) as accounts,
				(select count(*)::int from r) as returns,
				(select coalesce(sum(quantity) filter (where condition = 'used'), 0)::int from found) as used_units,
				(select coalesce(sum(quantity) filter (where condition in ('wrong_item', 'missing')), 0)::int from found) as mismatch_units,
				(select count(*)::int from order_claims c join others x on x.customer_id = c.customer_id
					where c.shop_id = ${shopId} and c.created_at < ${at}) as not_received_claims`,
		shopHighValue(sql, shopId, input.currency)
	]);
	const history: RiskHistory = own.first_order
		? {
				accountAgeDays: Math.floor((at.getTime() - own.first_order.getTime()) / 86_400_000),
				orders: own.orders,
				orderedUnits: own.ordered_units,
				returns: own.returns,
				returnedUnits: own.returned_units,
				returnsLast30Days: own.returns_last_30_days,
				lateReturns: own.late_returns,
				occasionReturns: own.occasion_returns,
				lateOccasionReturns: own.late_occasion_returns,
				inspectedUnits: own.inspected_units,
				usedUnits: own.used_units,
				mismatchUnits: own.mismatch_units,
				bracketGroups: own.bracket_groups,
				bracketGroupsAllReturned: own.bracket_groups_all_returned,
				notReceivedClaims: own.not_received_claims
			}
		: { ...EMPTY_HISTORY };
	return {
		history,
		linked: linked
			? {
					accounts: linked.accounts,
					returns: linked.returns,
					usedUnits: linked.used_units,
					mismatchUnits: linked.mismatch_units,
					notReceivedClaims: linked.not_received_claims
				}
			: { ...EMPTY_LINKED },
		highValue
	};
}

const highValues = new Map<string, { value: number; until: number }>();

/** The 90th percentile of the shop's variant prices in the currency: "high value" here. Cached ten minutes. */
export async function shopHighValue(sql: Queryable, shopId: string, currency: string): Promise<number> {
	const key = `${shopId}|${currency}`;
	const cached = highValues.get(key);
	if (cached && cached.until > Date.now()) return cached.value;
	const [row] = await sql<{ value: string | null }[]>`
		select percentile_disc(0.9) within group (order by price_amount) as value
		from variants where shop_id = ${shopId} and currency = ${currency}`;
	const value = row?.value === null || row?.value === undefined ? 0 : Number(row.value);
	if (highValues.size > 10_000) highValues.clear();
	highValues.set(key, { value, until: Date.now() + 600_000 });
	return value;
}

/** For tests and after a catalogue import: read the percentile again. */
export function forgetHighValues(): void {
	highValues.clear();
}

/** The lines of a return as the score reads them, from the order's lines (pure). */
export function riskLines(
	orderLines: { id: string; product_id?: string | null; unit_price_amount: number; category: string | null; tags: string[] | null }[],
	requests: { orderLineId: string; quantity: number; reasonCode: string | null }[]
): RiskLine[] {
	const asked = new Set(requests.map((r) => r.orderLineId));
	const byId = new Map(orderLines.map((l) => [l.id, l]));
	return requests.flatMap((r) => {
		const line = byId.get(r.orderLineId);
		if (!line) return [];
		const siblings = line.product_id ? orderLines.filter((l) => l.product_id === line.product_id) : [line];
		return [
			{
				unitPrice: Number(line.unit_price_amount),
				quantity: r.quantity,
				category: line.category,
				occasion: (line.tags ?? []).includes(OCCASION_TAG),
				reason: r.reasonCode ?? 'other',
				siblings: siblings.length,
				siblingsReturned: siblings.filter((s) => asked.has(s.id)).length
			}
		];
	});
}
