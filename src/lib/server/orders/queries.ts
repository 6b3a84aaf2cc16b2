import type { Queryable } from '../db';
import type { Money } from '../api/schema';
import { toOrderOut, type OrderOut } from './order-out';
import { deliveryStatus, type DeliveryStatus } from './returnable';

const ORDER_COLUMNS = (sql: Queryable) => sql`
	o.*, c.email as customer_email, c.external_id as customer_external_id,
	c.first_name as customer_first_name, c.last_name as customer_last_name`;

async function loadOrder(sql: Queryable, shopId: string, where: { id?: string; externalId?: string }): Promise<OrderOut | undefined> {
	const [order] = await sql`
		select ${ORDER_COLUMNS(sql)} from orders o join customers c on c.id = o.customer_id
		where o.shop_id = ${shopId} and ${where.id ? sql`o.id = ${where.id}` : sql`o.external_id = ${where.externalId!}`}`;
	if (!order) return undefined;
	const lines = await sql`select * from order_lines where order_id = ${order.id} order by position`;
	return toOrderOut(order, lines);
}

export function getOrderByExternalId(sql: Queryable, shopId: string, externalId: string) {
	return loadOrder(sql, shopId, { externalId });
}

export function getOrderById(sql: Queryable, shopId: string, id: string) {
	if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return Promise.resolve(undefined);
	return loadOrder(sql, shopId, { id });
}

export { deliveryStatus, type DeliveryStatus };

export interface OrderListItem {
	id: string;
	orderNumber: string;
	email: string;
	customerName: string | null;
	orderedAt: Date;
	total: Money;
	deliveryStatus: DeliveryStatus;
	returns: number;
}

export interface OrderList {
	orders: OrderListItem[];
	total: number;
	page: number;
	pageSize: number;
	pageCount: number;
}

/** Newest first; `search` matches the start of an order number or any part of the email. */
export async function listOrders(
	sql: Queryable,
	shopId: string,
	options: { search?: string; page?: number; pageSize?: number } = {}
): Promise<OrderList> {
	const pageSize = Math.min(Math.max(options.pageSize ?? 25, 1), 100);
	const search = options.search?.trim().replace(/^#/, '') ?? '';
	const escaped = search.replace(/[\\%_]/g, (ch) => `\\${ch}`);
	const filter = search
		? sql`and (o.order_number ilike ${escaped + '%'} or lower(o.email) like ${'%' + escaped.toLowerCase() + '%'})`
		: sql``;
	const [{ count }] = await sql<{ count: number }[]>`select count(*)::int as count from orders o where o.shop_id = ${shopId} ${filter}`;
	const pageCount = Math.max(1, Math.ceil(count / pageSize));
	const page = Math.min(Math.max(Math.trunc(options.page ?? 1) || 1, 1), pageCount);
	const rows = await sql`
		select o.id, o.order_number, o.email, o.ordered_at, o.fulfilled_at, o.delivered_at, o.total_amount, o.currency,
			nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '') as customer_name,
			(select count(*)::int from returns r where r.order_id = o.id) as returns
		from orders o join customers c on c.id = o.customer_id
		where o.shop_id = ${shopId} ${filter}
		order by o.ordered_at desc, o.id desc
		limit ${pageSize} offset ${(page - 1) * pageSize}`;
	return {
		orders: rows.map((r) => ({
			id: r.id as string,
			orderNumber: r.order_number as string,
			email: r.email as string,
			customerName: (r.customer_name as string | null) ?? null,
			orderedAt: r.ordered_at as Date,
			total: { amount: r.total_amount as number, currency: (r.currency as string).trim() },
			deliveryStatus: deliveryStatus({ fulfilledAt: r.fulfilled_at as Date | null, deliveredAt: r.delivered_at as Date | null }),
			returns: r.returns as number
		})),
		total: count,
		page,
		pageSize,
		pageCount
	};
}

export interface OrderReturn {
	id: string;
	rma: string;
	channel: string;
	receptionStatus: string;
	decisionStatus: string;
	isWithdrawal: boolean;
	requestedAt: Date;
	closedAt: Date | null;
	/** The policy version it was decided under (null for imported history). */
	policyVersion: number | null;
	lines: {
		orderLineId: string;
		quantity: number;
		reasonCode: string;
		reasonLabelEn: string;
		reasonLabelFr: string;
		resolutionStatus: string;
		/** The policy's decision for the line when the return was asked for, in words. */
		explanation: { en: string; fr: string } | null;
	}[];
}

/** The returns of one order, oldest first, with their lines and reasons. */
export async function listOrderReturns(sql: Queryable, shopId: string, orderId: string): Promise<OrderReturn[]> {
	const rows = await sql`
		select r.id, r.rma, r.channel, r.reception_status, r.decision_status, r.is_withdrawal, r.requested_at, r.closed_at,
			pv.number as policy_version,
			coalesce(json_agg(json_build_object(
				'orderLineId', l.order_line_id, 'quantity', l.quantity, 'reasonCode', l.reason_code,
				'reasonLabelEn', rr.label_en, 'reasonLabelFr', rr.label_fr, 'resolutionStatus', l.resolution_status,
				'explanation', (
					select d -> 'explanation' from return_events e, jsonb_array_elements(e.payload -> 'policy' -> 'lines') d
					where e.return_id = r.id and e.type = 'return.created' and d ->> 'orderLineId' = l.order_line_id::text
					limit 1))
				order by l.created_at) filter (where l.id is not null), '[]') as lines
		from returns r
		left join policy_versions pv on pv.id = r.policy_version_id
		left join return_lines l on l.return_id = r.id
		left join return_reasons rr on rr.shop_id = l.shop_id and rr.code = l.reason_code
		where r.shop_id = ${shopId} and r.order_id = ${orderId}
		group by r.id, pv.number order by r.requested_at, r.rma`;
	return rows.map((r) => ({
		id: r.id as string,
		rma: r.rma as string,
		channel: r.channel as string,
		receptionStatus: r.reception_status as string,
		decisionStatus: r.decision_status as string,
		isWithdrawal: r.is_withdrawal as boolean,
		requestedAt: r.requested_at as Date,
		closedAt: (r.closed_at as Date | null) ?? null,
		policyVersion: (r.policy_version as number | null) ?? null,
		lines: (typeof r.lines === 'string' ? JSON.parse(r.lines) : r.lines) as OrderReturn['lines']
	}));
}
