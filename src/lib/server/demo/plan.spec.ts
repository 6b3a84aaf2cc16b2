import { describe, expect, it } from 'vitest';
import { orderInput as orderSchema } from '../orders/schema';
import { wholeDays } from '../policy/facts';
import { DEMO_TIME_ZONE, planDemo, SCENARIO_DELIVERY_DAYS, SCENARIOS } from './plan';

const DAY = 86_400_000;
const now = new Date('2026-11-20T10:00:00Z');

describe('planDemo', () => {
	const plan = planDemo(now);

	it('is the same history every time for the same day', () => {
		const again = planDemo(now);
		expect(again.orders.map((o) => o.input)).toEqual(plan.orders.map((o) => o.input));
		expect(again.returns).toEqual(plan.returns);
	});

	it('moves with today: same shop, dates shifted', () => {
		const later = planDemo(new Date(now.getTime() + 30 * DAY));
		expect(later.orders.length).toBeGreaterThanOrEqual(250);
		expect(later.customers).toEqual(plan.customers);
		const scenario = (p: typeof plan) => p.orders.find((o) => o.scenario === 'jeans-too-small')!;
		expect(wholeDays(scenario(plan).deliveredAt!, scenario(later).deliveredAt!, DEMO_TIME_ZONE)).toBe(30);
	});

	it('plans about 300 valid orders over six months, none in the future', () => {
		expect(plan.orders.length).toBeGreaterThanOrEqual(280);
		expect(plan.orders.length).toBeLessThanOrEqual(320);
		for (const o of plan.orders) {
			expect(orderSchema.safeParse(o.input).success, o.orderNumber).toBe(true);
			expect(o.orderedAt.getTime()).toBeLessThan(now.getTime());
			expect(now.getTime() - o.orderedAt.getTime()).toBeLessThan(185 * DAY);
			if (o.deliveredAt) expect(o.deliveredAt.getTime()).toBeLessThan(now.getTime());
		}
		expect(new Set(plan.orders.map((o) => o.orderNumber)).size).toBe(plan.orders.length);
		const numbers = plan.orders.map((o) => Number(o.orderNumber));
		expect(numbers).toEqual([...numbers].sort((a, b) => a - b)); // numbered in order of time
	});

	it('puts each scenario on its own order of its own customer, without a return', () => {
		const scenarioOrders = plan.orders.filter((o) => o.scenario);
		expect(scenarioOrders.map((o) => o.scenario).sort()).toEqual([...SCENARIOS].sort());
		expect(new Set(scenarioOrders.map((o) => o.customer.email)).size).toBe(SCENARIOS.length);
		const returned = new Set(plan.returns.map((r) => r.orderExternalId));
		for (const o of scenarioOrders) {
			expect(returned.has(o.externalId)).toBe(false);
			expect(wholeDays(o.deliveredAt!, now, DEMO_TIME_ZONE)).toBe(SCENARIO_DELIVERY_DAYS[o.scenario!]);
		}
	});

	it('delivers each scenario its stated number of days ago on the shop’s calendar, at any hour of the day', () => {
		// 23:30 UTC is already tomorrow in Paris; 00:30 UTC still today there; and days across the clock changes.
		for (const at of ['2026-11-28T23:30:00Z', '2026-11-29T00:30:00Z', '2026-03-29T22:30:00Z', '2026-10-25T01:30:00Z', '2026-07-01T21:59:00Z']) {
			const day = new Date(at);
			for (const o of planDemo(day).orders.filter((x) => x.scenario)) {
				expect(wholeDays(o.deliveredAt!, day, DEMO_TIME_ZONE), `${o.scenario} at ${at}`).toBe(SCENARIO_DELIVERY_DAYS[o.scenario!]);
				expect(o.deliveredAt!.getTime()).toBeLessThan(day.getTime());
			}
		}
	});

	it('plans returns on about a fifth of orders, with steps in time order and never in the future', () => {
		expect(plan.returns.length / plan.orders.length).toBeGreaterThan(0.12);
		expect(plan.returns.length / plan.orders.length).toBeLessThan(0.3);
		const orders = new Map(plan.orders.map((o) => [o.externalId, o]));
		for (const r of plan.returns) {
			const order = orders.get(r.orderExternalId)!;
			expect(r.requestedAt.getTime()).toBeGreaterThan(order.deliveredAt!.getTime());
			let t = r.requestedAt.getTime();
			for (const s of r.steps) {
				expect(s.at.getTime()).toBeGreaterThanOrEqual(t);
				t = s.at.getTime();
			}
			expect(t).toBeLessThan(now.getTime());
			for (const l of r.lines) expect(order.lines.some((ol) => ol.externalId === l.lineExternalId)).toBe(true);
			if (r.isWithdrawal) expect(r.lines.every((l) => l.reasonCode === 'withdrawal')).toBe(true);
		}
	});
});
