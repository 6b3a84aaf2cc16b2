import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppTestDatabase, type TestDatabase } from '$lib/server/db/test-db';
import { startWorkers } from '$lib/server/jobs';
import { jobHandlers } from '$lib/server/jobs/handlers';
import { startFakeSendcloud, type FakeSendcloud } from '$lib/server/labels/fake-sendcloud';
import { builtinLabels } from '$lib/server/labels/provider';
import { sendcloudLabels } from '$lib/server/labels/sendcloud';
import { getReturnLabel } from '$lib/server/labels/service';
import { startFakeStripe, type FakeStripe } from '$lib/server/refunds/fake-stripe';
import { listReturnRefunds } from '$lib/server/refunds/service';
import { createStripe } from '$lib/server/refunds/stripe';
import { createReturn, loadReturn } from '$lib/server/returns/service';
import { createTestShop, insertTestOrder } from '$lib/server/test-fixtures';
import { POST } from './+server';

/** A carrier label from Sendcloud, then the parcel's journey told by Sendcloud's webhooks, to the refund at drop-off. */

let t: TestDatabase;
let sendcloud: FakeSendcloud;
let stripe: FakeStripe;
let receiver: http.Server;
let webhookUrl: string;
let shopId: string;
const saved = { ...process.env };

beforeAll(async () => {
	t = await createAppTestDatabase('s'.repeat(64));
	sendcloud = await startFakeSendcloud();
	stripe = await startFakeStripe();
	Object.assign(process.env, {
		SENDCLOUD_PUBLIC_KEY: sendcloud.publicKey,
		SENDCLOUD_SECRET_KEY: sendcloud.secretKey,
		SENDCLOUD_API_BASE: sendcloud.url
	});
	// Sendcloud posts to a URL: this one hands the request to the route as SvelteKit would.
	receiver = http.createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const request = new Request('https://returns.example.com/api/webhooks/sendcloud', {
			method: 'POST',
			headers: Object.entries(req.headers).map(([k, v]) => [k, String(v)] as [string, string]),
			body: Buffer.concat(chunks)
		});
		const response = await (POST as (e: unknown) => Promise<Response>)({ request });
		res.writeHead(response.status, { 'content-type': 'application/json' }).end(await response.text());
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
	shopId = (await createTestShop(t.sql, 'sendcloud-shop')).id;
});
afterAll(async () => {
	for (const key of ['SENDCLOUD_PUBLIC_KEY', 'SENDCLOUD_SECRET_KEY', 'SENDCLOUD_API_BASE']) {
		if (saved[key] === undefined) delete process.env[key];
		else process.env[key] = saved[key];
	}
	await new Promise((resolve) => receiver?.close(resolve));
	await sendcloud?.close();
	await stripe?.close();
	await t?.close();
});

describe('a Sendcloud return label and its tracking', () => {
	it('makes the carrier label, then moves the parcel and pays at drop-off as Sendcloud reports it', async () => {
		const payment = stripe.addPayment({ amount: 5990, currency: 'eur' });
		const o = await insertTestOrder(t.sql, shopId, { number: 'SC1', paymentIntentId: payment.paymentIntentId, lines: [{ title: 'Pull col roulé', quantity: 1, unitPrice: 5990 }] });
		const r = await createReturn(
			t.sql,
			{ shopId, orderId: o.orderId, channel: 'customer', returnMethod: 'label', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'changed_mind', requestedResolution: 'refund' }] },
			{ kind: 'customer' }
		);
		const deps = {
			stripe: createStripe({ secretKey: stripe.apiKey, apiBase: stripe.url }),
			labels: { builtin: builtinLabels, sendcloud: sendcloudLabels({ publicKey: sendcloud.publicKey, secretKey: sendcloud.secretKey, apiBase: sendcloud.url, shippingOptionCode: 'postnl:standard', pollIntervalMs: 10 }) },
			smtpUrl: null
		};
		const workers = await startWorkers(t.sql, jobHandlers(t.sql, deps), { poll: false });
		try {
			await workers.drain();
			const label = await getReturnLabel(t.sql, shopId, r.id);
			expect(label).toMatchObject({ provider: 'sendcloud', status: 'created' });
			expect(label!.trackingNumber).toBeTruthy();
			expect(sendcloud.returns).toHaveLength(1);
			const [email] = await t.sql`
				select e.kind, a.filename, a.content_type, substring(a.content from 1 for 5) as head
				from emails e join email_attachments a on a.email_id = e.id where e.return_id = ${r.id}`;
			expect(email).toMatchObject({ kind: 'return_accepted', filename: `${r.rma}.pdf`, content_type: 'application/pdf' });
			expect(Buffer.from(email.head).toString()).toBe('%PDF-');
			expect(await listReturnRefunds(t.sql, shopId, r.id)).toHaveLength(0); // the policy pays at drop-off

			const externalId = String(sendcloud.returns[0].id);
			expect(await sendcloud.advance(externalId, 'En route to sorting center', webhookUrl)).toBe(200);
			expect((await loadReturn(t.sql, shopId, r.id))!.receptionStatus).toBe('in_transit');
			// The same update again (Sendcloud retries) changes nothing.
			expect(await sendcloud.advance(externalId, 'En route to sorting center', webhookUrl)).toBe(200);
			await workers.drain();
			const [refund] = await listReturnRefunds(t.sql, shopId, r.id);
			expect(refund).toMatchObject({ status: 'succeeded', amount: 5990 });

			expect(await sendcloud.advance(externalId, 'Delivered', webhookUrl)).toBe(200);
			expect((await loadReturn(t.sql, shopId, r.id))!.receptionStatus).toBe('received');
			const moves = await t.sql`select payload->>'to' as to, actor_id from return_events where return_id = ${r.id} and type = 'return.reception_changed' order by id`;
			expect(moves.map((m) => [m.to, m.actor_id])).toEqual([
				['in_transit', 'carrier'],
				['received', 'carrier']
			]);
			await workers.drain();
			expect(stripe.refunds.filter((x) => x.payment_intent === payment.paymentIntentId)).toHaveLength(1);
			const kinds = await t.sql`select kind from emails where return_id = ${r.id} order by created_at`;
			expect(kinds.map((k) => k.kind)).toEqual(['return_accepted', 'refund_issued', 'parcel_received']);
		} finally {
			await workers.stop();
		}
	});

	it('refuses a webhook that Sendcloud did not sign', async () => {
		const request = new Request('https://returns.example.com/api/webhooks/sendcloud', {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'sendcloud-signature': 'a'.repeat(64) },
			body: JSON.stringify({ action: 'parcel_status_changed', parcel: { id: 1, status: { message: 'Delivered' }, tracking_number: 'X' } })
		});
		const response = await (POST as (e: unknown) => Promise<Response>)({ request });
		expect(response.status).toBe(401);
	});
});
