import type { Queryable } from '../db';
import { lineFacts, type CustomerHistory } from './facts';
import type { Resolution } from './rules';
import type { PastReturn } from './simulate';

/**
 * The shop's past returns as the policy engine saw them when each was asked for: the days since delivery
 * then, the customer's returns and units before it, the units of the line already in earlier returns.
 * Two flat queries; the sums over time are made here in one pass in time order (window functions over
 * the whole history cost PostgreSQL several seconds for 100,000 returns, this a few hundred milliseconds).
 */

const TAKEN: Record<string, Resolution> = { refund: 'refund', store_credit: 'store_credit', exchange: 'exchange_variant', keep: 'refund' };

/** One returned line with what its facts need, as a tuple: 100,000 of them parse far faster than objects. */
type Row = [
	returnId: string,
	rma: string,
	currency: string,
	requestedAt: number,
	isWithdrawal: boolean,
	rejected: boolean,
	orderId: string,
	customerId: string,
	requestedResolution: string | null,
	orderLineId: string,
	quantity: number,
	reasonCode: string,
	orderedAt: number,
	deliveredAt: number | null,
	shipCountry: string,
	orderTotal: string,
	outbound: string,
	sku: string | null,
	orderedQuantity: number,
	unitPrice: string,
	discounted: boolean,
	paid: string,
	productId: string | null,
	position: number,
	quotedResolution: string | null,
	riskScore: number | null
];
const R = {
	returnId: 0, rma: 1, currency: 2, requestedAt: 3, isWithdrawal: 4, rejected: 5, orderId: 6, customerId: 7, requestedResolution: 8,
	orderLineId: 9, quantity: 10, reasonCode: 11, orderedAt: 12, deliveredAt: 13, shipCountry: 14, orderTotal: 15, outbound: 16, sku: 17,
	orderedQuantity: 18, unitPrice: 19, discounted: 20, paid: 21, productId: 22, position: 23, quotedResolution: 24, riskScore: 25
} as const;

export async function loadPastReturns(sql: Queryable, shopId: string, since: Date): Promise<PastReturn[]> {
	// Every return that still counts: the earlier ones make the history of the later ones. Times come as
	// milliseconds since 1970 and products apart: 100,000 rows read several times faster that way.
	const [rows, orders, products, [shop]] = await Promise.all([
		sql`
			select r.id, r.rma, r.currency, (extract(epoch from r.requested_at) * 1000)::float8, r.is_withdrawal, r.decision_status = 'rejected',
				r.order_id, r.customer_id, rl.requested_resolution, rl.order_line_id, rl.quantity, rl.reason_code,
				(extract(epoch from o.ordered_at) * 1000)::float8, (extract(epoch from o.delivered_at) * 1000)::float8, o.ship_country, o.total_amount,
				o.shipping_amount + case when o.taxes_included then 0 else o.shipping_tax_amount end,
				ol.sku, ol.quantity, ol.unit_price_amount, ol.discount_amount > 0,
				ol.total_amount + case when o.taxes_included then 0 else ol.vat_amount end,
				ol.product_id, ol.position, r.quote ->> 'resolution', ra.score::int
			from returns r
			join return_lines rl on rl.return_id = r.id
			join orders o on o.id = r.order_id
			join order_lines ol on ol.id = rl.order_line_id
			left join return_risk_assessments ra on ra.return_id = r.id
			where r.shop_id = ${shopId} and r.decision_status <> 'cancelled'`.values() as unknown as Promise<Row[]>,
		sql`
			select o.id, o.customer_id, (extract(epoch from o.ordered_at) * 1000)::float8, u.units
			from orders o join (select order_id, sum(quantity)::int as units from order_lines where shop_id = ${shopId} group by order_id) u
				on u.order_id = o.id
			where o.shop_id = ${shopId}`.values() as unknown as Promise<[string, string, number, number][]>,
		sql<{ id: string; category: string | null; tags: string[]; final_sale: boolean }[]>`
			select id, category, tags, final_sale from products where shop_id = ${shopId}`,
		sql<{ timezone: string }[]>`select timezone from shops where id = ${shopId}`
	]);
	const timeZone = shop?.timezone ?? 'UTC';
	const product = new Map(products.map((p) => [p.id, p]));
	// Sorted here rather than by the database: its sort of 100,000 wide rows spills to disk.
	rows.sort(
		(a, b) =>
			a[R.requestedAt] - b[R.requestedAt] ||
			(a[R.returnId] < b[R.returnId] ? -1 : a[R.returnId] > b[R.returnId] ? 1 : a[R.position] - b[R.position])
	);
	orders.sort((a, b) => a[2] - b[2]);

	const orderUnits = new Map<string, number>();
	const customerOrders = new Map<string, { at: number; units: number }[]>();
	for (const [id, customerId, orderedAt, units] of orders) {
		orderUnits.set(id, units);
		let list = customerOrders.get(customerId);
		if (!list) customerOrders.set(customerId, (list = []));
		list.push({ at: orderedAt, units });
	}
	const customers = new Map<string, { next: number; ordered: number; returns: number; returned: number; times: number[] }>();
	const heldPerLine = new Map<string, number>();
	const heldPerOrder = new Map<string, number>();
	const deliveryRefunded = new Set<string>();

	const out: PastReturn[] = [];
	const sinceMs = since.getTime();
	for (let i = 0; i < rows.length; ) {
		let j = i;
		while (j < rows.length && rows[j][R.returnId] === rows[i][R.returnId]) j++;
		const lines = rows.slice(i, j);
		i = j;
		const head = lines[0];
		const at = head[R.requestedAt];
		let customer = customers.get(head[R.customerId]);
		if (!customer) customers.set(head[R.customerId], (customer = { next: 0, ordered: 0, returns: 0, returned: 0, times: [] }));
		const timeline = customerOrders.get(head[R.customerId]) ?? [];
		while (customer.next < timeline.length && timeline[customer.next].at <= at) customer.ordered += timeline[customer.next++].units;
		const units = lines.reduce((s, l) => s + l[R.quantity], 0);
		const earlierOnOrder = heldPerOrder.get(head[R.orderId]) ?? 0;
		if (at >= sinceMs) {
			const since = (days: number) => customer.times.length - lowerBound(customer.times, at - days * 86_400_000 + 1);
			const history = {
				returns: customer.returns,
				returnedUnits: customer.returned,
				orderedUnits: customer.ordered,
				returnsLast30Days: since(30),
				returnsLast365Days: since(365)
			};
			const wholeOrder = !deliveryRefunded.has(head[R.orderId]) && earlierOnOrder + units === orderUnits.get(head[R.orderId]);
			out.push({
				returnId: head[R.returnId],
				rma: head[R.rma],
				currency: head[R.currency].trim(),
				// The resolution it was quoted for; before quotes were stored, the first line's request.
				takenResolution: (head[R.quotedResolution] as Resolution | null) ?? TAKEN[head[R.requestedResolution] ?? 'refund'] ?? 'refund',
				outboundShipping: Number(head[R.outbound]),
				lines: lines.map((row) =>
					facts(row, product.get(row[R.productId]!), history, heldPerLine.get(row[R.orderLineId]) ?? 0, wholeOrder, timeZone)
				)
			});
		}
		// What this return adds to the history of the next ones. The customer's record counts every request,
		// as the entry point does; a rejected one gave its units back to the order.
		customer.returns++;
		customer.returned += units;
		customer.times.push(at);
		if (!head[R.rejected]) {
			// A withdrawal that completes the order is the one the delivery is refunded with, once.
			if (head[R.isWithdrawal] && earlierOnOrder + units === orderUnits.get(head[R.orderId])) deliveryRefunded.add(head[R.orderId]);
			heldPerOrder.set(head[R.orderId], earlierOnOrder + units);
			for (const l of lines) heldPerLine.set(l[R.orderLineId], (heldPerLine.get(l[R.orderLineId]) ?? 0) + l[R.quantity]);
		}
	}
	return out;
}

function facts(
	row: Row,
	product: { category: string | null; tags: string[]; final_sale: boolean } | undefined,
	history: CustomerHistory,
	alreadyReturned: number,
	wholeOrder: boolean,
	timeZone: string
) {
	const paid = Number(row[R.paid]);
	const deliveredAt = row[R.deliveredAt];
	return lineFacts({
		order: {
			currency: row[R.currency],
			// The amounts below already include VAT.
			taxes_included: true,
			shipping_amount: Number(row[R.outbound]),
			shipping_tax_amount: 0,
			total_amount: Number(row[R.orderTotal]),
			ordered_at: new Date(row[R.orderedAt]),
			delivered_at: deliveredAt === null ? null : new Date(deliveredAt),
			ship_country: row[R.shipCountry]
		},
		line: {
			id: row[R.orderLineId],
			sku: row[R.sku],
			quantity: row[R.orderedQuantity],
			unit_price_amount: Number(row[R.unitPrice]),
			discount_amount: row[R.discounted] ? 1 : 0,
			vat_amount: 0,
			total_amount: paid,
			category: product?.category ?? null,
			tags: product?.tags ?? [],
			final_sale: product?.final_sale ?? false
		},
		request: { orderLineId: row[R.orderLineId], quantity: row[R.quantity], reasonCode: row[R.reasonCode] },
		alreadyReturned,
		history,
		at: new Date(row[R.requestedAt]),
		isWithdrawal: row[R.isWithdrawal],
		wholeOrder,
		// The score the return was made with (none for history imported from elsewhere).
		riskScore: row[R.riskScore],
		timeZone
	});
}

/** The first index whose time is ≥ `t` in times sorted ascending. */
function lowerBound(times: number[], t: number): number {
	let lo = 0;
	let hi = times.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (times[mid] < t) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}
