import { describe, expect, it } from 'vitest';
import type { CsvRow } from './csv';
import { buildOrders, fieldToCell } from './orders-csv';

const base = {
	order_number: '1',
	ordered_at: '2025-05-01',
	email: 'a@example.com',
	currency: 'EUR',
	sku: 'S',
	title: 'Scarf',
	quantity: '1',
	unit_price: '10.00',
	vat_rate: '20',
	ship_country: 'fr',
	ship_postal_code: '75001',
	ship_city: 'Paris',
	ship_line1: '1 rue A'
};
const rows = (...values: Record<string, string>[]): CsvRow[] => values.map((v, i) => ({ line: i + 2, values: v }));

describe('buildOrders', () => {
	it('makes one order of the rows sharing an order, blank cells taking the order’s values', () => {
		const { orders, errors } = buildOrders(
			rows({ ...base, first_name: 'Ana' }, { ...base, ordered_at: '', email: '', sku: 'T', title: 'Tie', unit_price: '5,5' }),
			{ timeZone: 'UTC' }
		);
		expect(errors).toEqual([]);
		expect(orders).toHaveLength(1);
		expect(orders[0]).toMatchObject({ key: '1', firstLine: 2, lines: [2, 3] });
		expect(orders[0].input).toMatchObject({
			externalId: '1',
			orderedAt: '2025-05-01T00:00:00.000Z',
			shippingAddress: { name: 'Ana', country: 'FR' },
			lines: [
				{ externalId: 'line-1', sku: 'S', unitPrice: { amount: 1000, currency: 'EUR' } },
				{ externalId: 'line-2', sku: 'T', unitPrice: { amount: 550, currency: 'EUR' } }
			]
		});
	});

	it('groups by order_external_id when given, and refuses one number for two orders', () => {
		const { errors } = buildOrders(rows({ ...base, order_external_id: 'x' }, { ...base, order_external_id: 'y' }), { timeZone: 'UTC' });
		expect(errors).toEqual([{ line: 3, column: 'order_number', message: expect.stringContaining('2') }]);
	});

	it('refuses repeated line ids and discounts above the line, with their cells', () => {
		const { errors, orders } = buildOrders(
			rows({ ...base, line_external_id: 'a', discount: '10.01' }, { ...base, line_external_id: 'a' }),
			{ timeZone: 'UTC' }
		);
		expect(orders).toEqual([]);
		expect(errors.map((e) => [e.line, e.column])).toEqual([
			[2, 'discount'],
			[3, 'line_external_id']
		]);
	});

	it('knows zero-decimal currencies', () => {
		const { orders, errors } = buildOrders(rows({ ...base, currency: 'JPY', unit_price: '1200' }), { timeZone: 'UTC' });
		expect(errors).toEqual([]);
		expect(orders[0].input.lines[0].unitPrice).toEqual({ amount: 1200, currency: 'JPY' });
		const bad = buildOrders(rows({ ...base, currency: 'JPY', unit_price: '12.50' }), { timeZone: 'UTC' });
		expect(bad.errors).toEqual([{ line: 2, column: 'unit_price', message: expect.stringContaining('1200') }]);
	});
});

describe('fieldToCell', () => {
	it('maps API field paths back to the file', () => {
		expect(fieldToCell('lines[1].quantity', 'x', 2, [2, 5])).toEqual({ line: 5, column: 'quantity', message: 'x' });
		expect(fieldToCell('customer.email', 'x', 2, [2], { email: 4 })).toEqual({ line: 4, column: 'email', message: 'x' });
		expect(fieldToCell('lines', 'x', 2, [2])).toEqual({ line: 2, column: null, message: 'x' });
	});
});
