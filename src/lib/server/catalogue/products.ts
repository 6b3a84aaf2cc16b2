import type { Queryable, TransactionSql } from '../db';
import { inTransaction } from '../db/transaction';
import { parseOrThrow, ValidationError, type FieldError } from '../api/errors';
import type { Money } from '../api/schema';
import {
	inventoryCrossChecks,
	inventoryInput,
	productCrossChecks,
	productInput,
	type AttributeValue,
	type InventoryInput,
	type ParsedProduct,
	type ProductInput
} from './schema';

export type { ProductInput, InventoryInput } from './schema';

export interface SizeChartOut {
	code: string;
	name: string;
	unit: 'cm' | 'in';
	sizes: { size: string; measurements: Record<string, [number, number]> }[];
}

export interface VariantOut {
	id: string;
	externalId: string;
	sku: string;
	title: string;
	price: Money;
	compareAtPrice: Money | null;
	options: Record<string, string>;
	attributes: Record<string, AttributeValue>;
	inventoryQuantity: number;
	barcode: string | null;
	weightGrams: number | null;
}

export interface ProductOut {
	id: string;
	externalId: string;
	title: string;
	description: string;
	vendor: string | null;
	category: string | null;
	tags: string[];
	finalSale: boolean;
	url: string | null;
	options: string[];
	attributes: Record<string, AttributeValue>;
	sizeChart: SizeChartOut | null;
	images: { url: string; alt: string; variantExternalId: string | null }[];
	variants: VariantOut[];
	createdAt: string;
	updatedAt: string;
}

/** Validates a product body, throwing a ValidationError that names every bad field. */
export function parseProduct(input: unknown, productExternalId = 'x'): ParsedProduct {
	return parseOrThrow(productInput, input, (raw) => [
		...(productExternalId.trim().length === 0 || productExternalId.length > 255
			? [{ path: 'externalId', message: 'must be 1 to 255 characters' }]
			: []),
		...productCrossChecks(raw)
	]);
}

interface ExistingVariant {
	id: string;
	product_id: string;
	external_id: string;
	sku: string;
	inventory_quantity: number;
	ordered: boolean;
}

/**
 * Creates or replaces the product `externalId` of the shop with its options, variants, attributes,
 * images and size chart, in one transaction. Variants left out are deleted, unless an order line
 * points at them (then nothing is written and the error names them). Inventory left out of a variant
 * keeps its stored level. Sending the same body twice changes nothing but `updatedAt`. Called with a
 * transaction (a seed, an import), it writes inside it.
 */
export async function upsertProduct(
	sql: Queryable,
	shopId: string,
	externalId: string,
	input: ProductInput
): Promise<{ product: ProductOut; created: boolean }> {
	const p = parseProduct(input, externalId);
	const ext = externalId.trim();
	return inTransaction(sql, (tx) => writeProduct(tx, shopId, ext, p)).catch((error) => {
		throw translateUniqueViolation(error);
	});
}

async function writeProduct(tx: TransactionSql, shopId: string, ext: string, p: ParsedProduct): Promise<{ product: ProductOut; created: boolean }> {
	let sizeChartId: string | null = null;
	if (p.sizeChart) sizeChartId = await upsertSizeChart(tx, shopId, p.sizeChart);

	const [row] = await tx<{ id: string; created: boolean }[]>`
		insert into products (shop_id, external_id, title, description, vendor, category, tags, final_sale, size_chart_id, url)
		values (${shopId}, ${ext}, ${p.title}, ${p.description ?? ''}, ${p.vendor ?? null}, ${p.category ?? null},
			${tx.array(p.tags ?? [])}::text[], ${p.finalSale ?? false}, ${sizeChartId}, ${p.url ?? null})
		on conflict (shop_id, external_id) do update set
			title = excluded.title, description = excluded.description, vendor = excluded.vendor,
			category = excluded.category, tags = excluded.tags, final_sale = excluded.final_sale,
			size_chart_id = excluded.size_chart_id, url = excluded.url, updated_at = now()
		returning id, (xmax = 0) as created`;
	const productId = row.id;

	const exts = p.variants.map((v) => v.externalId);
	const skus = p.variants.map((v) => v.sku);
	const existing = await tx<ExistingVariant[]>`
		select v.id, v.product_id, v.external_id, v.sku, v.inventory_quantity,
			exists (select 1 from order_lines l where l.variant_id = v.id) as ordered
		from variants v
		where v.shop_id = ${shopId}
			and (v.product_id = ${productId} or v.external_id = any(${tx.array(exts)}::text[]) or v.sku = any(${tx.array(skus)}::text[]))`;

	const errors: FieldError[] = [];
	const mine = new Map(existing.filter((v) => v.product_id === productId).map((v) => [v.external_id, v]));
	p.variants.forEach((v, i) => {
		const other = existing.find((e) => e.product_id !== productId && e.external_id === v.externalId);
		if (other) errors.push({ path: `variants[${i}].externalId`, message: `"${v.externalId}" is a variant of another product` });
		const skuOwner = existing.find((e) => e.sku === v.sku && e.external_id !== v.externalId);
		// A SKU held by a variant of this product that is being removed or renamed in the same request is fine.
		if (skuOwner && (skuOwner.product_id !== productId || !skuFreedInRequest(skuOwner, p))) {
			errors.push({ path: `variants[${i}].sku`, message: `"${v.sku}" is already the SKU of another variant (${skuOwner.external_id})` });
		}
	});
	const removed = [...mine.values()].filter((v) => !exts.includes(v.external_id));
	for (const v of removed.filter((r) => r.ordered)) {
		errors.push({
			path: 'variants',
			message: `leaves out variant "${v.external_id}" (SKU ${v.sku}), which orders refer to: keep it in the list`
		});
	}
	if (errors.length) throw new ValidationError(errors);

	if (removed.length) await tx`delete from variants where id = any(${tx.array(removed.map((v) => v.id))}::uuid[])`;
	// Free SKUs that move between variants of this product, since uniqueness is checked row by row.
	const renamed = p.variants.filter((v) => mine.has(v.externalId) && mine.get(v.externalId)!.sku !== v.sku);
	if (renamed.length) {
		await tx`update variants set sku = '~moving~' || id::text
			where product_id = ${productId} and external_id = any(${tx.array(renamed.map((v) => v.externalId))}::text[])`;
	}

	const optionNames = p.options ?? [];
	const variantRows = p.variants.map((v, i) => ({
		shop_id: shopId,
		product_id: productId,
		external_id: v.externalId,
		sku: v.sku,
		title: v.title || defaultVariantTitle(optionNames, v.options ?? {}, p.title),
		position: i + 1,
		price_amount: v.price.amount,
		compare_at_amount: v.compareAtPrice?.amount ?? null,
		currency: v.price.currency,
		inventory_quantity: v.inventoryQuantity ?? mine.get(v.externalId)?.inventory_quantity ?? 0,
		barcode: v.barcode ?? null,
		weight_grams: v.weightGrams ?? null
	}));
	const ids = await tx<{ id: string; external_id: string }[]>`
		insert into variants ${tx(variantRows)}
		on conflict (shop_id, external_id) do update set
			sku = excluded.sku, title = excluded.title, position = excluded.position,
			price_amount = excluded.price_amount, compare_at_amount = excluded.compare_at_amount,
			currency = excluded.currency, inventory_quantity = excluded.inventory_quantity,
			barcode = excluded.barcode, weight_grams = excluded.weight_grams, updated_at = now()
		-- A variant of another product is never taken over, even by a request racing the check above.
		where variants.product_id = excluded.product_id
		returning id, external_id`;
	if (ids.length < variantRows.length) {
		const stored = new Set(ids.map((r) => r.external_id));
		throw new ValidationError(
			variantRows.flatMap((v, i) =>
				stored.has(v.external_id) ? [] : [{ path: `variants[${i}].externalId`, message: 'belongs to another product of this shop' }]
			)
		);
	}
	const variantId = new Map(ids.map((r) => [r.external_id, r.id]));

	// Everything hanging off the product is replaced whole.
	await Promise.all([
		tx`delete from product_options where product_id = ${productId}`,
		tx`delete from variant_option_values where shop_id = ${shopId} and variant_id = any(${tx.array([...variantId.values()])}::uuid[])`,
		tx`delete from product_attributes where product_id = ${productId}`,
		tx`delete from product_images where product_id = ${productId}`
	]);

	const optionRows = optionNames.map((name, i) => ({ shop_id: shopId, product_id: productId, position: i + 1, name }));
	const valueRows = p.variants.flatMap((v) =>
		optionNames.map((name, i) => ({
			shop_id: shopId,
			variant_id: variantId.get(v.externalId)!,
			position: i + 1,
			name,
			value: v.options![name]
		}))
	);
	const attributeRows = [
		...attributeRowsOf(shopId, productId, null, p.attributes ?? {}),
		...p.variants.flatMap((v) => attributeRowsOf(shopId, productId, variantId.get(v.externalId)!, v.attributes ?? {}))
	];
	const imageRows = (p.images ?? []).map((img, i) => ({
		shop_id: shopId,
		product_id: productId,
		variant_id: img.variantExternalId ? variantId.get(img.variantExternalId)! : null,
		position: i + 1,
		url: img.url,
		alt: img.alt ?? ''
	}));
	await Promise.all([
		optionRows.length ? tx`insert into product_options ${tx(optionRows)}` : null,
		valueRows.length ? tx`insert into variant_option_values ${tx(valueRows)}` : null,
		attributeRows.length ? tx`insert into product_attributes ${tx(attributeRows)}` : null,
		imageRows.length ? tx`insert into product_images ${tx(imageRows)}` : null
	]);

	const product = await loadProduct(tx, shopId, productId);
	return { product: product!, created: row.created };
}

/** A concurrent request took a SKU or variant id between our check and our write. */
function translateUniqueViolation(error: unknown): unknown {
	const e = error as { code?: string; constraint_name?: string };
	if (e?.code !== '23505') return error;
	if (e.constraint_name === 'variants_shop_id_sku_key') {
		return new ValidationError([{ path: 'variants', message: 'a SKU in this product was just given to another variant; send the request again' }]);
	}
	if (e.constraint_name === 'variants_shop_id_external_id_key') {
		return new ValidationError([{ path: 'variants', message: 'a variant externalId in this product was just given to another product; send the request again' }]);
	}
	return error;
}

function skuFreedInRequest(owner: ExistingVariant, p: ParsedProduct): boolean {
	const stays = p.variants.find((v) => v.externalId === owner.external_id);
	return !stays || stays.sku !== owner.sku;
}

function defaultVariantTitle(optionNames: string[], values: Record<string, string>, productTitle: string): string {
	const parts = optionNames.map((n) => values[n]).filter(Boolean);
	return parts.length ? parts.join(' / ') : productTitle;
}

function attributeRowsOf(shopId: string, productId: string, variantId: string | null, attrs: Record<string, AttributeValue>) {
	return Object.entries(attrs).map(([code, value]) => ({
		shop_id: shopId,
		product_id: productId,
		variant_id: variantId,
		code,
		value_type: Array.isArray(value) ? 'text_list' : typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'text',
		text_value: typeof value === 'string' ? value : null,
		number_value: typeof value === 'number' ? value : null,
		boolean_value: typeof value === 'boolean' ? value : null,
		list_value: Array.isArray(value) ? value : null,
		unit: null
	}));
}

async function upsertSizeChart(tx: TransactionSql, shopId: string, chart: NonNullable<ParsedProduct['sizeChart']>): Promise<string> {
	const [row] = await tx<{ id: string }[]>`
		insert into size_charts (shop_id, code, name, unit) values (${shopId}, ${chart.code}, ${chart.name}, ${chart.unit})
		on conflict (shop_id, code) do update set name = excluded.name, unit = excluded.unit
		returning id`;
	await tx`delete from size_chart_entries where size_chart_id = ${row.id}`;
	const entries = chart.sizes.flatMap((s, i) =>
		Object.entries(s.measurements).map(([measurement, [min, max]]) => ({
			shop_id: shopId,
			size_chart_id: row.id,
			size_label: s.size,
			position: i + 1,
			measurement,
			min_value: min,
			max_value: max
		}))
	);
	await tx`insert into size_chart_entries ${tx(entries)}`;
	return row.id;
}

/** The product as the API shows it, or undefined. */
export async function getProduct(sql: Queryable, shopId: string, externalId: string): Promise<ProductOut | undefined> {
	const [row] = await sql<{ id: string }[]>`select id from products where shop_id = ${shopId} and external_id = ${externalId}`;
	return row ? loadProduct(sql, shopId, row.id) : undefined;
}

async function loadProduct(sql: Queryable, shopId: string, productId: string): Promise<ProductOut | undefined> {
	const [[product], options, variants, values, attrs, images, chart] = await Promise.all([
		sql`select * from products where shop_id = ${shopId} and id = ${productId}`,
		sql`select name from product_options where product_id = ${productId} order by position`,
		sql`select * from variants where product_id = ${productId} order by position, external_id`,
		sql`select o.variant_id, o.name, o.value from variant_option_values o join variants v on v.id = o.variant_id
			where v.product_id = ${productId} order by o.position`,
		sql`select * from product_attributes where product_id = ${productId} order by code`,
		sql`select i.url, i.alt, v.external_id as variant_external_id from product_images i
			left join variants v on v.id = i.variant_id where i.product_id = ${productId} order by i.position`,
		sql`select c.code, c.name, c.unit, e.size_label, e.position, e.measurement, e.min_value, e.max_value
			from products p join size_charts c on c.id = p.size_chart_id
			left join size_chart_entries e on e.size_chart_id = c.id
			where p.id = ${productId} order by e.position, e.measurement`
	]);
	if (!product) return undefined;
	const attrValue = (a: Record<string, unknown>): AttributeValue =>
		a.value_type === 'text'
			? (a.text_value as string)
			: a.value_type === 'number'
				? (a.number_value as number)
				: a.value_type === 'boolean'
					? (a.boolean_value as boolean)
					: (a.list_value as string[]);
	const attributesOf = (variantId: string | null) =>
		Object.fromEntries(attrs.filter((a) => a.variant_id === variantId).map((a) => [a.code as string, attrValue(a)]));
	let sizeChart: SizeChartOut | null = null;
	if (chart.length) {
		const sizes = new Map<string, Record<string, [number, number]>>();
		for (const e of chart) {
			if (e.size_label === null) continue;
			const m = sizes.get(e.size_label as string) ?? {};
			m[e.measurement as string] = [e.min_value as number, e.max_value as number];
			sizes.set(e.size_label as string, m);
		}
		sizeChart = {
			code: chart[0].code as string,
			name: chart[0].name as string,
			unit: chart[0].unit as 'cm' | 'in',
			sizes: [...sizes].map(([size, measurements]) => ({ size, measurements }))
		};
	}
	return {
		id: product.id as string,
		externalId: product.external_id as string,
		title: product.title as string,
		description: product.description as string,
		vendor: (product.vendor as string | null) ?? null,
		category: (product.category as string | null) ?? null,
		tags: product.tags as string[],
		finalSale: product.final_sale as boolean,
		url: (product.url as string | null) ?? null,
		options: options.map((o) => o.name as string),
		attributes: attributesOf(null),
		sizeChart,
		images: images.map((i) => ({ url: i.url as string, alt: i.alt as string, variantExternalId: (i.variant_external_id as string | null) ?? null })),
		variants: variants.map((v) => {
			const currency = (v.currency as string).trim();
			return {
				id: v.id as string,
				externalId: v.external_id as string,
				sku: v.sku as string,
				title: v.title as string,
				price: { amount: v.price_amount as number, currency },
				compareAtPrice: v.compare_at_amount === null ? null : { amount: v.compare_at_amount as number, currency },
				options: Object.fromEntries(values.filter((o) => o.variant_id === v.id).map((o) => [o.name as string, o.value as string])),
				attributes: attributesOf(v.id as string),
				inventoryQuantity: v.inventory_quantity as number,
				barcode: (v.barcode as string | null) ?? null,
				weightGrams: (v.weight_grams as number | null) ?? null
			};
		}),
		createdAt: (product.created_at as Date).toISOString(),
		updatedAt: (product.updated_at as Date).toISOString()
	};
}

/**
 * Sets absolute stock levels by SKU, all or nothing: an unknown SKU fails the whole request and names
 * its item.
 */
export async function setInventory(sql: Queryable, shopId: string, input: InventoryInput): Promise<{ items: { sku: string; quantity: number }[] }> {
	const { items } = parseOrThrow(inventoryInput, input, inventoryCrossChecks);
	return inTransaction(sql, async (tx) => {
		const skus = items.map((i) => i.sku);
		const updated = await tx<{ sku: string; inventory_quantity: number }[]>`
			update variants v set inventory_quantity = x.quantity, updated_at = now()
			from unnest(${tx.array(skus)}::text[], ${tx.array(items.map((i) => i.quantity))}::int[]) as x(sku, quantity)
			where v.shop_id = ${shopId} and v.sku = x.sku
			returning v.sku, v.inventory_quantity`;
		if (updated.length !== items.length) {
			const found = new Set(updated.map((u) => u.sku));
			throw new ValidationError(
				items.flatMap((item, i) => (found.has(item.sku) ? [] : [{ path: `items[${i}].sku`, message: `no variant of this shop has the SKU "${item.sku}"` }]))
			);
		}
		const bySku = new Map(updated.map((u) => [u.sku, u.inventory_quantity]));
		return { items: items.map((i) => ({ sku: i.sku, quantity: bySku.get(i.sku)! })) };
	});
}
