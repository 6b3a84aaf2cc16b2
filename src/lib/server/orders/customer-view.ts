import type { Queryable } from '../db';
import { customerCanCancel, type DecisionStatus, type ReceptionStatus, type ResolutionStatus } from '../returns/lifecycle';
import { isReturnLinkValid, returnLinkExpiry, verifyReturnToken } from './return-links';
import {
	claimedQuantities,
	customerReturnStatus,
	deliveryStatus,
	lineReturnability,
	type CustomerReturnStatus,
	type DeliveryStatus,
	type NotReturnableReason
} from './returnable';

/** What the customer's order page (/r/<token>) shows: nothing a customer should not see (no ids of staff, no costs). */
export interface CustomerOrderView {
	id: string;
	shopId: string;
	shopName: string;
	/** The shop's time zone, so dates read the same on the server and in the browser. */
	timezone: string;
	orderNumber: string;
	/** The order's language, else its shop's. */
	locale: 'en' | 'fr';
	currency: string;
	totalAmount: number;
	orderedAt: Date;
	fulfilledAt: Date | null;
	deliveredAt: Date | null;
	deliveryStatus: DeliveryStatus;
	lines: CustomerOrderLine[];
	returns: CustomerReturn[];
	/** null while a return is open. */
	linkExpiresAt: Date | null;
}

export interface CustomerOrderLine {
	id: string;
	title: string;
	variantTitle: string | null;
	/** Option values in the product's order: Waist W32, Length L34; Colour Ecru, Size M. */
	options: { name: string; value: string }[];
	sku: string | null;
	imageUrl: string | null;
	imageAlt: string;
	quantity: number;
	/** What the customer paid for the line: quantity × unit price − discount, in minor units. */
	paidAmount: number;
	finalSale: boolean;
	claimed: number;
	returnable: number;
	notReturnableReason: NotReturnableReason | null;
}

/** A step of a return's story the customer is told about, oldest first. */
export interface CustomerReturnEvent {
	at: Date;
	type: 'created' | 'decision' | 'reception' | 'resolution' | 'closed';
	/** The status it moved to (decision, reception, resolution). */
	to: string | null;
}

export interface CustomerReturn {
	id: string;
	rma: string;
	/** What the customer chose and the policy's total for it (null for returns made elsewhere). */
	resolution: string | null;
	total: number | null;
	returnMethod: 'label' | 'drop_off' | 'keep' | null;
	/** Until the parcel ships. */
	canCancel: boolean;
	timeline: CustomerReturnEvent[];
	status: CustomerReturnStatus;
	decisionStatus: DecisionStatus;
	receptionStatus: ReceptionStatus;
	isWithdrawal: boolean;
	requestedAt: Date;
	closedAt: Date | null;
	/** The return label or drop-off code: being made, ready (to download), or not made (staff are told). */
	label: { status: 'pending' | 'created' | 'failed' | 'cancelled'; carrier: string | null; trackingNumber: string | null; trackingUrl: string | null } | null;
	/** The refund of the return: on its way (pending, or retried after a failure, which the customer need not worry about) or paid. */
	refund: { status: 'processing' | 'paid'; amount: number; currency: string } | null;
	lines: {
		orderLineId: string;
		title: string;
		quantity: number;
		reasonCode: string;
		reasonLabel: { en: string; fr: string };
		resolutionStatus: ResolutionStatus;
	}[];
}

interface OrderRow {
	id: string;
	shop_id: string;
	shop_name: string;
	timezone: string;
	order_number: string;
	locale: 'en' | 'fr';
	currency: string;
	total_amount: number;
	ordered_at: Date;
	fulfilled_at: Date | null;
	delivered_at: Date | null;
}

interface LineRow {
	id: string;
	title: string;
	variant_title: string | null;
	sku: string | null;
	quantity: number;
	total_amount: number;
	final_sale: boolean;
	image_url: string | null;
	image_alt: string | null;
	options: { name: string; value: string }[];
}

interface ReturnRow {
	id: string;
	rma: string;
	quote: { total: number; resolution?: string } | null;
	return_method: 'label' | 'drop_off' | 'keep' | null;
	decision_status: DecisionStatus;
	reception_status: ReceptionStatus;
	is_withdrawal: boolean;
	requested_at: Date;
	closed_at: Date | null;
	label: { status: 'pending' | 'created' | 'failed' | 'cancelled'; carrier: string | null; tracking_number: string | null; tracking_url: string | null } | null;
	refund: { status: string; amount: number; currency: string } | null;
	/** Store credit issued, or a replacement sent: cancelling is no longer the customer's to do. */
	credited: boolean;
	lines: {
		order_line_id: string;
		quantity: number;
		reason_code: string;
		label_en: string;
		label_fr: string;
		resolution_status: ResolutionStatus;
	}[];
}

/** The order as its customer sees it, with what each line may still be returned; undefined if unknown. */
export async function loadOrderForCustomer(sql: Queryable, orderId: string): Promise<CustomerOrderView | undefined> {
	const [order] = await sql<OrderRow[]>`
		select o.id, o.shop_id, s.name as shop_name, s.timezone, o.order_number, coalesce(o.locale, s.locale) as locale,
			o.currency, o.total_amount, o.ordered_at, o.fulfilled_at, o.delivered_at
		from orders o join shops s on s.id = o.shop_id
		where o.id = ${orderId}`;
	if (!order) return undefined;

	const lines = await sql<LineRow[]>`
		select l.id, l.title, l.variant_title, l.sku, l.quantity, l.total_amount,
			coalesce(p.final_sale, false) as final_sale, img.url as image_url, img.alt as image_alt,
			coalesce((
				select json_agg(json_build_object('name', v.name, 'value', v.value) order by v.position)
				from variant_option_values v where v.variant_id = l.variant_id
			), '[]'::json) as options
		from order_lines l
		left join products p on p.id = l.product_id
		left join lateral (
			-- the variant's own picture, else the product's, else any of its variants'
			select i.url, i.alt from product_images i
			where i.product_id = l.product_id
			order by coalesce(i.variant_id = l.variant_id, false) desc, (i.variant_id is null) desc, i.position
			limit 1
		) img on true
		where l.shop_id = ${order.shop_id} and l.order_id = ${order.id}
		order by l.position`;

	const returns = await sql<ReturnRow[]>`
		select r.id, r.rma, r.quote, r.return_method, r.decision_status, r.reception_status, r.is_withdrawal, r.requested_at, r.closed_at,
			(select json_build_object('status', l.status, 'carrier', l.carrier, 'tracking_number', l.tracking_number, 'tracking_url', l.tracking_url)
				from return_labels l where l.return_id = r.id) as label,
			(select json_build_object('status', f.status, 'amount', f.amount, 'currency', f.currency)
				from refunds f where f.return_id = r.id and f.purpose = 'return' and f.status in ('pending', 'succeeded')) as refund,
			exists (select 1 from credit_codes c where c.return_id = r.id)
				or exists (select 1 from exchanges x where x.return_id = r.id and x.status in ('ordered', 'shipped')) as credited,
			coalesce(json_agg(json_build_object(
				'order_line_id', rl.order_line_id, 'quantity', rl.quantity, 'reason_code', rl.reason_code,
				'label_en', rr.label_en, 'label_fr', rr.label_fr, 'resolution_status', rl.resolution_status
			) order by rl.created_at, rl.id) filter (where rl.id is not null), '[]'::json) as lines
		from returns r
		left join return_lines rl on rl.return_id = r.id
		left join return_reasons rr on rr.shop_id = rl.shop_id and rr.code = rl.reason_code
		where r.shop_id = ${order.shop_id} and r.order_id = ${order.id}
		group by r.id
		order by r.requested_at desc, r.rma`;

	const events = returns.length
		? await sql<{ return_id: string; type: string; to: string | null; created_at: Date }[]>`
			select return_id, type, payload->>'to' as to, created_at from return_events
			where shop_id = ${order.shop_id} and return_id in ${sql(returns.map((r) => r.id))}
				and type in ('return.created', 'return.decision_changed', 'return.reception_changed', 'return.line_resolved', 'return.closed')
			order by id`
		: [];
	return toView(order, lines, returns, events);
}

const EVENT_TYPES: Record<string, CustomerReturnEvent['type']> = {
	'return.created': 'created',
	'return.decision_changed': 'decision',
	'return.reception_changed': 'reception',
	'return.line_resolved': 'resolution',
	'return.closed': 'closed'
};

function toView(
	order: OrderRow,
	lineRows: LineRow[],
	returnRows: ReturnRow[],
	events: { return_id: string; type: string; to: string | null; created_at: Date }[] = []
): CustomerOrderView {
	const status = deliveryStatus({ fulfilledAt: order.fulfilled_at, deliveredAt: order.delivered_at });
	const claimed = claimedQuantities(
		returnRows.flatMap((r) =>
			r.lines.map((l) => ({ orderLineId: l.order_line_id, quantity: l.quantity, decisionStatus: r.decision_status }))
		)
	);
	const titles = new Map(lineRows.map((l) => [l.id, l.title]));
	const lines: CustomerOrderLine[] = lineRows.map((l) => {
		const r = lineReturnability({ quantity: l.quantity, finalSale: l.final_sale }, status === 'delivered', claimed.get(l.id) ?? 0);
		return {
			id: l.id,
			title: l.title,
			// a product without options gets its own title as variant title: no need to say it twice
			variantTitle: l.variant_title && l.variant_title !== l.title ? l.variant_title : null,
			options: l.options,
			sku: l.sku,
			imageUrl: l.image_url,
			imageAlt: l.image_alt ?? '',
			quantity: l.quantity,
			paidAmount: l.total_amount,
			finalSale: l.final_sale,
			claimed: r.claimed,
			returnable: r.returnable,
			notReturnableReason: r.reason
		};
	});
	const returns: CustomerReturn[] = returnRows.map((r) => ({
		id: r.id,
		rma: r.rma,
		resolution: r.quote?.resolution ?? null,
		total: r.quote?.total ?? null,
		returnMethod: r.return_method,
		// Once the money has gone out, cancelling is for the shop to sort out with the customer.
		canCancel: customerCanCancel(r.decision_status, r.reception_status) && !r.refund && !r.credited,
		timeline: events.filter((e) => e.return_id === r.id).map((e) => ({ at: e.created_at, type: EVENT_TYPES[e.type], to: e.to })),
		status: customerReturnStatus(r.decision_status, r.closed_at),
		decisionStatus: r.decision_status,
		receptionStatus: r.reception_status,
		isWithdrawal: r.is_withdrawal,
		requestedAt: r.requested_at,
		closedAt: r.closed_at,
		label: r.label && {
			status: r.label.status,
			carrier: r.label.carrier,
			trackingNumber: r.label.tracking_number,
			trackingUrl: r.label.tracking_url
		},
		refund: r.refund && {
			status: r.refund.status === 'succeeded' ? 'paid' : 'processing',
			amount: Number(r.refund.amount),
			currency: r.refund.currency.trim()
		},
		lines: r.lines.map((l) => ({
			orderLineId: l.order_line_id,
			title: titles.get(l.order_line_id) ?? '',
			quantity: l.quantity,
			reasonCode: l.reason_code,
			reasonLabel: { en: l.label_en, fr: l.label_fr },
			resolutionStatus: l.resolution_status
		}))
	}));
	return {
		id: order.id,
		shopId: order.shop_id,
		shopName: order.shop_name,
		timezone: order.timezone,
		orderNumber: order.order_number,
		locale: order.locale,
		currency: order.currency.trim(),
		totalAmount: order.total_amount,
		orderedAt: order.ordered_at,
		fulfilledAt: order.fulfilled_at,
		deliveredAt: order.delivered_at,
		deliveryStatus: status,
		lines,
		returns,
		linkExpiresAt: returnLinkExpiry(
			{ orderedAt: order.ordered_at, deliveredAt: order.delivered_at },
			returnRows.map((r) => ({ closedAt: r.closed_at }))
		)
	};
}

/**
 * The order a return link opens, or undefined for a tampered, unknown or expired token — the caller
 * answers all three alike, so a link reveals nothing about why it failed.
 */
export async function openReturnLink(
	sql: Queryable,
	secret: string,
	token: string,
	now: Date = new Date()
): Promise<CustomerOrderView | undefined> {
	const orderId = verifyReturnToken(secret, token);
	if (!orderId) return undefined;
	const view = await loadOrderForCustomer(sql, orderId);
	if (!view || !isReturnLinkValid(view.linkExpiresAt, now)) return undefined;
	return view;
}

/**
 * The order a return link opens, without its page: shop, language and whether the link still holds, in one
 * query — what every call of the conversation API needs, many times per conversation.
 */
export async function authorizeReturnLink(
	sql: Queryable,
	secret: string,
	token: string,
	now: Date = new Date()
): Promise<{ id: string; shopId: string; locale: 'en' | 'fr' } | undefined> {
	const orderId = verifyReturnToken(secret, token);
	if (!orderId) return undefined;
	const [row] = await sql<{ shop_id: string; locale: 'en' | 'fr'; ordered_at: Date; delivered_at: Date | null; returns: number; open: boolean; last_closed: Date | null }[]>`
		select o.shop_id, coalesce(o.locale, s.locale) as locale, o.ordered_at, o.delivered_at, count(r.id)::int as returns,
			coalesce(bool_or(r.id is not null and r.closed_at is null), false) as open, max(r.closed_at) as last_closed
		from orders o join shops s on s.id = o.shop_id left join returns r on r.order_id = o.id
		where o.id = ${orderId}
		group by o.id, s.locale`;
	if (!row) return undefined;
	// The expiry depends only on whether a return is open and when the last one closed.
	const expiry = returnLinkExpiry(
		{ orderedAt: row.ordered_at, deliveredAt: row.delivered_at },
		row.returns === 0 ? [] : [{ closedAt: row.open ? null : row.last_closed }]
	);
	return isReturnLinkValid(expiry, now) ? { id: orderId, shopId: row.shop_id, locale: row.locale } : undefined;
}

/** The language a return link's pages fall back to: the order's, else its shop's. One indexed query. */
export async function returnLinkLocale(sql: Queryable, secret: string, token: string): Promise<'en' | 'fr' | undefined> {
	const orderId = verifyReturnToken(secret, token);
	if (!orderId) return undefined;
	const [row] = await sql<{ locale: 'en' | 'fr' }[]>`
		select coalesce(o.locale, s.locale) as locale from orders o join shops s on s.id = o.shop_id where o.id = ${orderId}`;
	return row?.locale;
}
