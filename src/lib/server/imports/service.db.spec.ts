import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, realPostgres, type TestDatabase } from '../db/test-db';
import { getOrderByExternalId } from '../orders/queries';
import { listEvents } from '../returns/events';
import { createTestShop } from '../test-fixtures';
import { listImports, runImport, type ImportRequest } from './service';
import { importTemplate } from './templates';
import { toCsv } from './csv';

let t: TestDatabase;
let shopId: string;
let userId: string;

beforeAll(async () => {
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql, 'imports-shop')).id;
	const [user] = await t.sql`insert into users (email, name) values ('admin@imports.test', 'Admin') returning id`;
	userId = user.id;
});
afterAll(() => t.close());

const request = (kind: 'orders' | 'returns', content: string, filename = `${kind}.csv`): ImportRequest => ({
	shopId,
	timeZone: 'Europe/Paris',
	userId,
	kind,
	filename,
	content
});

async function count(table: string) {
	const [{ n }] = await t.sql.unsafe(`select count(*)::int as n from ${table} where shop_id = $1`, [shopId]);
	return n as number;
}

describe('CSV import of past orders', () => {
	it('refuses a file with one bad row whole, naming the line and column of every problem', async () => {
		const header = ['order_number', 'ordered_at', 'email', 'currency', 'sku', 'title', 'quantity', 'unit_price', 'vat_rate', 'ship_country', 'ship_postal_code', 'ship_city', 'ship_line1'];
		const content = toCsv(header, [
			['1001', '2025-09-02', 'camille@example.com', 'EUR', 'JEAN-W32-L32', 'Slim jeans', '1', '89.00', '20', 'FR', '75002', 'Paris', '12 rue de la Paix'],
			// Line 3: a unit price with too many decimals and a VAT rate that is not a number.
			['1001', '', '', '', 'CABLE-C-1M', 'USB-C cable', '2', '19.999', 'twenty', '', '', '', ''],
			// Line 4: an email that is not one.
			['1002', '2025-09-10', 'lea.at.example.com', 'EUR', 'BOOK-42', 'Cookbook', '1', '24.00', '5.5', 'FR', '69007', 'Lyon', '8 avenue Jean Jaurès']
		]);

		const result = await runImport(t.sql, request('orders', content, 'bad.csv'));
		expect(result.status).toBe('failed');
		expect(result.errors.map((e) => [e.line, e.column])).toEqual([
			[3, 'unit_price'],
			[3, 'vat_rate'],
			[4, 'email']
		]);
		expect(result.errors[0].message).toContain('19.999');
		expect(await count('orders')).toBe(0);
		expect(await count('customers')).toBe(0);
		const [run] = await listImports(t.sql, shopId);
		expect(run).toMatchObject({ kind: 'orders', filename: 'bad.csv', status: 'failed', rowsTotal: 3, rowsImported: 0, createdByEmail: 'admin@imports.test' });
		expect(run.errors).toHaveLength(3);
	});

	it('imports the template: orders grouped by number, amounts converted exactly, in the shop’s time zone', async () => {
		const result = await runImport(t.sql, request('orders', importTemplate('orders').content));
		expect(result).toMatchObject({ status: 'succeeded', rowsTotal: 3, rowsImported: 3, created: 2, updated: 0, errors: [] });
		const order = (await getOrderByExternalId(t.sql, shopId, '1001'))!;
		expect(order).toMatchObject({
			orderNumber: '1001',
			source: 'import',
			locale: 'fr',
			orderedAt: '2025-09-02T08:15:00.000Z',
			fulfilledAt: '2025-09-02T22:00:00.000Z',
			deliveredAt: '2025-09-04T22:00:00.000Z',
			customer: { email: 'camille.martin@example.com', firstName: 'Camille' },
			payment: { stripePaymentIntentId: 'pi_3PExample1001' },
			shipping: { amount: { amount: 490, currency: 'EUR' }, vatAmount: { amount: 82, currency: 'EUR' } }
		});
		expect(order.lines.map((l) => [l.externalId, l.sku, l.quantity, l.unitPrice.amount, l.discount.amount, l.total.amount, l.vatAmount.amount])).toEqual([
			['line-1', 'JEAN-W32-L32', 1, 8900, 0, 8900, 1483],
			['line-2', 'CABLE-C-1M', 2, 1990, 500, 3480, 580]
		]);
		expect(order.total.amount).toBe(8900 + 3480 + 490);
		const other = (await getOrderByExternalId(t.sql, shopId, '1002'))!;
		expect(other.orderedAt).toBe('2025-09-10T14:40:00.000Z');
		expect(other.shippingAddress).toMatchObject({ name: 'Léa Dubois', line2: 'Apt 4' });
		expect(other.lines[0].vatRate).toBe(5.5);
	});

	it('imports the same file again as updates, duplicating nothing', async () => {
		const before = { orders: await count('orders'), lines: await count('order_lines'), customers: await count('customers') };
		const result = await runImport(t.sql, request('orders', importTemplate('orders').content));
		expect(result).toMatchObject({ status: 'succeeded', created: 0, updated: 2 });
		expect({ orders: await count('orders'), lines: await count('order_lines'), customers: await count('customers') }).toEqual(before);
	});

	it('reads semicolon files with decimal commas and reports rows that disagree about their order', async () => {
		const content = [
			'order_number;ordered_at;email;currency;sku;title;quantity;unit_price;vat_rate;ship_country;ship_postal_code;ship_city;ship_line1',
			'2001;2025-10-01;a@example.com;EUR;S-1;Scarf;1;25,50;20;FR;75001;Paris;1 rue A',
			'2001;2025-10-02;a@example.com;EUR;S-2;Hat;1;10,00;20;FR;75001;Paris;1 rue A'
		].join('\n');
		const bad = await runImport(t.sql, request('orders', content));
		expect(bad.errors).toEqual([{ line: 3, column: 'ordered_at', message: expect.stringContaining('2') }]);
		const fixed = await runImport(t.sql, request('orders', content.replace('2025-10-02', '')));
		expect(fixed.status).toBe('succeeded');
		expect((await getOrderByExternalId(t.sql, shopId, '2001'))!.subtotal.amount).toBe(3550);
	});

	it('refuses an order number that another order of the shop already has', async () => {
		const content = [
			'order_number,order_external_id,ordered_at,email,currency,sku,title,quantity,unit_price,vat_rate,ship_country,ship_postal_code,ship_city,ship_line1',
			'1001,other-system-1001,2025-10-01,b@example.com,EUR,S-1,Scarf,1,25.50,20,FR,75001,Paris,1 rue A'
		].join('\n');
		const result = await runImport(t.sql, request('orders', content));
		expect(result.errors).toEqual([{ line: 2, column: 'order_number', message: expect.stringContaining('1001') }]);
	});

	it('reports unknown and missing columns', async () => {
		const result = await runImport(t.sql, request('orders', 'order_number,colour\n1,red\n'));
		expect(result.status).toBe('failed');
		expect(result.errors.every((e) => e.line === 1)).toBe(true);
		expect(result.errors.map((e) => e.column)).toEqual(expect.arrayContaining(['colour', 'email', 'sku', 'unit_price']));
	});
});

describe('CSV import of past returns', () => {
	it('refuses bad rows whole with their line and column', async () => {
		const content = [
			'order_number,sku,quantity,reason_code,requested_at,status',
			'1001,JEAN-W32-L32,1,too_small,2025-09-08,refunded',
			'9999,JEAN-W32-L32,1,too_small,2025-09-08,refunded',
			'1001,NOPE,1,fit,2025-09-08,lost',
			'1002,BOOK-42,5,changed_mind,2025-08-01,refunded'
		].join('\n');
		const result = await runImport(t.sql, request('returns', content));
		expect(result.status).toBe('failed');
		expect(result.errors.map((e) => [e.line, e.column])).toEqual([
			[3, 'order_number'],
			[4, 'reason_code'],
			[4, 'status'],
			[5, 'quantity'],
			[5, 'requested_at']
		]);
		expect(await count('returns')).toBe(0);
	});

	it('replays the template’s returns through the returns service, and skips them when imported again', async () => {
		const result = await runImport(t.sql, request('returns', importTemplate('returns').content));
		expect(result).toMatchObject({ status: 'succeeded', rowsTotal: 3, rowsImported: 3, created: 2, errors: [] });
		const returns = await t.sql`
			select r.id, r.rma, r.channel, r.reception_status, r.decision_status, r.requested_at, r.closed_at,
				array_agg(l.resolution_status order by l.created_at, l.id) as resolutions, o.order_number
			from returns r join orders o on o.id = r.order_id join return_lines l on l.return_id = r.id
			where r.shop_id = ${shopId} group by r.id, o.order_number order by o.order_number`;
		expect(returns.map((r) => [r.order_number, r.channel, r.reception_status, r.decision_status, [...r.resolutions].sort()])).toEqual([
			['1001', 'import', 'received', 'accepted', ['exchanged', 'refunded']],
			['1002', 'import', 'awaiting', 'rejected', ['pending']]
		]);
		expect(returns[0].requested_at.toISOString()).toBe('2025-09-07T22:00:00.000Z');
		expect(returns[0].closed_at.toISOString()).toBe('2025-09-14T22:00:00.000Z');
		expect(returns[1].closed_at).toBeInstanceOf(Date);
		const events = await listEvents(t.sql, shopId, returns[0].id);
		expect(events[0]).toMatchObject({ type: 'return.created', actorKind: 'import', actorId: userId });
		expect(events.map((e) => e.type)).toContain('return.closed');

		const again = await runImport(t.sql, request('returns', importTemplate('returns').content));
		expect(again).toMatchObject({ status: 'succeeded', rowsImported: 0, rowsSkipped: 3, created: 0 });
		expect(await count('returns')).toBe(2);
	});

	it('refuses to return more than was ordered', async () => {
		const content = ['order_number,sku,quantity,reason_code,requested_at,status', '2001,S-1,1,changed_mind,2025-10-05,requested', '2001,S-1,1,changed_mind,2025-10-06,requested'].join('\n');
		const result = await runImport(t.sql, request('returns', content));
		expect(result.errors).toEqual([{ line: 3, column: 'quantity', message: expect.stringContaining('0') }]);
	});
});

describe('CSV import, files as merchants write them', () => {
	it('takes quoted decimal commas, dates without time and a closing date for returns', async () => {
		const orders = [
			'order_number,ordered_at,delivered_at,email,currency,sku,title,quantity,unit_price,vat_rate,ship_name,ship_line1,ship_postal_code,ship_city,ship_country',
			'H-9001,2026-03-02T10:00:00Z,2026-03-05,history.one@example.com,EUR,HIST-1,Old jacket,1,120.00,20,Jo Martin,1 rue Vieille,75003,Paris,FR',
			'H-9001,2026-03-02T10:00:00Z,2026-03-05,history.one@example.com,EUR,HIST-2,Old scarf,2,"19,50",20,Jo Martin,1 rue Vieille,75003,Paris,FR'
		].join('\n');
		expect(await runImport(t.sql, request('orders', orders, 'history.csv'))).toMatchObject({ status: 'succeeded', rowsImported: 2, created: 1 });
		const order = (await getOrderByExternalId(t.sql, shopId, 'H-9001'))!;
		expect(order.subtotal.amount).toBe(12000 + 3900);
		expect(order.deliveredAt).toBe('2026-03-04T23:00:00.000Z');

		const returns = ['order_number,sku,quantity,reason_code,requested_at,status,closed_at', 'H-9001,HIST-1,1,too_small,2026-03-08,refunded,2026-03-15'].join('\n');
		expect(await runImport(t.sql, request('returns', returns, 'returns.csv'))).toMatchObject({ status: 'succeeded', rowsImported: 1, created: 1 });
	});
});

describe.runIf(realPostgres)('a returns file uploaded twice at once (real PostgreSQL)', () => {
	it('imports each return once', async () => {
		const other = (await createTestShop(t.sql, 'imports-race')).id;
		const forOther = (kind: 'orders' | 'returns') => ({ ...request(kind, importTemplate(kind).content), shopId: other });
		expect((await runImport(t.sql, forOther('orders'))).status).toBe('succeeded');
		const results = await Promise.all([runImport(t.sql, forOther('returns')), runImport(t.sql, forOther('returns'))]);
		expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
		expect(results.map((r) => r.created).sort()).toEqual([0, 2]);
		const [{ n }] = await t.sql`select count(*)::int as n from returns where shop_id = ${other}`;
		expect(n).toBe(2);
	});
});
