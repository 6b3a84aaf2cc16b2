import type { Queryable } from '../db';

/**
 * The shop's block and allow lists: emails, addresses, order numbers and SKUs the merchant has judged by hand.
 * They are policy conditions (`blocklisted`, `allowlisted`): what follows from them is the merchant's choice in
 * the policy editor. Values are stored normalised so that matching an order is an equality on an index.
 */

export const RISK_LISTS = ['block', 'allow'] as const;
export type RiskList = (typeof RISK_LISTS)[number];
export const RISK_LIST_KINDS = ['email', 'address', 'order', 'product'] as const;
export type RiskListKind = (typeof RISK_LIST_KINDS)[number];

export const isRiskList = (v: unknown): v is RiskList => (RISK_LISTS as readonly unknown[]).includes(v);
export const isRiskListKind = (v: unknown): v is RiskListKind => (RISK_LIST_KINDS as readonly unknown[]).includes(v);

// Limits of the schema (risk_list_entries, orders, variants).
const MAX_VALUE = 300;
const MAX_REASON = 500;
const MAX_EMAIL = 254;
const MAX_ORDER_NUMBER = 64;
const MAX_SKU = 255;

// ---------------------------------------------------------------------------------------------------------
// Normalisers (pure)

// PostgreSQL's lower()/upper() map one character to one character; JavaScript applies the full Unicode
// mappings (İ → i̇, ß → SS) and the final-sigma rule. Mapping code point by code point, keeping one code point,
// gives PostgreSQL's answer.
function lowerLikePostgres(s: string): string {
	return Array.from(s, (ch) => Array.from(ch.toLowerCase())[0]).join('');
}
function upperLikePostgres(s: string): string {
	return Array.from(s, (ch) => {
		const up = ch.toUpperCase();
		return Array.from(up).length === 1 ? up : ch;
	}).join('');
}

// PostgreSQL's [[:alnum:]] in a UTF-8 database: Unicode letters (accented ones included) and digits, not
// superscripts, fractions, punctuation or combining accents. Checked against the database in lists.db.spec.ts.
const NOT_ALNUM = /[^\p{Alphabetic}\p{Nd}]+/gu;
const EMAIL = /^[^@\s]+@[^@\s]+$/; // the orders and customers tables' own check

/** A trimmed, lowercased email, or null when it is not one. */
export function normaliseEmail(input: string): string | null {
	const email = lowerLikePostgres(input.trim());
	return EMAIL.test(email) && email.length <= MAX_EMAIL ? email : null;
}

export interface ListAddress {
	line1: string;
	line2?: string | null;
	postcode: string;
	/** ISO 3166-1 alpha-2. */
	country: string;
}

/**
 * The key `orders.address_key` holds (migration 0009): the street lines lowercased without spaces or punctuation,
 * the postcode in capitals without spaces, the country. Accents stay (É is a letter):
 * "12, Rue de l'Église", "75 001", "FR" → "12ruedeléglise|75001|FR".
 */
export function addressKey(address: ListAddress): string {
	const street = lowerLikePostgres((address.line1 + (address.line2 ?? '')).replace(NOT_ALNUM, ''));
	const postcode = upperLikePostgres(address.postcode.replace(NOT_ALNUM, ''));
	return `${street}|${postcode}|${address.country.trim().toUpperCase()}`;
}

/** An order number as orders store it: only the surrounding spaces go. */
export function normaliseOrderNumber(input: string): string {
	return input.trim();
}

/** A SKU as variants store it: surrounding spaces go, the case stays (SKUs are case-sensitive). */
export function normaliseSku(input: string): string {
	return input.trim();
}

// ---------------------------------------------------------------------------------------------------------
// Matching an order (pure part)

export type ListMatch =
	| { entryId: string; kind: 'email' | 'address' | 'order'; label: string; reason: string }
	| { entryId: string; kind: 'product'; label: string; reason: string; sku: string };

export interface ListMatches {
	blocked: ListMatch[];
	allowed: ListMatch[];
}

export interface LineListFlags {
	blocklisted: boolean;
	allowlisted: boolean;
}

/** Does this list hold the line? A product entry holds the lines with its SKU; any other entry, every line. */
function holds(matches: ListMatch[], sku: string | null): boolean {
	return matches.some((match) => match.kind !== 'product' || (sku !== null && match.sku === sku));
}

/** The policy's `blocklisted` / `allowlisted` for one line of the order the matches were found for. */
export function lineListFlags(matches: ListMatches, sku: string | null): LineListFlags {
	return { blocklisted: holds(matches.blocked, sku), allowlisted: holds(matches.allowed, sku) };
}

/** `lineListFlags` for each line, by order line id. */
export function listFlagsForLines(matches: ListMatches, lines: { orderLineId: string; sku: string | null }[]): Map<string, LineListFlags> {
	return new Map(lines.map((line) => [line.orderLineId, lineListFlags(matches, line.sku)]));
}

// ---------------------------------------------------------------------------------------------------------
// Entries

export interface ListEntry {
	id: string;
	list: RiskList;
	kind: RiskListKind;
	/** Normalised: what orders are matched on. */
	value: string;
	/** As staff typed it. */
	label: string;
	reason: string;
	createdAt: Date;
	createdByName: string | null;
	createdByEmail: string | null;
}

/** What a form or an API sends: `value` for an email, an order number or a SKU; the address fields for an address. */
export interface ListEntryInput {
	list: string;
	kind: string;
	value?: string | null;
	line1?: string | null;
	line2?: string | null;
	postcode?: string | null;
	country?: string | null;
	reason?: string | null;
}

export type ListEntryField = 'list' | 'kind' | 'value' | 'line1' | 'line2' | 'postcode' | 'country' | 'reason';

export type RiskListErrorCode = 'invalid_list' | 'invalid_kind' | 'required' | 'invalid_email' | 'invalid_address' | 'invalid_country' | 'too_long' | 'already_listed';

export class RiskListError extends Error {
	constructor(
		readonly code: RiskListErrorCode,
		readonly field: ListEntryField,
		message: string,
		/** For `already_listed`: where the value already is. */
		readonly existing?: { list: RiskList; label: string }
	) {
		super(message);
		this.name = 'RiskListError';
	}
}

const FIELD_NAMES: Record<ListEntryField, string> = {
	list: 'The list',
	kind: 'The kind',
	value: 'The value',
	line1: 'The street',
	line2: 'The second address line',
	postcode: 'The postcode',
	country: 'The country',
	reason: 'The reason'
};

export interface Normalised {
	list: RiskList;
	kind: RiskListKind;
	value: string;
	label: string;
	reason: string;
	address?: { line1: string; line2: string | null; postcode: string; country: string };
}

function text(value: string | null | undefined): string {
	return (value ?? '').trim();
}

function required(field: ListEntryField, value: string, max: number): string {
	if (!value) throw new RiskListError('required', field, `${FIELD_NAMES[field]} is required.`);
	if (value.length > max) throw new RiskListError('too_long', field, `${FIELD_NAMES[field]} is longer than ${max} characters.`);
	return value;
}

/** Checks an entry and normalises it, without the database. Throws a RiskListError naming the field. */
export function validateListEntry(input: ListEntryInput): Normalised {
	if (!isRiskList(input.list)) throw new RiskListError('invalid_list', 'list', `The list must be one of: ${RISK_LISTS.join(', ')}.`);
	if (!isRiskListKind(input.kind)) throw new RiskListError('invalid_kind', 'kind', `The kind must be one of: ${RISK_LIST_KINDS.join(', ')}.`);
	const { list, kind } = input;
	let value: string;
	let label: string;
	let address: Normalised['address'];
	if (kind === 'address') {
		const line1 = required('line1', text(input.line1), 200);
		const line2 = text(input.line2) || null;
		if (line2 && line2.length > 200) throw new RiskListError('too_long', 'line2', `${FIELD_NAMES.line2} is longer than 200 characters.`);
		// Some countries have no postcodes: orders there store an empty one.
		const postcode = text(input.postcode);
		if (postcode.length > 20) throw new RiskListError('too_long', 'postcode', `${FIELD_NAMES.postcode} is longer than 20 characters.`);
		const country = text(input.country).toUpperCase();
		if (!/^[A-Z]{2}$/.test(country)) throw new RiskListError('invalid_country', 'country', 'The country must be a two-letter ISO code, like FR.');
		address = { line1, line2, postcode, country };
		value = addressKey(address);
		// Only punctuation: the key would match every such address.
		if (value.startsWith('|')) throw new RiskListError('invalid_address', 'line1', 'The street must contain letters or digits.');
		if (value.length > MAX_VALUE) throw new RiskListError('too_long', 'line1', `${FIELD_NAMES.line1} is too long.`);
		label = [line1, line2, [postcode, country].filter(Boolean).join(' ')].filter(Boolean).join(', ');
	} else {
		label = required('value', text(input.value), kind === 'email' ? MAX_EMAIL : kind === 'order' ? MAX_ORDER_NUMBER : MAX_SKU);
		if (kind === 'email') {
			const email = normaliseEmail(label);
			if (!email) throw new RiskListError('invalid_email', 'value', `"${label}" is not an email address.`);
			value = email;
		} else {
			value = kind === 'order' ? normaliseOrderNumber(label) : normaliseSku(label);
		}
	}
	const reason = required('reason', text(input.reason), MAX_REASON);
	return { list, kind, value, label: label.slice(0, MAX_VALUE), reason, address };
}

// The database computes an address's key with the very expression of orders.address_key, so an entry matches
// the orders whatever the server's locale makes of [[:alnum:]] (the TypeScript mirror is exact on PGlite).
function storedValue(sql: Queryable, entry: Normalised) {
	const a = entry.address;
	if (!a) return sql`${entry.value}::text`;
	return sql`(lower(regexp_replace(${a.line1}::text || coalesce(${a.line2}::text, ''), '[^[:alnum:]]+', '', 'g'))
		|| '|' || upper(regexp_replace(${a.postcode}::text, '[^[:alnum:]]+', '', 'g')) || '|' || ${a.country}::text)`;
}

/**
 * An order number or a SKU is matched exactly; a merchant types "abc-1" for "ABC-1" or "1001" for "#1001".
 * When the shop has exactly one such order or variant, the entry takes its stored spelling. Orders are looked
 * up by their unique index (a shop may have millions), so only those spellings are tried.
 */
async function storedSpelling(sql: Queryable, shopId: string, kind: 'order' | 'product', value: string): Promise<{ value: string; known: boolean }> {
	const bare = value.replace(/^#+/, '');
	const spellings = [...new Set([value, bare, `#${bare}`].flatMap((v) => [v, v.toUpperCase(), v.toLowerCase()]))];
	const rows =
		kind === 'order'
			? await sql<{ v: string }[]>`
				select order_number as v from orders where shop_id = ${shopId} and order_number = any(${spellings}::text[])
				order by (order_number = ${value}) desc limit 2`
			: await sql<{ v: string }[]>`
				select sku as v from variants where shop_id = ${shopId} and lower(sku) = lower(${value}::text)
				order by (sku = ${value}) desc limit 2`;
	if (rows.length === 0) return { value, known: false };
	if (rows[0].v === value || rows.length === 1) return { value: rows[0].v, known: true };
	return { value, known: false }; // several spellings and none exact: keep what was typed
}

/**
 * Adds an entry. Refuses a value already on either list (saying which), since one order cannot be both judged
 * and trusted for the same thing. `known` says whether an order or a product with that number or SKU exists
 * yet (an entry for a future one is allowed); always true for emails and addresses.
 */
export async function addListEntry(
	sql: Queryable,
	shopId: string,
	input: ListEntryInput,
	userId: string | null
): Promise<ListEntry & { known: boolean }> {
	const entry = validateListEntry(input);
	let known = true;
	if (entry.kind === 'order' || entry.kind === 'product') ({ value: entry.value, known } = await storedSpelling(sql, shopId, entry.kind, entry.value));
	// One statement: the insert, or the entry that holds the value already (the unique constraint decides).
	const [row] = await sql<
		{ id: string | null; value: string; created_at: Date | null; existing_list: RiskList | null; existing_label: string | null }[]
	>`
		with v as (select ${storedValue(sql, entry)} as value),
		inserted as (
			insert into risk_list_entries (shop_id, list, kind, value, label, reason, created_by)
			select ${shopId}::uuid, ${entry.list}::text, ${entry.kind}::text, v.value, ${entry.label}::text, ${entry.reason}::text, ${userId}::uuid
			from v
			on conflict (shop_id, kind, value) do nothing
			returning id, created_at
		)
		select i.id, v.value, i.created_at, e.list as existing_list, e.label as existing_label
		from v left join inserted i on true
		left join risk_list_entries e on i.id is null and e.shop_id = ${shopId} and e.kind = ${entry.kind} and e.value = v.value`;
	if (!row.id) {
		const field: ListEntryField = entry.kind === 'address' ? 'line1' : 'value';
		const where = row.existing_list ?? entry.list;
		throw new RiskListError('already_listed', field, `This ${entry.kind} is already on the ${where} list (as "${row.existing_label ?? entry.label}").`, {
			list: where,
			label: row.existing_label ?? entry.label
		});
	}
	const [user] = userId ? await sql<{ name: string; email: string }[]>`select name, email from users where id = ${userId}` : [];
	return {
		id: row.id,
		list: entry.list,
		kind: entry.kind,
		value: row.value,
		label: entry.label,
		reason: entry.reason,
		createdAt: row.created_at!,
		createdByName: user?.name || null,
		createdByEmail: user?.email ?? null,
		known
	};
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Removes an entry of this shop; null when there is none with that id. */
export async function removeListEntry(
	sql: Queryable,
	shopId: string,
	id: string
): Promise<{ id: string; list: RiskList; kind: RiskListKind; label: string } | null> {
	if (!UUID.test(id)) return null;
	const [row] = await sql<{ id: string; list: RiskList; kind: RiskListKind; label: string }[]>`
		delete from risk_list_entries where shop_id = ${shopId} and id = ${id} returning id, list, kind, label`;
	return row ?? null;
}

/** One list's entries (or both), newest first; `q` looks in the label, the normalised value and the reason. */
export async function listEntries(
	sql: Queryable,
	shopId: string,
	filter: { list?: RiskList; kind?: RiskListKind; q?: string; limit?: number } = {}
): Promise<ListEntry[]> {
	const q = text(filter.q);
	const pattern = `%${q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
	const rows = await sql<
		{ id: string; list: RiskList; kind: RiskListKind; value: string; label: string; reason: string; created_at: Date; name: string | null; email: string | null }[]
	>`
		select e.id, e.list, e.kind, e.value, e.label, e.reason, e.created_at, u.name, u.email
		from risk_list_entries e left join users u on u.id = e.created_by
		where e.shop_id = ${shopId}
			${filter.list ? sql`and e.list = ${filter.list}` : sql``}
			${filter.kind ? sql`and e.kind = ${filter.kind}` : sql``}
			${q ? sql`and (e.label ilike ${pattern} or e.value ilike ${pattern} or e.reason ilike ${pattern})` : sql``}
		order by e.created_at desc, e.id
		limit ${filter.limit ?? 500}`;
	return rows.map((r) => ({
		id: r.id,
		list: r.list,
		kind: r.kind,
		value: r.value,
		label: r.label,
		reason: r.reason,
		createdAt: r.created_at,
		createdByName: r.name || null,
		createdByEmail: r.email
	}));
}

/** How many entries each list holds. */
export async function countListEntries(sql: Queryable, shopId: string): Promise<Record<RiskList, number>> {
	const rows = await sql<{ list: RiskList; n: number }[]>`
		select list, count(*)::int as n from risk_list_entries where shop_id = ${shopId} group by list`;
	const counts: Record<RiskList, number> = { block: 0, allow: 0 };
	for (const r of rows) counts[r.list] = r.n;
	return counts;
}

// ---------------------------------------------------------------------------------------------------------
// Matching an order (database part)

/**
 * The entries of either list that hold this order: its email and its customer's, its shipping address, its
 * number, the SKUs of its lines. One query on the lists' unique index: it runs while the customer waits.
 * An order of another shop, or none, matches nothing.
 */
export async function listMatches(sql: Queryable, shopId: string, orderId: string): Promise<ListMatches> {
	const matches: ListMatches = { blocked: [], allowed: [] };
	if (!UUID.test(orderId)) return matches;
	const rows = await sql<{ id: string; list: RiskList; kind: RiskListKind; label: string; reason: string; value: string }[]>`
		with o as (
			select o.id, lower(o.email) as email, lower(c.email) as customer_email, o.address_key, o.order_number
			from orders o join customers c on c.shop_id = o.shop_id and c.id = o.customer_id
			where o.shop_id = ${shopId} and o.id = ${orderId}
		),
		candidate (kind, value) as (
			select 'email', email from o
			union select 'email', customer_email from o
			union select 'address', address_key from o
			union select 'order', order_number from o
			union select 'product', l.sku from order_lines l join o on l.order_id = o.id where l.sku is not null
		)
		select e.id, e.list, e.kind, e.label, e.reason, e.value
		from candidate c join risk_list_entries e on e.shop_id = ${shopId} and e.kind = c.kind and e.value = c.value
		order by e.created_at, e.id`;
	for (const r of rows) {
		const match: ListMatch =
			r.kind === 'product'
				? { entryId: r.id, kind: 'product', label: r.label, reason: r.reason, sku: r.value }
				: { entryId: r.id, kind: r.kind, label: r.label, reason: r.reason };
		(r.list === 'block' ? matches.blocked : matches.allowed).push(match);
	}
	return matches;
}
