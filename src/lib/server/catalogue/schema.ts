import * as z from 'zod';
import { externalId, httpUrl, money, optionalText } from '../api/schema';
import { formatPath, type FieldError } from '../api/errors';

/** The body of `PUT /api/v1/products/{externalId}`: a product with everything that belongs to it. */

export const MEASUREMENTS = ['waist', 'hips', 'inseam', 'chest', 'bust', 'height', 'foot_length', 'neck', 'sleeve', 'weight'] as const;

const ATTRIBUTE_CODE = /^[a-z][a-z0-9_]{0,62}$/;

export const attributeCode = z
	.string()
	.regex(ATTRIBUTE_CODE, 'must be lowercase letters, digits and underscores starting with a letter, e.g. "max_watts"');

export const attributeValue = z.union(
	[
		z.string().trim().min(1).max(2000),
		z.number().refine(Number.isFinite),
		z.boolean(),
		z.array(z.string().trim().min(1).max(200)).max(100)
	],
	{ error: 'must be a string, a number, true/false or an array of strings' }
);

export const attributes = z
	.record(attributeCode, attributeValue)
	.refine((a) => Object.keys(a).length <= 100, 'must have at most 100 attributes')
	.meta({
		description:
			'Typed attributes by code. The JSON type decides the stored type: string → text, number → number, boolean → boolean, array of strings → text list.',
		examples: [{ connector: 'usb-c', max_watts: 65, charging_protocols: ['usb-pd', 'pps'], braided: true }]
	});

export type AttributeValue = z.output<typeof attributeValue>;

const measurement = z.string().refine((k) => (MEASUREMENTS as readonly string[]).includes(k), {
	error: `must be one of ${MEASUREMENTS.join(', ')}`
});

const measureValue = z
	.number()
	.min(0)
	.max(99999.99)
	.refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, 'must have at most 2 decimals');

export const sizeChart = z
	.strictObject({
		code: z.string().trim().min(1).max(100),
		name: z.string().trim().min(1).max(200),
		unit: z.enum(['cm', 'in']),
		sizes: z
			.array(
				z.strictObject({
					size: z.string().trim().min(1).max(50),
					measurements: z
						.record(measurement, z.tuple([measureValue, measureValue], { error: 'must be [min, max]' }))
						.refine((m) => Object.keys(m).length > 0, 'must have at least one measurement')
				})
			)
			.min(1)
			.max(200)
	})
	.meta({
		description: 'A size chart shared by code across the shop; sending it replaces its sizes.',
		examples: [{ code: 'jeans', name: 'Jeans', unit: 'cm', sizes: [{ size: 'W32', measurements: { waist: [80, 83] } }] }]
	});

export const variantInput = z
	.strictObject({
		externalId,
		sku: z.string().trim().min(1).max(255),
		title: optionalText(500),
		price: money,
		compareAtPrice: money.nullish(),
		options: z.record(z.string(), z.string().trim().min(1).max(200)).nullish(),
		attributes: attributes.nullish(),
		inventoryQuantity: z.int().min(-1_000_000_000).max(2_147_483_647).nullish(),
		barcode: optionalText(100),
		weightGrams: z.int().min(0).max(2_147_483_647).nullish()
	})
	;

export const productInput = z
	.strictObject({
		title: z.string().trim().min(1).max(500),
		description: z.string().max(100_000).nullish(),
		vendor: optionalText(200),
		category: z
			.string()
			.trim()
			.toLowerCase()
			.regex(/^[a-z0-9_-]+(\/[a-z0-9_-]+)*$/, 'must be a lowercase path such as "clothing/jeans"')
			.nullish(),
		tags: z.array(z.string().trim().min(1).max(100)).max(250).nullish(),
		finalSale: z.boolean().nullish(),
		url: httpUrl.nullish(),
		options: z.array(z.string().trim().min(1).max(100)).max(10).nullish(),
		attributes: attributes.nullish(),
		sizeChart: sizeChart.nullish(),
		images: z
			.array(
				z.strictObject({
					url: z.string().trim().max(2000).regex(/^(https?:\/\/|\/)\S*$/, 'must be an http(s) URL or a path starting with "/"'),
					alt: optionalText(500),
					variantExternalId: externalId.nullish()
				})
			)
			.max(100)
			.nullish(),
		variants: z.array(variantInput).min(1).max(2000)
	})
	.meta({ description: 'A product with its variants. PUT replaces what was stored, except inventory left out.' });

export type ProductInput = z.input<typeof productInput>;
export type ParsedProduct = z.output<typeof productInput>;

// Rules that span fields. They read the raw body defensively, so they run (and report) even when some
// other field failed its own validation: the caller gets every problem at once.

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : undefined);

export function productCrossChecks(raw: unknown): FieldError[] {
	if (!isRecord(raw)) return [];
	const errors: FieldError[] = [];
	const options = Array.isArray(raw.options) ? raw.options.map(trimmed) : [];
	options.forEach((name, i) => {
		if (name && options.indexOf(name) !== i) errors.push({ path: `options[${i}]`, message: `repeats the option "${name}"` });
	});
	const variants = Array.isArray(raw.variants) ? raw.variants : [];
	const seenExt = new Map<string, number>();
	const seenSku = new Map<string, number>();
	const seenCombo = new Map<string, number>();
	variants.forEach((v, i) => {
		if (!isRecord(v)) return;
		const ext = trimmed(v.externalId);
		if (ext) {
			if (seenExt.has(ext)) errors.push({ path: `variants[${i}].externalId`, message: `is used by variants[${seenExt.get(ext)}] too` });
			else seenExt.set(ext, i);
		}
		const sku = trimmed(v.sku);
		if (sku) {
			if (seenSku.has(sku)) errors.push({ path: `variants[${i}].sku`, message: `is used by variants[${seenSku.get(sku)}] too` });
			else seenSku.set(sku, i);
		}
		if (isRecord(v.price) && isRecord(v.compareAtPrice) && v.price.currency !== v.compareAtPrice.currency) {
			errors.push({ path: `variants[${i}].compareAtPrice.currency`, message: `must be the price's currency (${String(v.price.currency)})` });
		}
		const given = isRecord(v.options) ? v.options : {};
		const names = Object.keys(given);
		if (options.length === 0 && names.length > 0) {
			errors.push({ path: `variants[${i}].options`, message: 'sets option values but the product lists no "options"; add the option names there' });
			return;
		}
		for (const name of options) {
			if (name && !(name in given)) errors.push({ path: formatPath(['variants', i, 'options', name as string]), message: `is required: the product has the option "${name}"` });
		}
		for (const name of names) {
			if (!options.includes(name)) {
				errors.push({ path: formatPath(['variants', i, 'options', name as string]), message: `is not one of the product's options (${options.join(', ')})` });
			}
		}
		if (options.length && names.length) {
			const combo = JSON.stringify(options.map((n) => trimmed(given[n as string])));
			if (seenCombo.has(combo)) errors.push({ path: `variants[${i}].options`, message: `has the same option values as variants[${seenCombo.get(combo)}]` });
			else seenCombo.set(combo, i);
		}
	});
	if (Array.isArray(raw.images)) {
		raw.images.forEach((img, i) => {
			const ref = isRecord(img) ? trimmed(img.variantExternalId) : undefined;
			if (ref && !seenExt.has(ref)) errors.push({ path: `images[${i}].variantExternalId`, message: `names no variant of this product ("${ref}")` });
		});
	}
	if (isRecord(raw.sizeChart) && Array.isArray(raw.sizeChart.sizes)) {
		const seen = new Map<string, number>();
		raw.sizeChart.sizes.forEach((s, i) => {
			if (isRecord(s)) {
				const size = trimmed(s.size);
				if (size && seen.has(size)) errors.push({ path: `sizeChart.sizes[${i}].size`, message: `repeats sizes[${seen.get(size)}]` });
				else if (size) seen.set(size, i);
				if (isRecord(s.measurements)) {
					for (const [name, range] of Object.entries(s.measurements)) {
						if (Array.isArray(range) && typeof range[0] === 'number' && typeof range[1] === 'number' && range[1] < range[0]) {
							errors.push({ path: formatPath(['sizeChart', 'sizes', i, 'measurements', name]), message: 'must be [min, max] with max ≥ min' });
						}
					}
				}
			}
		});
	}
	return errors;
}

export const inventoryInput = z
	.strictObject({
		items: z
			.array(
				z.strictObject({
					sku: z.string().trim().min(1).max(255),
					quantity: z.int().min(-1_000_000_000).max(2_147_483_647)
				})
			)
			.min(1)
			.max(10_000)
	})
	.meta({ description: 'Absolute stock levels by SKU, applied all together or not at all.' });

export type InventoryInput = z.input<typeof inventoryInput>;

export function inventoryCrossChecks(raw: unknown): FieldError[] {
	if (!isRecord(raw) || !Array.isArray(raw.items)) return [];
	const seen = new Map<string, number>();
	const errors: FieldError[] = [];
	raw.items.forEach((item, i) => {
		const sku = isRecord(item) ? trimmed(item.sku) : undefined;
		if (!sku) return;
		if (seen.has(sku)) errors.push({ path: `items[${i}].sku`, message: `repeats items[${seen.get(sku)}]` });
		else seen.set(sku, i);
	});
	return errors;
}
