import type { Queryable } from '../db';
import type { DecisionStatus } from '../returns/lifecycle';

/**
 * The staff's search box: one query, three groups (returns by RMA, orders, customers), each cut at `limit`.
 * What staff type is literal: a `%` or `_` matches itself, not any character.
 */

export interface ReturnHit {
	id: string;
	rma: string;
	orderId: string;
	orderNumber: string;
	email: string;
	decisionStatus: DecisionStatus;
	requestedAt: Date;
}

export interface OrderHit {
	id: string;
	orderNumber: string;
	externalId: string;
	email: string;
	customerName: string | null;
	orderedAt: Date;
	returns: number;
}

export interface CustomerHit {
	id: string;
	email: string;
	name: string | null;
	orders: number;
	returns: number;
}

export interface SearchGroup<T> {
	items: T[];
	/** More matched than are shown. */
	more: boolean;
}

export interface SearchResults {
	query: string;
	returns: SearchGroup<ReturnHit>;
	orders: SearchGroup<OrderHit>;
	customers: SearchGroup<CustomerHit>;
}

export const SEARCH_LIMIT = 10;

/** Crockford's base32 as RMAs use it (rma.ts): no I, L, O or U. */
const RMA_BODY = /^[0-9A-HJKMNP-TV-Z]{1,8}$/;

/**
 * LIKE patterns for the RMAs starting with what was typed: any case, with or without dashes or the "R-",
 * look-alike letters forgiven (I and L for 1, O for 0). Empty when it cannot be the start of an RMA.
 */
export function rmaPrefixPatterns(input: string): string[] {
	return rmaPrefixes(input).map((p) => `${p.prefix}%`);
}

/**
 * The same as ranges of the RMA index: every RMA has its dashes in the same places, so those starting with
 * "R-AB1" lie between "R-AB1" and "R-AB1Z-ZZZZ" in any collation (a LIKE prefix uses a btree only in "C").
 */
function rmaPrefixes(input: string): { prefix: string; last: string }[] {
	const raw = input.toUpperCase().replace(/[^0-9A-Z]/g, '');
	if (!raw) return [];
	// "R…" may be the prefix or the body's first character (R is in the alphabet): try both.
	const bodies = raw.startsWith('R') ? [raw.slice(1), raw] : [raw];
	const format = (b: string) => `R-${b.slice(0, 4)}${b.length > 4 ? '-' + b.slice(4) : ''}`;
	const valid = [...new Set(bodies.map((b) => b.replace(/[IL]/g, '1').replace(/O/g, '0')).filter((b) => RMA_BODY.test(b)))];
	return valid.map((b) => ({ prefix: format(b), last: format(b.padEnd(8, 'Z')) }));
}

/** `q` inside a LIKE pattern, matching itself. */
export function escapeLike(q: string): string {
	return q.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

const EMPTY = <T>(): SearchGroup<T> => ({ items: [], more: false });

export async function searchEverything(sql: Queryable, shopId: string, q: string, limit = SEARCH_LIMIT): Promise<SearchResults> {
	const query = q.trim().slice(0, 200);
	if (!query) return { query, returns: EMPTY(), orders: EMPTY(), customers: EMPTY() };
	const take = Math.min(Math.max(Math.trunc(limit), 1), 50) + 1;
	const number = escapeLike(query.replace(/^#/, ''));
	const anywhere = `%${escapeLike(query)}%`;
	const rmas = rmaPrefixes(query);

	const returns = rmas.length
		? await sql`
				select r.id, r.rma, r.order_id, o.order_number, o.email, r.decision_status, r.requested_at
				from returns r join orders o on o.id = r.order_id
				where r.shop_id = ${shopId}
					and (${rmas
						.map((p) => sql`(r.rma between ${p.prefix} and ${p.last} and r.rma like ${p.prefix + '%'})`)
						.reduce((either, next) => sql`${either} or ${next}`)})
				order by r.requested_at desc, r.rma
				limit ${take}`
		: [];

	const orders = await sql`
		select o.id, o.order_number, o.external_id, o.email, o.ordered_at,
			nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '') as customer_name,
			(select count(*)::int from returns r where r.shop_id = o.shop_id and r.order_id = o.id) as returns
		from orders o join customers c on c.id = o.customer_id
		where o.shop_id = ${shopId}
			and (o.order_number ilike ${number + '%'} or o.external_id ilike ${number + '%'} or o.email ilike ${anywhere})
		order by lower(o.order_number) = lower(${query.replace(/^#/, '')}) desc, o.ordered_at desc, o.id
		limit ${take}`;

	const customers = await sql`
		select c.id, c.email, nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '') as name,
			(select count(*)::int from orders o where o.shop_id = c.shop_id and o.customer_id = c.id) as orders,
			(select count(*)::int from returns r where r.shop_id = c.shop_id and r.customer_id = c.id) as returns
		from customers c
		where c.shop_id = ${shopId}
			and (c.email ilike ${anywhere}
				or concat_ws(' ', c.first_name, c.last_name) ilike ${anywhere}
				or concat_ws(' ', c.last_name, c.first_name) ilike ${anywhere})
		order by lower(c.email) = lower(${query}) desc, lower(c.email), c.id
		limit ${take}`;

	const group = <T>(rows: readonly Record<string, unknown>[], map: (r: Record<string, unknown>) => T): SearchGroup<T> => ({
		items: rows.slice(0, take - 1).map(map),
		more: rows.length === take
	});
	return {
		query,
		returns: group(returns, (r) => ({
			id: r.id as string,
			rma: r.rma as string,
			orderId: r.order_id as string,
			orderNumber: r.order_number as string,
			email: r.email as string,
			decisionStatus: r.decision_status as DecisionStatus,
			requestedAt: r.requested_at as Date
		})),
		orders: group(orders, (r) => ({
			id: r.id as string,
			orderNumber: r.order_number as string,
			externalId: r.external_id as string,
			email: r.email as string,
			customerName: (r.customer_name as string | null) ?? null,
			orderedAt: r.ordered_at as Date,
			returns: r.returns as number
		})),
		customers: group(customers, (r) => ({
			id: r.id as string,
			email: r.email as string,
			name: (r.name as string | null) ?? null,
			orders: r.orders as number,
			returns: r.returns as number
		}))
	};
}
