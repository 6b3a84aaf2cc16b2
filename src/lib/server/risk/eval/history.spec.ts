import { describe, expect, it } from 'vitest';
import { describeHistory, generateHistory, isAbusive, WINDOW_DAYS } from './history';

const DAY = 86_400_000;

describe('generated shop histories', () => {
	const h = generateHistory({ seed: 7, customers: 3_000 });

	it('are the same for the same seed and differ for another', () => {
		const again = generateHistory({ seed: 7, customers: 3_000 });
		expect(again.returns.map((r) => r.id + r.requestedAt.getTime())).toEqual(h.returns.map((r) => r.id + r.requestedAt.getTime()));
		const other = generateHistory({ seed: 8, customers: 3_000 });
		expect(other.returns.length).not.toBe(h.returns.length);
	});

	it('keep the stated rates: abuse is a small share of returns, honest people return at normal rates', () => {
		const d = describeHistory(h);
		expect(d.abusiveReturns / d.returns).toBeGreaterThan(0.05);
		expect(d.abusiveReturns / d.returns).toBeLessThan(0.12);
		expect(d.abusiveShareByValue).toBeGreaterThan(0.12);
		expect(d.abusiveShareByValue).toBeLessThan(0.3);
		expect(d.byPersona.honest_regular.unitReturnRate).toBeGreaterThan(0.1);
		expect(d.byPersona.honest_regular.unitReturnRate).toBeLessThan(0.25);
		expect(d.byPersona.honest_heavy.unitReturnRate).toBeGreaterThan(0.4);
		expect(d.byPersona.honest_bracketer.unitReturnRate).toBeGreaterThan(0.3);
	});

	it('label every return of an abusive persona abusive and no other', () => {
		const persona = new Map(h.customers.map((c) => [c.id, c.persona]));
		for (const r of h.returns) expect(r.abusive).toBe(isAbusive(persona.get(r.customerId)!));
	});

	it('make returns that fit their orders: within the window, after delivery, each line once, inspected after receipt', () => {
		const orders = new Map(h.orders.map((o) => [o.id, o]));
		for (const r of h.returns) {
			const o = orders.get(r.orderId)!;
			expect(o.customerId).toBe(r.customerId);
			const lineIds = new Set(o.lines.map((l) => l.id));
			expect(new Set(r.lines.map((l) => l.orderLineId)).size).toBe(r.lines.length);
			for (const l of r.lines) expect(lineIds.has(l.orderLineId)).toBe(true);
			expect(r.requestedAt.getTime()).toBeGreaterThanOrEqual(o.deliveredAt.getTime());
			expect(r.requestedAt.getTime() - o.deliveredAt.getTime()).toBeLessThanOrEqual(WINDOW_DAYS * DAY);
			expect(r.requestedAt.getTime()).toBeLessThanOrEqual(h.end.getTime());
			expect(r.inspectedAt.getTime()).toBeGreaterThan(r.receivedAt.getTime());
		}
		expect(new Set(h.returns.map((r) => r.orderId)).size).toBe(h.returns.length);
	});

	it('link fraud ring accounts by a shared address or card, and some honest households too', () => {
		const ring = h.customers.filter((c) => c.persona === 'empty_box');
		const accounts = new Map<string, number>();
		for (const c of ring) accounts.set(c.identity, (accounts.get(c.identity) ?? 0) + 1);
		expect([...accounts.values()].some((n) => n >= 2)).toBe(true);
		const addressOf = new Map(h.orders.map((o) => [o.customerId, o.addressKey]));
		const honestShared = h.customers.filter((c) => !isAbusive(c.persona)).map((c) => addressOf.get(c.id)).filter(Boolean);
		expect(new Set(honestShared).size).toBeLessThan(honestShared.length);
	});
});
