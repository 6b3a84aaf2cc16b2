import { m } from '$lib/paraglide/messages';
import { ValidationError } from '../api/errors';
import { currencyExponent, parseMajorUnits } from '../orders/money';
import { parseOrder, type OrderInput } from '../orders/intake';
import { parseBoolean, parseCount, parseImportDate, parseRate, type CsvRow, type ImportError } from './csv';

/** Past orders, one row per order line. Rows with the same order (external id, else number) make one order. */
export const ORDER_CSV_COLUMNS = {
	required: [
		'order_number',
		'ordered_at',
		'email',
		'currency',
		'sku',
		'title',
		'quantity',
		'unit_price',
		'vat_rate',
		'ship_country',
		'ship_postal_code',
		'ship_city',
		'ship_line1'
	],
	optional: [
		'order_external_id',
		'fulfilled_at',
		'delivered_at',
		'first_name',
		'last_name',
		'phone',
		'locale',
		'taxes_included',
		'line_external_id',
		'variant_title',
		'discount',
		'shipping',
		'shipping_vat_rate',
		'ship_name',
		'ship_line2',
		'ship_region',
		'stripe_payment_intent_id',
		'stripe_charge_id'
	]
} as const;

/** Columns that describe the order rather than the line: the same on every row of an order (blank = same). */
const ORDER_LEVEL = [
	'order_number',
	'order_external_id',
	'ordered_at',
	'fulfilled_at',
	'delivered_at',
	'email',
	'first_name',
	'last_name',
	'phone',
	'locale',
	'currency',
	'taxes_included',
	'shipping',
	'shipping_vat_rate',
	'ship_name',
	'ship_line1',
	'ship_line2',
	'ship_postal_code',
	'ship_city',
	'ship_region',
	'ship_country',
	'stripe_payment_intent_id',
	'stripe_charge_id'
] as const;

export interface OrderGroup {
	/** The order's external id (order_external_id, or the order number). */
	key: string;
	firstLine: number;
	/** The file line of each order line, in order. */
	lines: number[];
	input: OrderInput;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** Checks every row and builds the orders; every problem is reported with its line and column. */
export function buildOrders(rows: CsvRow[], options: { timeZone: string }): { orders: OrderGroup[]; errors: ImportError[] } {
	const errors: ImportError[] = [];
	const err = (line: number, column: string | null, message: string) => errors.push({ line, column, message });

	// Group rows into orders.
	const groups = new Map<string, CsvRow[]>();
	for (const row of rows) {
		const number = row.values.order_number ?? '';
		if (!number) {
			err(row.line, 'order_number', m.catalogue_import_err_required());
			continue;
		}
		const key = row.values.order_external_id || number;
		groups.set(key, [...(groups.get(key) ?? []), row]);
	}

	const numberOwner = new Map<string, { key: string; line: number }>();
	const orders: OrderGroup[] = [];
	for (const [key, group] of groups) {
		const before = errors.length;
		// The order's values: the first non-blank of each column; a different one later is a mistake.
		const value: Record<string, string> = {};
		const from: Record<string, number> = {};
		for (const row of group) {
			for (const column of ORDER_LEVEL) {
				const v = row.values[column] ?? '';
				if (!v) continue;
				if (value[column] === undefined) {
					value[column] = v;
					from[column] = row.line;
				} else if (!sameValue(column, value[column], v)) {
					err(row.line, column, m.catalogue_import_err_inconsistent({ line: from[column] }));
				}
			}
		}
		const first = group[0].line;
		const at = (column: string) => from[column] ?? first;
		const number = value.order_number;
		const owner = numberOwner.get(number);
		if (owner && owner.key !== key) err(first, 'order_number', m.catalogue_import_err_number_in_file({ number, line: owner.line }));
		else numberOwner.set(number, { key, line: first });

		const required = (column: string) => {
			if (!value[column]) err(at(column), column, m.catalogue_import_err_required());
			return value[column] ?? '';
		};
		const date = (column: string, isRequired: boolean) => {
			const text = isRequired ? required(column) : (value[column] ?? '');
			if (!text) return null;
			const d = parseImportDate(text, options.timeZone);
			if (!d) err(at(column), column, m.catalogue_import_err_date({ value: text }));
			return d;
		};
		const orderedAt = date('ordered_at', true);
		const fulfilledAt = date('fulfilled_at', false);
		const deliveredAt = date('delivered_at', false);
		for (const [column, d] of [['fulfilled_at', fulfilledAt], ['delivered_at', deliveredAt]] as const) {
			if (d && orderedAt && d < orderedAt) err(at(column), column, m.catalogue_import_err_before_order());
		}
		const email = required('email');
		if (email && !EMAIL.test(email)) err(at('email'), 'email', m.catalogue_import_err_email({ value: email }));
		const currency = required('currency').toUpperCase();
		const currencyOk = /^[A-Z]{3}$/.test(currency) && CURRENCIES.has(currency);
		if (currency && !currencyOk) err(at('currency'), 'currency', m.catalogue_import_err_currency({ value: value.currency }));
		const money = (line: number, column: string, text: string) => {
			if (!currencyOk) return null;
			const amount = parseMajorUnits(text, currency);
			if (amount === null || amount < 0) {
				err(line, column, m.catalogue_import_err_amount({ value: text, currency, example: currencyExponent(currency) === 0 ? '1200' : '89.00' }));
				return null;
			}
			return amount;
		};
		const locale = value.locale?.toLowerCase();
		if (locale && locale !== 'en' && locale !== 'fr') err(at('locale'), 'locale', m.catalogue_import_err_locale({ value: value.locale }));
		const taxesIncluded = value.taxes_included ? parseBoolean(value.taxes_included) : true;
		if (taxesIncluded === null) err(at('taxes_included'), 'taxes_included', m.catalogue_import_err_boolean({ value: value.taxes_included }));
		const shipping = value.shipping ? money(at('shipping'), 'shipping', value.shipping) : 0;
		const shippingRate = value.shipping_vat_rate ? parseRate(value.shipping_vat_rate) : 0;
		if (shippingRate === null) err(at('shipping_vat_rate'), 'shipping_vat_rate', m.catalogue_import_err_rate({ value: value.shipping_vat_rate }));
		const country = required('ship_country').toUpperCase();
		if (country && !/^[A-Z]{2}$/.test(country)) err(at('ship_country'), 'ship_country', m.catalogue_import_err_country({ value: value.ship_country }));
		for (const column of ['ship_postal_code', 'ship_city', 'ship_line1']) required(column);
		const pi = value.stripe_payment_intent_id;
		if (pi && !/^pi_[A-Za-z0-9_]+$/.test(pi)) err(at('stripe_payment_intent_id'), 'stripe_payment_intent_id', m.catalogue_import_err_payment_intent({ value: pi }));
		const charge = value.stripe_charge_id;
		if (charge && !/^(ch|py)_[A-Za-z0-9_]+$/.test(charge)) err(at('stripe_charge_id'), 'stripe_charge_id', m.catalogue_import_err_charge({ value: charge }));

		// The lines.
		const lineIds = new Map<string, number>();
		const lines = group.map((row, i) => {
			const v = row.values;
			const externalId = v.line_external_id || `line-${i + 1}`;
			if (lineIds.has(externalId)) err(row.line, 'line_external_id', m.catalogue_import_err_duplicate_line({ line: lineIds.get(externalId)! }));
			else lineIds.set(externalId, row.line);
			if (!v.title) err(row.line, 'title', m.catalogue_import_err_required());
			const quantity = v.quantity ? parseCount(v.quantity) : null;
			if (!v.quantity) err(row.line, 'quantity', m.catalogue_import_err_required());
			else if (!quantity) err(row.line, 'quantity', m.catalogue_import_err_quantity({ value: v.quantity }));
			const unitPrice = v.unit_price ? money(row.line, 'unit_price', v.unit_price) : (err(row.line, 'unit_price', m.catalogue_import_err_required()), null);
			const discount = v.discount ? money(row.line, 'discount', v.discount) : 0;
			if (quantity && unitPrice !== null && discount !== null && discount > quantity * unitPrice) {
				err(row.line, 'discount', m.catalogue_import_err_discount());
			}
			const vatRate = v.vat_rate ? parseRate(v.vat_rate) : (err(row.line, 'vat_rate', m.catalogue_import_err_required()), null);
			if (v.vat_rate && vatRate === null) err(row.line, 'vat_rate', m.catalogue_import_err_rate({ value: v.vat_rate }));
			for (const [column, max] of [['sku', 255], ['title', 500], ['variant_title', 500], ['line_external_id', 255]] as const) {
				if ((v[column] ?? '').length > max) err(row.line, column, m.catalogue_import_err_too_long({ max }));
			}
			return {
				externalId,
				sku: v.sku || null,
				title: v.title,
				variantTitle: v.variant_title || null,
				quantity: quantity ?? 0,
				unitPrice: { amount: unitPrice ?? 0, currency },
				discount: { amount: discount ?? 0, currency },
				vatRate: vatRate ?? 0
			};
		});
		if (errors.length > before) continue;

		const name = value.ship_name || [value.first_name, value.last_name].filter(Boolean).join(' ') || email;
		const input: OrderInput = {
			externalId: key,
			orderNumber: number,
			currency,
			locale: (locale as 'en' | 'fr' | undefined) ?? null,
			taxesIncluded: taxesIncluded ?? true,
			customer: {
				email,
				firstName: value.first_name || null,
				lastName: value.last_name || null,
				phone: value.phone || null,
				locale: (locale as 'en' | 'fr' | undefined) ?? null
			},
			shippingAddress: {
				name,
				line1: value.ship_line1,
				line2: value.ship_line2 || null,
				postalCode: value.ship_postal_code,
				city: value.ship_city,
				region: value.ship_region || null,
				country
			},
			lines,
			shipping: shipping ? { amount: { amount: shipping, currency }, vatRate: shippingRate ?? 0 } : null,
			payment: pi || charge ? { stripePaymentIntentId: pi || null, stripeChargeId: charge || null } : null,
			orderedAt: orderedAt!.toISOString(),
			fulfilledAt: fulfilledAt?.toISOString() ?? null,
			deliveredAt: deliveredAt?.toISOString() ?? null
		};
		const lineNumbers = group.map((r) => r.line);
		// The API's own validation has the last word; its findings are mapped back to lines and columns.
		try {
			parseOrder(input);
		} catch (error) {
			if (!(error instanceof ValidationError)) throw error;
			errors.push(...error.fields.map((f) => fieldToCell(f.path, f.message, first, lineNumbers, from)));
			continue;
		}
		orders.push({ key, firstLine: first, lines: lineNumbers, input });
	}
	return { orders, errors };
}

function sameValue(column: string, a: string, b: string): boolean {
	if (column === 'email' || column === 'currency' || column === 'ship_country' || column === 'locale') return a.toLowerCase() === b.toLowerCase();
	return a === b;
}

const PATH_TO_COLUMN: Record<string, string> = {
	externalId: 'order_external_id',
	orderNumber: 'order_number',
	currency: 'currency',
	orderedAt: 'ordered_at',
	fulfilledAt: 'fulfilled_at',
	deliveredAt: 'delivered_at',
	'customer.email': 'email',
	'customer.firstName': 'first_name',
	'customer.lastName': 'last_name',
	'customer.phone': 'phone',
	'shippingAddress.name': 'ship_name',
	'shippingAddress.line1': 'ship_line1',
	'shippingAddress.line2': 'ship_line2',
	'shippingAddress.postalCode': 'ship_postal_code',
	'shippingAddress.city': 'ship_city',
	'shippingAddress.region': 'ship_region',
	'shippingAddress.country': 'ship_country',
	'shipping.amount': 'shipping',
	'shipping.vatRate': 'shipping_vat_rate',
	'payment.stripePaymentIntentId': 'stripe_payment_intent_id',
	'payment.stripeChargeId': 'stripe_charge_id'
};

const LINE_FIELD_TO_COLUMN: Record<string, string> = {
	externalId: 'line_external_id',
	sku: 'sku',
	title: 'title',
	variantTitle: 'variant_title',
	quantity: 'quantity',
	unitPrice: 'unit_price',
	discount: 'discount',
	vatRate: 'vat_rate'
};

/** An API field path (`lines[2].quantity`, `customer.email`) as the file's line and column. */
export function fieldToCell(path: string, message: string, firstLine: number, lineNumbers: number[], from: Record<string, number> = {}): ImportError {
	const line = /^lines\[(\d+)\]\.?([A-Za-z]*)/.exec(path);
	if (line) {
		return { line: lineNumbers[Number(line[1])] ?? firstLine, column: LINE_FIELD_TO_COLUMN[line[2]] ?? null, message };
	}
	const key = Object.keys(PATH_TO_COLUMN).find((k) => path === k || path.startsWith(k + '.'));
	const column = key ? PATH_TO_COLUMN[key] : null;
	return { line: (column && from[column]) || firstLine, column, message };
}
