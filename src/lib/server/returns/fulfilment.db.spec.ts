import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditBalance } from '../credit/ledger';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import { startWorkers } from '../jobs';
import { jobHandlers } from '../jobs/handlers';
import { builtinLabels } from '../labels/provider';
import { getReturnLabel } from '../labels/service';
import { createTestShop, insertTestOrder } from '../test-fixtures';
import { addWebhookEndpoint } from '../webhooks/service';
import { listEvents } from './events';
import { createReturn, transitionReturn } from './service';

/** What acceptance and the parcel's journey set in motion, beyond refunds (refunds/ has those). */

let t: TestDatabase;
let shopId: string;
let n = 0;
const staff = { kind: 'staff' as const, id: 'u1' };

beforeAll(async () => {
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql, 'fulfilment')).id;
});
afterAll(() => t?.close());

async function drain() {
	const workers = await startWorkers(t.sql, jobHandlers(t.sql, { stripe: null, labels: { builtin: builtinLabels }, smtpUrl: null }), { poll: false });
	try {
		await workers.drain();
	} finally {
		await workers.stop();
	}
}

async function newReturn(input: { reason: string; resolution: 'refund' | 'store_credit'; method: 'label' | 'drop_off' | 'keep'; autoAccept?: boolean }) {
	const o = await insertTestOrder(t.sql, shopId, { number: `F${++n}`, lines: [{ title: 'Robe portefeuille', quantity: 1, unitPrice: 6900 }] });
	return createReturn(
		t.sql,
		{
			shopId,
			orderId: o.orderId,
			channel: 'customer',
			autoAccept: input.autoAccept,
			resolution: input.resolution,
			returnMethod: input.method,
			receptionStatus: input.method === 'keep' ? 'not_required' : 'awaiting',
			lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: input.reason, requestedResolution: input.method === 'keep' ? 'keep' : input.resolution }]
		},
		{ kind: 'customer' }
	);
}

describe('fulfilment of an accepted return', () => {
	it('issues store credit as a code when the parcel is first scanned, and tells the customer', async () => {
		const r = await newReturn({ reason: 'changed_mind', resolution: 'store_credit', method: 'drop_off' });
		const codes = () => t.sql`select code from credit_codes where return_id = ${r.id}`;
		expect(await codes()).toHaveLength(0); // the default policy pays at drop-off
		await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'reception', to: 'in_transit' }, { kind: 'system', id: 'carrier' });
		const [{ code }] = await codes();
		expect(await creditBalance(t.sql, shopId, code)).toMatchObject({ balance: 6900, currency: 'EUR' });
		const [line] = await t.sql`select resolution_status from return_lines where return_id = ${r.id}`;
		expect(line.resolution_status).toBe('credited');
		// Received later: nothing is issued twice.
		await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'reception', to: 'received' }, staff);
		expect(await codes()).toHaveLength(1);
		const emails = await t.sql`select kind, text_body from emails where return_id = ${r.id} order by created_at`;
		expect(emails.map((e) => e.kind)).toEqual(['credit_issued', 'parcel_received']);
		expect(emails[0].text_body).toContain(code);
	});

	it('tells the shop of each accepted return once, by webhook', async () => {
		const endpoint = await addWebhookEndpoint(t.sql, shopId, { url: 'https://shop.example/retour', events: ['return.accepted'] });
		const r = await newReturn({ reason: 'changed_mind', resolution: 'refund', method: 'label', autoAccept: false });
		await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'decision', to: 'accepted' }, staff);
		await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'decision', to: 'on_hold', reason: 'Checking' }, staff);
		await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'decision', to: 'accepted' }, staff);
		const deliveries = await t.sql`select event_type, payload from webhook_deliveries where endpoint_id = ${endpoint.id}`;
		expect(deliveries).toHaveLength(1);
		expect(deliveries[0]).toMatchObject({ event_type: 'return.accepted', payload: { returnId: r.id, rma: r.rma, returnMethod: 'label', total: { amount: 6900, currency: 'EUR' } } });
		await t.sql`update webhook_endpoints set active = false where id = ${endpoint.id}`;
	});

	it('makes the drop-off code, and sends the acceptance email with it attached', async () => {
		const r = await newReturn({ reason: 'changed_mind', resolution: 'refund', method: 'drop_off' });
		expect(await getReturnLabel(t.sql, shopId, r.id)).toMatchObject({ provider: 'builtin', status: 'pending' });
		await drain();
		expect(await getReturnLabel(t.sql, shopId, r.id)).toMatchObject({ status: 'created' });
		const [email] = await t.sql`
			select e.kind, e.locale, e.subject, count(a.id)::int as attachments from emails e left join email_attachments a on a.email_id = e.id
			where e.return_id = ${r.id} group by e.id`;
		expect(email).toMatchObject({ kind: 'return_accepted', locale: 'fr', attachments: 1 }); // the shop is French
		await drain();
		expect((await t.sql`select count(*)::int as n from emails where return_id = ${r.id}`)[0].n).toBe(1);
		expect((await listEvents(t.sql, shopId, r.id)).filter((e) => e.type === 'label.created')).toHaveLength(1);
	});

	it('refunds a defective item on approval, before its parcel: a manual refund for an order paid outside Stripe', async () => {
		const r = await newReturn({ reason: 'defective', resolution: 'refund', method: 'label' });
		const [refund] = await t.sql`select method, status, amount from refunds where return_id = ${r.id}`;
		expect(refund).toMatchObject({ method: 'manual', status: 'pending', amount: 6900 });
		expect(await t.sql`select 1 from pgboss.job where name = 'refund-send' and data->>'refundId' = ${refund.id}`).toHaveLength(0);
	});

	it('emails staff’s question when they ask for more information, and voids the label of a rejected return', async () => {
		const r = await newReturn({ reason: 'changed_mind', resolution: 'refund', method: 'label', autoAccept: false });
		await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'decision', to: 'info_requested', reason: 'Could you send a photo of the <label> inside?' }, staff);
		const [asked] = await t.sql`select kind, html_body, text_body from emails where return_id = ${r.id}`;
		expect(asked.kind).toBe('info_requested');
		expect(asked.text_body).toContain('Could you send a photo of the <label> inside?');
		expect(asked.html_body).not.toContain('<label>');

		await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'decision', to: 'accepted' }, staff);
		await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'decision', to: 'on_hold', reason: 'Checking with the warehouse' }, staff);
		await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'decision', to: 'cancelled', reason: 'The customer kept it' }, staff);
		expect(await getReturnLabel(t.sql, shopId, r.id)).toMatchObject({ status: 'cancelled' });
		await drain(); // the label job finds it cancelled and makes nothing
		expect(await getReturnLabel(t.sql, shopId, r.id)).toMatchObject({ status: 'cancelled' });
	});
});
