import { toCsv } from './csv';
import { ORDER_CSV_COLUMNS } from './orders-csv';
import { RETURN_CSV_COLUMNS } from './returns-csv';
import type { ImportKind } from './service';

/** Example files merchants download, fill in and upload: every column, two orders and their returns. */
const ORDER_HEADER = [
	'order_number',
	'order_external_id',
	'ordered_at',
	'fulfilled_at',
	'delivered_at',
	'email',
	'first_name',
	'last_name',
	'locale',
	'currency',
	'taxes_included',
	'line_external_id',
	'sku',
	'title',
	'variant_title',
	'quantity',
	'unit_price',
	'discount',
	'vat_rate',
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
	'stripe_charge_id',
	'phone'
] as const satisfies readonly (typeof ORDER_CSV_COLUMNS.required[number] | typeof ORDER_CSV_COLUMNS.optional[number])[];

const ORDER_ROWS = [
	['1001', '', '2025-09-02T10:15:00+02:00', '2025-09-03', '2025-09-05', 'camille.martin@example.com', 'Camille', 'Martin', 'fr', 'EUR', 'yes', '', 'JEAN-W32-L32', 'Slim jeans', 'W32 / L32', '1', '89.00', '', '20', '4.90', '20', 'Camille Martin', '12 rue de la Paix', '', '75002', 'Paris', '', 'FR', 'pi_3PExample1001', '', ''],
	['1001', '', '2025-09-02T10:15:00+02:00', '', '', 'camille.martin@example.com', '', '', '', 'EUR', '', '', 'CABLE-C-1M', 'USB-C cable 1 m', '', '2', '19,90', '5.00', '20', '', '', '', '', '', '', '', '', '', '', '', ''],
	['1002', '', '2025-09-10 16:40', '', '2025-09-14', 'lea.dubois@example.com', 'Léa', 'Dubois', 'en', 'EUR', 'yes', '', 'BOOK-42', 'Cookbook', '', '1', '24.00', '', '5.5', '0', '', '', '8 avenue Jean Jaurès', 'Apt 4', '69007', 'Lyon', '', 'FR', '', '', '']
];

const RETURN_HEADER = ['order_number', 'sku', 'quantity', 'reason_code', 'requested_at', 'status', 'closed_at', 'return_reference', 'comment'] as const satisfies readonly (
	| typeof RETURN_CSV_COLUMNS.required[number]
	| typeof RETURN_CSV_COLUMNS.optional[number]
)[];

const RETURN_ROWS = [
	['1001', 'JEAN-W32-L32', '1', 'too_small', '2025-09-08', 'exchanged', '2025-09-15', 'RET-1', 'Needed a W33'],
	['1001', 'CABLE-C-1M', '1', 'incompatible_device', '2025-09-08', 'refunded', '2025-09-15', 'RET-1', ''],
	['1002', 'BOOK-42', '1', 'changed_mind', '2025-09-16', 'rejected', '2025-09-18', '', 'Opened and used']
];

export function importTemplate(kind: ImportKind): { filename: string; content: string } {
	return kind === 'orders'
		? { filename: 'retour-orders-template.csv', content: toCsv(ORDER_HEADER, ORDER_ROWS) }
		: { filename: 'retour-returns-template.csv', content: toCsv(RETURN_HEADER, RETURN_ROWS) };
}
