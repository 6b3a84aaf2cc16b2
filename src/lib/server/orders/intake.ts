import type { Queryable, TransactionSql } from '../db';
import { inTransaction } from '../db/transaction';
import { ConflictError, parseOrThrow, ValidationError, type FieldError } from '../api/errors';
import { lineTotal, orderAmounts, vatAmount } from './money';
import { toOrderOut, type OrderOut } from './order-out';
import { orderCrossChecks, orderInput, type OrderInput, type ParsedOrder } from './schema';

export type { OrderInput } from './schema';
export type { OrderOut } from './order-out';

export type OrderSource = 'api' | 'import' | 'demo';

/** Validates an order body, throwing a ValidationError that names every bad field. */
export function parseOrder(input: unknown): ParsedOrder {
	return parseOrThrow(orderInput, input, orderCrossChecks);
}

interface PricedLine {
	externalId: string;
	quantity: number;
	unitPrice: number;
	discount: number;
	vatRate: number;
	vatAmount: number;
	total: number;
}

/** Pure: every line's total and VAT (stated, or computed half-up) and the order's amounts. */
export function priceOrder(o: ParsedOrder) {
	const taxesIncluded = o.taxesIncluded ?? true;
	const lines: PricedLine[] = o.lines.map((l) => {
		const discount = l.discount?.amount ?? 0;
		const total = lineTotal(l.quantity, l.unitPrice.amount, discount);
		return {
			externalId: l.externalId,
			quantity: l.quantity,
			unitPrice: l.unitPrice.amount,
			discount,
			vatRate: l.vatRate,
			vatAmount: l.vatAmount?.amount ?? vatAmount(total, l.vatRate, taxesIncluded),
			total
		};
	});
	const shippingAmount = o.shipping?.amount.amount ?? 0;
	const shipping = { amount: shippingAmount, vatAmount: vatAmount(shippingAmount, o.shipping?.vatRate ?? 0, taxesIncluded) };
	return { taxesIncluded, lines, amounts: orderAmounts({ taxesIncluded, lines, shipping }) };
}

interface CatalogueVariant {
	variant_id: string;
	variant_external_id: string;
	sku: string;
	variant_title: string;
	product_id: string;
	product_external_id: string;
	product_title: string;
}

/**
 * Creates the order (with its customer and lines) or, when the shop already has an order with this
 * externalId, updates it: dates, address, payment ids, amounts, and lines matched by their externalId.
 * All or nothing; concurrent identical requests converge on one order (INSERT … ON CONFLICT). Called
 * with a transaction (an import), it writes inside it.
 * Throws ValidationError (bad input, unknown variant without a title, order number taken) or
 * ConflictError (a resend that would drop or shrink a line that has a return).
 */
export async function ingestOrder(
	sql: Queryable,
	shopId: string,
	input: OrderInput,
	options: { source: OrderSource }
): Promise<{ order: OrderOut; created: boolean }> {
	const o = parseOrder(input);
	const priced = priceOrder(o);
	try {
		const lines = resolveLines(o, priced, await catalogueLookup(sql, shopId, o));
		// The common case, a new order, is one atomic statement; a resend takes the transactional path.
		const order = await insertNewOrder(sql, shopId, o, priced, lines, options.source);
		if (order) return { order, created: true };
		return await inTransaction(sql, (tx) => upsertOrder(tx, shopId, o, priced, lines, options.source));
	} catch (error) {
		throw translateUniqueViolation(error);
	}
}

type LineRow = ReturnType<typeof resolveLines>[number];

/** Each line with its catalogue match and amounts; a line naming no known variant needs its own title. */
function resolveLines(o: ParsedOrder, priced: ReturnType<typeof priceOrder>, catalogue: Catalogue) {
	const errors: FieldError[] = [];
	const rows = o.lines.map((line, i) => {
		const variant =
			(line.variantExternalId && catalogue.byVariant.get(line.variantExternalId)) ||
			(line.sku && catalogue.bySku.get(line.sku)) ||
			undefined;
		const product = variant ? undefined : line.productExternalId ? catalogue.products.get(line.productExternalId) : undefined;
		const title = line.title || variant?.product_title || product?.title;
		if (!title) {
			const path = line.variantExternalId ? `lines[${i}].variantExternalId` : line.sku ? `lines[${i}].sku` : `lines[${i}].productExternalId`;
			const what = line.variantExternalId ? `variant "${line.variantExternalId}"` : line.sku ? `SKU "${line.sku}"` : `product "${line.productExternalId}"`;
			errors.push({ path, message: `names no ${what} in this shop's catalogue; send a title for an item that is not in the catalogue` });
		}
		const p = priced.lines[i];
		return {
			external_id: line.externalId,
			position: i + 1,
			product_id: variant?.product_id ?? product?.id ?? null,
			variant_id: variant?.variant_id ?? null,
			sku: line.sku ?? variant?.sku ?? null,
			title: title ?? '',
			variant_title: line.variantTitle ?? variant?.variant_title ?? null,
			quantity: p.quantity,
			unit_price_amount: p.unitPrice,
			discount_amount: p.discount,
			vat_rate: p.vatRate,
			vat_amount: p.vatAmount,
			total_amount: p.total
		};
	});
	if (errors.length) throw new ValidationError(errors);
	return rows;
}

/** The column values of the orders row, shared by both paths. */
function orderValues(sql: Queryable, shopId: string, o: ParsedOrder, priced: ReturnType<typeof priceOrder>, source: OrderSource) {
	const a = priced.amounts;
	return sql`${shopId}, ${o.externalId}, ${o.orderNumber}, c.id, ${o.customer.email}, ${o.locale ?? o.customer.locale ?? null}, ${o.currency},
		${priced.taxesIncluded}, ${a.subtotal}, ${a.shipping}, ${a.shippingTax}, ${a.tax}, ${a.total},
		${o.payment?.stripePaymentIntentId ?? null}, ${o.payment?.stripeChargeId ?? null}, ${o.payment?.cardFingerprint ?? null},
		${o.orderedAt}::timestamptz, ${o.fulfilledAt ?? null}::timestamptz, ${o.deliveredAt ?? null}::timestamptz,
		${o.shippingAddress.name}, ${o.shippingAddress.line1}, ${o.shippingAddress.line2 ?? null},
		${o.shippingAddress.postalCode}, ${o.shippingAddress.city}, ${o.shippingAddress.region ?? null},
		${o.shippingAddress.country}, ${source}`;
}

const ORDER_COLUMNS = `shop_id, external_id, order_number, customer_id, email, locale, currency, taxes_included,
	subtotal_amount, shipping_amount, shipping_tax_amount, tax_amount, total_amount,
	stripe_payment_intent_id, stripe_charge_id, payment_fingerprint, ordered_at, fulfilled_at, delivered_at,
	ship_name, ship_line1, ship_line2, ship_postal_code, ship_city, ship_region, ship_country, source`;

/** Customer upsert by (shop, lower(email)); an externalId another customer holds is not taken over. */
function customerUpsert(sql: Queryable, shopId: string, o: ParsedOrder, onlyIfNewOrder: boolean) {
	const c = o.customer;
	const ext = c.externalId ?? null;
	return sql`
		insert into customers (shop_id, external_id, email, first_name, last_name, phone, locale)
		select ${shopId},
			case when exists (select 1 from customers x where x.shop_id = ${shopId} and x.external_id = ${ext}
				and lower(x.email) <> lower(${c.email})) then null else ${ext}::text end,
			${c.email}, ${c.firstName ?? null}, ${c.lastName ?? null}, ${c.phone ?? null}, ${c.locale ?? null}
		${onlyIfNewOrder ? sql`where not exists (select 1 from orders where shop_id = ${shopId} and external_id = ${o.externalId})` : sql``}
		on conflict (shop_id, lower(email)) do update set
			external_id = coalesce(excluded.external_id, customers.external_id),
			first_name = coalesce(excluded.first_name, customers.first_name),
			last_name = coalesce(excluded.last_name, customers.last_name),
			phone = coalesce(excluded.phone, customers.phone),
			locale = coalesce(excluded.locale, customers.locale),
			updated_at = now()
		returning id, email, external_id, first_name, last_name`;
}

/**
 * A new order in one statement: customer, order and lines. Nothing is written, and undefined is
 * returned, when the shop already has an order with this externalId.
 */
async function insertNewOrder(
	sql: Queryable,
	shopId: string,
	o: ParsedOrder,
	priced: ReturnType<typeof priceOrder>,
	lines: LineRow[],
	source: OrderSource
): Promise<OrderOut | undefined> {
	const [row] = await sql`
		with c as (${customerUpsert(sql, shopId, o, true)}),
		o as (
			insert into orders (${sql.unsafe(ORDER_COLUMNS)})
			select ${orderValues(sql, shopId, o, priced, source)} from c
			on conflict (shop_id, external_id) do nothing
			returning *
		),
		l as (
			insert into order_lines (shop_id, order_id, external_id, position, product_id, variant_id, sku, title, variant_title,
				quantity, unit_price_amount, discount_amount, vat_rate, vat_amount, total_amount)
			select o.shop_id, o.id, x.external_id, x.position, x.product_id, x.variant_id, x.sku, x.title, x.variant_title,
				x.quantity, x.unit_price_amount, x.discount_amount, x.vat_rate, x.vat_amount, x.total_amount
			from o cross join jsonb_to_recordset(${sql.json(lines as never)}) as x(external_id text, position int,
				product_id uuid, variant_id uuid, sku text, title text, variant_title text, quantity int,
				unit_price_amount bigint, discount_amount bigint, vat_rate numeric, vat_amount bigint, total_amount bigint)
			returning *
		)
		select o.*, c.email as customer_email, c.external_id as customer_external_id,
			c.first_name as customer_first_name, c.last_name as customer_last_name,
			(select json_agg(l order by l.position) from l) as lines
		from o cross join c`;
	if (!row) return undefined;
	const lineRows = (typeof row.lines === 'string' ? JSON.parse(row.lines) : row.lines) as Record<string, unknown>[];
	return toOrderOut(row, lineRows);
}

/** The transactional path: the order exists (or appeared meanwhile) and is brought up to date. */
async function upsertOrder(
	tx: TransactionSql,
	shopId: string,
	o: ParsedOrder,
	priced: ReturnType<typeof priceOrder>,
	lines: LineRow[],
	source: OrderSource
): Promise<{ order: OrderOut; created: boolean }> {
	const [order] = await tx`
		with c as (${customerUpsert(tx, shopId, o, false)}),
		o as (
			insert into orders (${tx.unsafe(ORDER_COLUMNS)})
			select ${orderValues(tx, shopId, o, priced, source)} from c
			on conflict (shop_id, external_id) do update set
				order_number = excluded.order_number, customer_id = excluded.customer_id, email = excluded.email,
				locale = excluded.locale, currency = excluded.currency, taxes_included = excluded.taxes_included,
				subtotal_amount = excluded.subtotal_amount, shipping_amount = excluded.shipping_amount,
				shipping_tax_amount = excluded.shipping_tax_amount, tax_amount = excluded.tax_amount,
				total_amount = excluded.total_amount,
				stripe_payment_intent_id = excluded.stripe_payment_intent_id, stripe_charge_id = excluded.stripe_charge_id,
				payment_fingerprint = excluded.payment_fingerprint,
				ordered_at = excluded.ordered_at, fulfilled_at = excluded.fulfilled_at, delivered_at = excluded.delivered_at,
				ship_name = excluded.ship_name, ship_line1 = excluded.ship_line1, ship_line2 = excluded.ship_line2,
				ship_postal_code = excluded.ship_postal_code, ship_city = excluded.ship_city,
				ship_region = excluded.ship_region, ship_country = excluded.ship_country, updated_at = now()
			returning *, (xmax = 0) as created
		)
		select o.*, c.email as customer_email, c.external_id as customer_external_id,
			c.first_name as customer_first_name, c.last_name as customer_last_name
		from o cross join c`;
	const rows = lines.map((l) => ({ shop_id: shopId, order_id: order.id as string, ...l }));
	const created = order.created as boolean;
	const stored = created ? await tx`insert into order_lines ${tx(rows)} returning *` : await updateLines(tx, shopId, order, rows, o);
	return { order: toOrderOut(order, stored), created };
}

type Catalogue = Awaited<ReturnType<typeof catalogueLookup>>;

async function catalogueLookup(tx: Queryable, shopId: string, o: ParsedOrder) {
	const skus = [...new Set(o.lines.flatMap((l) => (l.sku ? [l.sku] : [])))];
	const variantIds = [...new Set(o.lines.flatMap((l) => (l.variantExternalId ? [l.variantExternalId] : [])))];
	const productIds = [...new Set(o.lines.flatMap((l) => (l.productExternalId && !l.variantExternalId && !l.sku ? [l.productExternalId] : [])))];
	const [variants, products] = await Promise.all([
		skus.length || variantIds.length
			? tx<CatalogueVariant[]>`
				select v.id as variant_id, v.external_id as variant_external_id, v.sku, v.title as variant_title,
					p.id as product_id, p.external_id as product_external_id, p.title as product_title
				from variants v join products p on p.id = v.product_id
				where v.shop_id = ${shopId}
					and (${skus.length ? tx`v.sku = any(${tx.array(skus)}::text[])` : tx`false`}
						or ${variantIds.length ? tx`v.external_id = any(${tx.array(variantIds)}::text[])` : tx`false`})`
			: [],
		productIds.length
			? tx<{ id: string; external_id: string; title: string }[]>`
				select id, external_id, title from products where shop_id = ${shopId} and external_id = any(${tx.array(productIds)}::text[])`
			: []
	]);
	return {
		bySku: new Map(variants.map((v) => [v.sku, v])),
		byVariant: new Map(variants.map((v) => [v.variant_external_id, v])),
		products: new Map(products.map((p) => [p.external_id, p]))
	};
}

/**
 * A resend: lines are matched by externalId. A line that has a return may not disappear, nor shrink
 * below what is being returned, nor may the currency change under an existing return.
 */
async function updateLines(
	tx: TransactionSql,
	shopId: string,
	order: Record<string, unknown>,
	rows: Record<string, unknown>[],
	o: ParsedOrder
) {
	const orderId = order.id as string;
	const [existing, returnCurrencies] = await Promise.all([
		tx<{ id: string; external_id: string; returned: number; has_returns: boolean }[]>`
			select l.id, l.external_id,
				coalesce(sum(rl.quantity) filter (where r.decision_status not in ('cancelled', 'rejected')), 0)::int as returned,
				count(rl.id) > 0 as has_returns
			from order_lines l
			left join return_lines rl on rl.order_line_id = l.id
			left join returns r on r.id = rl.return_id
			where l.shop_id = ${shopId} and l.order_id = ${orderId}
			group by l.id`,
		tx<{ currency: string }[]>`select distinct currency from returns where shop_id = ${shopId} and order_id = ${orderId}`
	]);
	const conflicts: FieldError[] = [];
	if (returnCurrencies.some((r) => r.currency.trim() !== o.currency)) {
		conflicts.push({ path: 'currency', message: 'cannot change: the order already has a return in its former currency' });
	}
	const incoming = new Map(o.lines.map((l, i) => [l.externalId, i]));
	const removed = existing.filter((l) => !incoming.has(l.external_id));
	for (const l of removed.filter((l) => l.has_returns)) {
		conflicts.push({ path: 'lines', message: `leaves out line "${l.external_id}", which has a return: keep it in the order` });
	}
	for (const l of existing) {
		const i = incoming.get(l.external_id);
		if (i !== undefined && o.lines[i].quantity < l.returned) {
			conflicts.push({ path: `lines[${i}].quantity`, message: `must be at least ${l.returned}: that many are in a return` });
		}
	}
	if (conflicts.length) throw new ConflictError(conflicts.map((c) => `${c.path}: ${c.message}`).join('; '), conflicts);

	// Positions are unique per order and checked row by row: move the kept lines out of the way first.
	const [, , lines] = await Promise.all([
		removed.length ? tx`delete from order_lines where id = any(${tx.array(removed.map((l) => l.id))}::uuid[])` : null,
		tx`update order_lines set position = position + 100000 where order_id = ${orderId}`,
		tx`insert into order_lines ${tx(rows)}
			on conflict (shop_id, order_id, external_id) do update set
				position = excluded.position, product_id = excluded.product_id, variant_id = excluded.variant_id,
				sku = excluded.sku, title = excluded.title, variant_title = excluded.variant_title,
				quantity = excluded.quantity, unit_price_amount = excluded.unit_price_amount,
				discount_amount = excluded.discount_amount, vat_rate = excluded.vat_rate,
				vat_amount = excluded.vat_amount, total_amount = excluded.total_amount
			returning *`
	]);
	return lines;
}

/** The unique keys a valid request can still collide with, as the field they concern. */
function translateUniqueViolation(error: unknown): unknown {
	const e = error as { code?: string; constraint_name?: string };
	if (e?.code !== '23505') return error;
	if (e.constraint_name === 'orders_shop_id_order_number_key') {
		return new ValidationError([{ path: 'orderNumber', message: 'is already the number of another order of this shop (with another externalId)' }]);
	}
	if (e.constraint_name === 'customers_shop_id_external_id_key') {
		return new ValidationError([{ path: 'customer.externalId', message: 'is already the id of another customer of this shop (with another email)' }]);
	}
	return error;
}
