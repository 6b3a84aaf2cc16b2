import type { Queryable } from '../db';
import { lineFacts } from './facts';
import type { Resolution } from './rules';
import type { PastReturn } from './simulate';

/**
 * The shop's past returns as the policy engine saw them when each was asked for: the days since delivery
 * then, the customer's returns and units before it, the units of the line already in earlier returns.
 * One query, streamed in batches, so a shop with 100,000 returns is read in about a second.
 */

const TAKEN: Record<string, Resolution> = { refund: 'refund', store_credit: 'store_credit', exchange: 'exchange_variant', keep: 'refund' };

type Row = {
	return_id: string;
	rma: string;
	currency: string;
	requested_at: Date;
	is_withdrawal: boolean;
	requested_resolution: string | null;
	order_line_id: string;
	quantity: number;
	reason_code: string;
	ordered_at: Date;
	delivered_at: Date | null;
	ship_country: string;
	order_total: string;
	taxes_included: boolean;
	shipping: string;
	sku: string | null;
	ordered_quantity: number;
	unit_price: string;
	discount: string;
	vat: string;
	line_total: string;
	category: string | null;
	tags: string[] | null;
	final_sale: boolean | null;
	already_returned: number;
	return_units: number;
	order_units: number;
	earlier_on_order: number;
	customer_returns: number;
	customer_returned_units: number;
	customer_ordered_units: number;
};

export async function loadPastReturns(sql: Queryable, shopId: string, since: Date): Promise<PastReturn[]> {
	const byId = new Map<string, PastReturn>();
	const cursor = sql<Row[]>`
		with r as (
			select r.id, r.rma, r.currency, r.requested_at, r.is_withdrawal, r.order_id, r.customer_id,
				r.decision_status not in ('cancelled', 'rejected') as holds
			from returns r
			where r.shop_id = ${shopId} and r.decision_status <> 'cancelled'
		),
		lines as (
			select rl.return_id, rl.order_line_id, rl.quantity, rl.reason_code, rl.requested_resolution,
				r.requested_at, r.holds, r.order_id, r.customer_id,
				coalesce(sum(case when r.holds then rl.quantity end) over (
					partition by rl.order_line_id order by r.requested_at, r.id rows between unbounded preceding and 1 preceding), 0)::int as already_returned,
				sum(rl.quantity) over (partition by rl.return_id)::int as return_units,
				coalesce(sum(case when r.holds then rl.quantity end) over (
					partition by r.order_id order by r.requested_at, r.id range between unbounded preceding and current row), 0)::int
					- sum(case when r.holds then rl.quantity else 0 end) over (partition by rl.return_id)::int as earlier_on_order,
				coalesce(sum(case when r.holds then rl.quantity end) over (
					partition by r.customer_id order by r.requested_at, r.id range between unbounded preceding and current row), 0)::int
					- sum(case when r.holds then rl.quantity else 0 end) over (partition by rl.return_id)::int as customer_returned_units
			from return_lines rl join r on r.id = rl.return_id
		),
		counts as (
			select id, (count(*) over (partition by customer_id order by requested_at, id) - 1)::int as customer_returns from r
		)
		select l.return_id, r.rma, r.currency, r.requested_at, r.is_withdrawal, l.requested_resolution, l.order_line_id, l.quantity,
			l.reason_code, o.ordered_at, o.delivered_at, o.ship_country, o.total_amount as order_total, o.taxes_included,
			o.shipping_amount + case when o.taxes_included then 0 else o.shipping_tax_amount end as shipping,
			ol.sku, ol.quantity as ordered_quantity, ol.unit_price_amount as unit_price, ol.discount_amount as discount,
			ol.vat_amount as vat, ol.total_amount as line_total, p.category, p.tags, p.final_sale,
			l.already_returned, l.return_units, l.earlier_on_order,
			(select sum(x.quantity)::int from order_lines x where x.order_id = o.id) as order_units,
			c.customer_returns, l.customer_returned_units,
			(select coalesce(sum(x.quantity), 0)::int from order_lines x join orders xo on xo.id = x.order_id
				where xo.shop_id = ${shopId} and xo.customer_id = o.customer_id and xo.ordered_at <= r.requested_at) as customer_ordered_units
		from lines l
		join r on r.id = l.return_id
		join counts c on c.id = l.return_id
		join orders o on o.id = r.order_id
		join order_lines ol on ol.id = l.order_line_id
		left join products p on p.id = ol.product_id
		where r.requested_at >= ${since}
		order by r.requested_at, r.id, ol.position`.cursor(2000);
	for await (const rows of cursor) {
		for (const row of rows) add(byId, row);
	}
	return [...byId.values()];
}

function add(byId: Map<string, PastReturn>, row: Row) {
	let ret = byId.get(row.return_id);
	if (!ret) {
		ret = {
			returnId: row.return_id,
			rma: row.rma,
			currency: row.currency.trim(),
			takenResolution: TAKEN[row.requested_resolution ?? 'refund'] ?? 'refund',
			outboundShipping: Number(row.shipping),
			lines: []
		};
		byId.set(row.return_id, ret);
	}
	ret.lines.push(
		lineFacts({
			order: {
				currency: row.currency,
				taxes_included: row.taxes_included,
				shipping_amount: Number(row.shipping),
				shipping_tax_amount: 0,
				total_amount: Number(row.order_total),
				ordered_at: row.ordered_at,
				delivered_at: row.delivered_at,
				ship_country: row.ship_country
			},
			line: {
				id: row.order_line_id,
				sku: row.sku,
				quantity: row.ordered_quantity,
				unit_price_amount: Number(row.unit_price),
				discount_amount: Number(row.discount),
				vat_amount: Number(row.vat),
				total_amount: Number(row.line_total),
				category: row.category,
				tags: row.tags,
				final_sale: row.final_sale
			},
			request: { orderLineId: row.order_line_id, quantity: row.quantity, reasonCode: row.reason_code },
			alreadyReturned: row.already_returned,
			history: { returns: row.customer_returns, returnedUnits: row.customer_returned_units, orderedUnits: row.customer_ordered_units },
			at: row.requested_at,
			isWithdrawal: row.is_withdrawal,
			wholeOrder: row.earlier_on_order === 0 && row.return_units === row.order_units
		})
	);
}
