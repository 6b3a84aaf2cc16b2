import { EMPTY_HISTORY, EMPTY_LINKED, isLate, OCCASION_TAG, type RiskFacts, type RiskHistory, type RiskLinked } from '../facts';
import type { SimHistory, SimOrder, SimReturn } from './history';

/**
 * The risk facts of each generated return as the shop knew them when it was asked for: orders placed before,
 * returns asked for before, inspections finished before, claims made before. Mirrors `queries.ts` (a database
 * test checks both give the same facts for the same history).
 */

const DAY = 86_400_000;
/** At most this many linked accounts are read (a shared office address must not make scoring slow). */
export const MAX_LINKED = 50;

/** The 90th percentile of the catalogue's prices, as PostgreSQL's percentile_disc(0.9) picks it. */
export function highValueOf(prices: number[]): number {
	const sorted = [...prices].sort((a, b) => a - b);
	return sorted.length ? sorted[Math.max(0, Math.ceil(sorted.length * 0.9) - 1)] : 0;
}

export function historyIndex(h: SimHistory) {
	const product = new Map(h.products.map((p) => [p.id, p]));
	const orderById = new Map(h.orders.map((o) => [o.id, o]));
	const ordersByCustomer = new Map<string, SimOrder[]>();
	const returnsByCustomer = new Map<string, SimReturn[]>();
	const claimsByCustomer = new Map<string, Date[]>();
	const byAddress = new Map<string, Set<string>>();
	const byCard = new Map<string, Set<string>>();
	const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => (m.get(k) ?? m.set(k, []).get(k)!).push(v);
	const add = (m: Map<string, Set<string>>, k: string, v: string) => (m.get(k) ?? m.set(k, new Set()).get(k)!).add(v);
	for (const o of h.orders) {
		push(ordersByCustomer, o.customerId, o);
		add(byAddress, o.addressKey, o.customerId);
		add(byCard, o.paymentFingerprint, o.customerId);
	}
	for (const r of h.returns) push(returnsByCustomer, r.customerId, r);
	for (const c of h.claims) push(claimsByCustomer, c.customerId, c.at);
	return {
		product,
		orderById,
		ordersByCustomer,
		returnsByCustomer,
		claimsByCustomer,
		byAddress,
		byCard,
		highValue: highValueOf(h.products.flatMap((p) => p.sizes.map(() => p.price)))
	};
}

export type HistoryIndex = ReturnType<typeof historyIndex>;

function ownHistory(ix: HistoryIndex, customerId: string, at: number, windowDays: number): RiskHistory {
	const orders = (ix.ordersByCustomer.get(customerId) ?? []).filter((o) => o.orderedAt.getTime() <= at);
	if (orders.length === 0) return { ...EMPTY_HISTORY };
	const returns = (ix.returnsByCustomer.get(customerId) ?? []).filter((r) => r.requestedAt.getTime() < at);
	const returnedByLine = new Map<string, number>();
	for (const r of returns) for (const l of r.lines) returnedByLine.set(l.orderLineId, (returnedByLine.get(l.orderLineId) ?? 0) + l.quantity);
	let bracketGroups = 0;
	let bracketGroupsAllReturned = 0;
	for (const o of orders) {
		const groups = new Map<string, string[]>();
		for (const l of o.lines) (groups.get(l.productId) ?? groups.set(l.productId, []).get(l.productId)!).push(l.id);
		for (const ids of groups.values()) {
			if (ids.length < 2) continue;
			bracketGroups++;
			if (ids.every((id) => (returnedByLine.get(id) ?? 0) > 0)) bracketGroupsAllReturned++;
		}
	}
	const h: RiskHistory = {
		...EMPTY_HISTORY,
		accountAgeDays: Math.floor((at - orders[0].orderedAt.getTime()) / DAY),
		orders: orders.length,
		orderedUnits: orders.reduce((s, o) => s + o.lines.reduce((t, l) => t + l.quantity, 0), 0),
		returns: returns.length,
		returnedUnits: returns.reduce((s, r) => s + r.lines.reduce((t, l) => t + l.quantity, 0), 0),
		returnsLast30Days: returns.filter((r) => r.requestedAt.getTime() >= at - 30 * DAY).length,
		bracketGroups,
		bracketGroupsAllReturned,
		notReceivedClaims: (ix.claimsByCustomer.get(customerId) ?? []).filter((c) => c.getTime() < at).length
	};
	for (const r of returns) {
		const order = ix.orderById.get(r.orderId)!;
		const late = isLate((r.requestedAt.getTime() - order.deliveredAt.getTime()) / DAY, windowDays);
		if (late) h.lateReturns++;
		const lineOf = new Map(order.lines.map((l) => [l.id, l]));
		const occasion = r.lines.some((l) => ix.product.get(lineOf.get(l.orderLineId)!.productId)!.tags.includes(OCCASION_TAG));
		if (occasion) h.occasionReturns++;
		if (occasion && late) h.lateOccasionReturns++;
		if (r.inspectedAt.getTime() < at) {
			for (const l of r.lines) {
				h.inspectedUnits += l.quantity;
				if (l.condition === 'used') h.usedUnits += l.quantity;
				if (l.condition === 'wrong_item' || l.condition === 'missing') h.mismatchUnits += l.quantity;
			}
		}
	}
	return h;
}

function linkedOf(ix: HistoryIndex, customerId: string, at: number): RiskLinked {
	// Linked by orders already placed, on both sides.
	const mine = (ix.ordersByCustomer.get(customerId) ?? []).filter((o) => o.orderedAt.getTime() <= at);
	const addresses = new Set(mine.map((o) => o.addressKey));
	const cards = new Set(mine.map((o) => o.paymentFingerprint));
	const others = new Set<string>();
	for (const id of new Set([...[...addresses].flatMap((a) => [...(ix.byAddress.get(a) ?? [])]), ...[...cards].flatMap((c) => [...(ix.byCard.get(c) ?? [])])])) {
		if (id === customerId) continue;
		const shares = (ix.ordersByCustomer.get(id) ?? []).some((o) => o.orderedAt.getTime() <= at && (addresses.has(o.addressKey) || cards.has(o.paymentFingerprint)));
		if (shares) others.add(id);
	}
	const linked = { ...EMPTY_LINKED };
	for (const id of [...others].sort().slice(0, MAX_LINKED)) {
		linked.accounts++;
		for (const r of ix.returnsByCustomer.get(id) ?? []) {
			if (r.requestedAt.getTime() >= at) continue;
			linked.returns++;
			if (r.inspectedAt.getTime() >= at) continue;
			for (const l of r.lines) {
				if (l.condition === 'used') linked.usedUnits += l.quantity;
				if (l.condition === 'wrong_item' || l.condition === 'missing') linked.mismatchUnits += l.quantity;
			}
		}
		linked.notReceivedClaims += (ix.claimsByCustomer.get(id) ?? []).filter((c) => c.getTime() < at).length;
	}
	return linked;
}

export function factsAt(ix: HistoryIndex, r: SimReturn, windowDays: number): RiskFacts {
	const at = r.requestedAt.getTime();
	const order = ix.orderById.get(r.orderId)!;
	const back = new Map(r.lines.map((l) => [l.orderLineId, l]));
	const siblingsOf = (productId: string) => order.lines.filter((l) => l.productId === productId);
	return {
		daysSinceDelivery: Math.floor((at - order.deliveredAt.getTime()) / DAY),
		windowDays,
		highValue: ix.highValue,
		lines: order.lines
			.filter((l) => back.has(l.id))
			.map((l) => {
				const p = ix.product.get(l.productId)!;
				const siblings = siblingsOf(l.productId);
				return {
					unitPrice: l.unitPrice,
					quantity: back.get(l.id)!.quantity,
					category: p.category,
					occasion: p.tags.includes(OCCASION_TAG),
					reason: back.get(l.id)!.reason,
					siblings: siblings.length,
					siblingsReturned: siblings.filter((s) => back.has(s.id)).length
				};
			}),
		history: ownHistory(ix, r.customerId, at, windowDays),
		linked: linkedOf(ix, r.customerId, at)
	};
}
