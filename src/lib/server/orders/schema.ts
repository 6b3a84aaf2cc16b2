import * as z from 'zod';
import { formatPath, type FieldError } from '../api/errors';
import { currencyCode, dateTime, externalId, MAX_AMOUNT, money, optionalText, vatRate } from '../api/schema';
import { lineTotal, vatAmount } from './money';

/** The body of `POST /api/v1/orders`, also what the CSV import and the demo seed hand to ingestOrder. */

const country = z
	.string()
	.trim()
	.toUpperCase()
	.regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code, e.g. "FR"');

const locale = z.enum(['en', 'fr'], { error: 'must be "en" or "fr"' });

export const customerInput = z
	.strictObject({
		email: z.string().trim().max(320).pipe(z.email({ error: 'must be an email address' })),
		externalId: externalId.nullish(),
		firstName: optionalText(200),
		lastName: optionalText(200),
		phone: optionalText(50),
		locale: locale.nullish()
	})
	.meta({ description: 'The customer, matched to a stored one by email (case-insensitive).' });

export const addressInput = z
	.strictObject({
		name: z.string().trim().min(1).max(200),
		line1: z.string().trim().min(1).max(300),
		line2: optionalText(300),
		postalCode: z.string().trim().min(1).max(20),
		city: z.string().trim().min(1).max(200),
		region: optionalText(200),
		country
	})
	;

export const orderLineInput = z
	.strictObject({
		externalId,
		sku: z.string().trim().min(1).max(255).nullish(),
		variantExternalId: externalId.nullish(),
		productExternalId: externalId.nullish(),
		title: optionalText(500),
		variantTitle: optionalText(500),
		quantity: z.int().min(1).max(1_000_000),
		unitPrice: money,
		discount: money.nullish(),
		vatRate,
		vatAmount: money.nullish()
	})
	.meta({
		description:
			'One line. Matched to a catalogue variant by variantExternalId, else by sku; an item not in the catalogue needs a title. ' +
			'discount is for the whole line; vatAmount, when given, must be within one minor unit of the computed VAT.'
	});

export const orderInput = z
	.strictObject({
		externalId,
		orderNumber: z.string().trim().min(1).max(64),
		currency: currencyCode,
		locale: locale.nullish(),
		taxesIncluded: z.boolean().nullish(),
		customer: customerInput,
		shippingAddress: addressInput,
		lines: z.array(orderLineInput).min(1).max(1000),
		shipping: z.strictObject({ amount: money, vatRate: vatRate.nullish() }).nullish(),
		payment: z
			.strictObject({
				stripePaymentIntentId: z.string().trim().regex(/^pi_[A-Za-z0-9_]+$/, 'must be a Stripe PaymentIntent id ("pi_…")').nullish(),
				stripeChargeId: z.string().trim().regex(/^(ch|py)_[A-Za-z0-9_]+$/, 'must be a Stripe Charge id ("ch_…" or "py_…")').nullish(),
				cardFingerprint: z
					.string()
					.trim()
					.min(1, 'must not be empty')
					.max(255, 'must be at most 255 characters')
					.nullish()
					.meta({
						description:
							"The card's fingerprint (Stripe: payment_method.card.fingerprint), the same for every payment with one card: " +
							"links a customer's accounts for the risk score. Never shown to anyone."
					})
			})
			.nullish(),
		orderedAt: dateTime,
		fulfilledAt: dateTime.nullish(),
		deliveredAt: dateTime.nullish()
	})
	.meta({
		description: 'An order, idempotent on externalId: sending it again updates the stored order and never duplicates it.'
	});

export type OrderInput = z.input<typeof orderInput>;
export type ParsedOrder = z.output<typeof orderInput>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/**
 * Rules across fields, read from the raw body so they are reported beside any other bad field:
 * one currency for all money, unique line ids, discounts within the line, stated VAT matching the
 * computed VAT, dates in order, and something to name each line by.
 */
export function orderCrossChecks(raw: unknown): FieldError[] {
	if (!isRecord(raw)) return [];
	const errors: FieldError[] = [];
	const currency = typeof raw.currency === 'string' && /^[A-Z]{3}$/.test(raw.currency) ? raw.currency : undefined;
	const taxesIncluded = raw.taxesIncluded === false ? false : true;
	const checkCurrency = (m: unknown, path: (string | number)[]) => {
		if (currency && isRecord(m) && typeof m.currency === 'string' && m.currency !== currency) {
			errors.push({ path: formatPath([...path, 'currency']), message: `must be the order's currency (${currency}), got "${m.currency}"` });
		}
	};
	const lines = Array.isArray(raw.lines) ? raw.lines : [];
	const seen = new Map<string, number>();
	lines.forEach((line, i) => {
		if (!isRecord(line)) return;
		checkCurrency(line.unitPrice, ['lines', i, 'unitPrice']);
		checkCurrency(line.discount, ['lines', i, 'discount']);
		checkCurrency(line.vatAmount, ['lines', i, 'vatAmount']);
		const ext = typeof line.externalId === 'string' ? line.externalId.trim() : '';
		if (ext) {
			if (seen.has(ext)) errors.push({ path: `lines[${i}].externalId`, message: `is used by lines[${seen.get(ext)}] too` });
			else seen.set(ext, i);
		}
		const blank = (v: unknown) => typeof v !== 'string' || v.trim() === '';
		if (blank(line.title) && blank(line.sku) && blank(line.variantExternalId) && blank(line.productExternalId)) {
			errors.push({ path: `lines[${i}].title`, message: 'is required when the line has no sku or variantExternalId of a catalogue variant' });
		}
		const unit = isRecord(line.unitPrice) ? line.unitPrice.amount : undefined;
		const discount = isRecord(line.discount) ? line.discount.amount : 0;
		if (!isInt(line.quantity) || line.quantity < 1 || !isInt(unit) || unit < 0 || !isInt(discount) || discount < 0) return;
		const gross = line.quantity * unit;
		if (gross > MAX_AMOUNT) {
			errors.push({ path: `lines[${i}].quantity`, message: `quantity × unitPrice must be at most ${MAX_AMOUNT} minor units` });
			return;
		}
		if (discount > gross) {
			errors.push({ path: `lines[${i}].discount.amount`, message: `must not exceed quantity × unitPrice (${gross})` });
			return;
		}
		const rate = typeof line.vatRate === 'number' ? line.vatRate : undefined;
		const stated = isRecord(line.vatAmount) ? line.vatAmount.amount : undefined;
		if (rate !== undefined && isInt(stated) && rate >= 0 && rate < 100) {
			let computed: number;
			try {
				computed = vatAmount(lineTotal(line.quantity, unit, discount), rate, taxesIncluded);
			} catch {
				return;
			}
			if (Math.abs(stated - computed) > 1) {
				errors.push({
					path: `lines[${i}].vatAmount.amount`,
					message: `is ${stated} but ${rate} % ${taxesIncluded ? 'included in' : 'on'} the line total ${lineTotal(line.quantity, unit, discount)} is ${computed} (±1 allowed)`
				});
			}
		}
	});
	if (isRecord(raw.shipping)) checkCurrency(raw.shipping.amount, ['shipping', 'amount']);
	const ordered = typeof raw.orderedAt === 'string' ? Date.parse(raw.orderedAt) : NaN;
	for (const key of ['fulfilledAt', 'deliveredAt'] as const) {
		const at = typeof raw[key] === 'string' ? Date.parse(raw[key] as string) : NaN;
		if (!Number.isNaN(ordered) && !Number.isNaN(at) && at < ordered) errors.push({ path: key, message: 'must not be before orderedAt' });
	}
	return errors;
}
