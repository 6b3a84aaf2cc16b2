import { randomUUID } from 'node:crypto';
import type { Sql } from '../../db';
import { stopsRefund } from '../../inspection/rules';
import type { SimHistory } from './history';

/**
 * Writes a generated history into a shop, as imported history (channel "import"), with its inspections and
 * claims: for the database test that the profile queries read what the evaluation reads. Returns the ids the
 * generated ones became.
 */
export async function loadHistory(sql: Sql, shopId: string, h: SimHistory) {
	const ids = new Map<string, string>();
	const uuid = (simId: string) => ids.get(simId) ?? (ids.set(simId, randomUUID()), ids.get(simId)!);
	// Address keys of the generator become streets whose key is unique in lowercase.
	const streets = new Map<string, string>();
	const street = (key: string) => streets.get(key) ?? (streets.set(key, `street${streets.size + 1}`), streets.get(key)!);
	const batch = async <T extends Record<string, unknown>>(table: string, rows: T[], size = 2_000) => {
		for (let i = 0; i < rows.length; i += size) await sql`insert into ${sql(table)} ${sql(rows.slice(i, i + size) as never)}`;
	};
	await batch(
		'products',
		h.products.map((p) => ({ id: uuid(p.id), shop_id: shopId, external_id: p.id, title: p.title, category: p.category, tags: p.tags }))
	);
	await batch(
		'variants',
		h.products.flatMap((p) =>
			p.sizes.map((size, i) => ({
				id: uuid(`${p.id}:${size}`),
				shop_id: shopId,
				product_id: uuid(p.id),
				external_id: `${p.id}:${size}`,
				sku: `${p.id}-${size}`,
				title: size,
				position: i + 1,
				price_amount: p.price,
				currency: 'EUR'
			}))
		)
	);
	await batch('customers', h.customers.map((c) => ({ id: uuid(c.id), shop_id: shopId, email: `${c.id}@example.com`, external_id: c.id })));
	await batch(
		'orders',
		h.orders.map((o) => {
			const total = o.lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0);
			return {
				id: uuid(o.id),
				shop_id: shopId,
				external_id: o.id,
				order_number: o.id,
				customer_id: uuid(o.customerId),
				email: `${o.customerId}@example.com`,
				currency: 'EUR',
				subtotal_amount: total,
				total_amount: total,
				ordered_at: o.orderedAt,
				delivered_at: o.deliveredAt,
				ship_name: 'Customer',
				ship_line1: street(o.addressKey),
				ship_postal_code: '75001',
				ship_city: 'Paris',
				ship_country: 'FR',
				payment_fingerprint: o.paymentFingerprint,
				source: 'import'
			};
		})
	);
	await batch(
		'order_lines',
		h.orders.flatMap((o) =>
			o.lines.map((l, i) => ({
				id: uuid(l.id),
				shop_id: shopId,
				order_id: uuid(o.id),
				external_id: l.id,
				position: i + 1,
				product_id: uuid(l.productId),
				variant_id: uuid(`${l.productId}:${l.variant}`),
				sku: `${l.productId}-${l.variant}`,
				title: l.productId,
				quantity: l.quantity,
				unit_price_amount: l.unitPrice,
				total_amount: l.unitPrice * l.quantity
			}))
		)
	);
	let rma = 0;
	await batch(
		'returns',
		h.returns.map((r) => {
			const n = (rma++).toString(36).toUpperCase().padStart(8, '0');
			return {
				id: uuid(r.id),
				shop_id: shopId,
				order_id: uuid(r.orderId),
				customer_id: uuid(r.customerId),
				rma: `R-${n.slice(0, 4)}-${n.slice(4)}`,
				reception_status: 'received',
				decision_status: 'accepted',
				channel: 'import',
				currency: 'EUR',
				requested_at: r.requestedAt,
				created_at: r.requestedAt
			};
		})
	);
	await batch(
		'return_lines',
		h.returns.flatMap((r) =>
			r.lines.map((l) => ({ id: uuid(`${r.id}:${l.orderLineId}`), shop_id: shopId, return_id: uuid(r.id), order_line_id: uuid(l.orderLineId), quantity: l.quantity, reason_code: l.reason }))
		)
	);
	await batch(
		'return_line_inspections',
		h.returns.flatMap((r) =>
			r.lines.map((l) => ({
				return_line_id: uuid(`${r.id}:${l.orderLineId}`),
				shop_id: shopId,
				return_id: uuid(r.id),
				condition: l.condition,
				disposition: l.condition === 'missing' ? null : l.condition === 'new' ? 'restock' : 'refurbish',
				stops_refund: stopsRefund(l.condition, l.reason),
				inspected_at: r.inspectedAt
			}))
		)
	);
	await batch(
		'order_claims',
		h.claims.map((c) => ({ id: uuid(c.id), shop_id: shopId, order_id: uuid(c.orderId), customer_id: uuid(c.customerId), kind: c.kind, created_at: c.at }))
	);
	return { id: uuid };
}
