import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import type { Shop } from '../shops/service';
import { createTestShop } from '../test-fixtures';
import { deliverQueuedEmail, getShopEmail, listShopEmails, queueEmail, sendEmail } from './index';

interface Received {
	from: string | undefined;
	to: string[];
	raw: string;
}

/** A real SMTP server on loopback that keeps what it receives. */
async function startSmtpServer() {
	const received: Received[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				received.push({
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
					to: session.envelope.rcptTo.map((r) => r.address),
					raw: Buffer.concat(chunks).toString('utf8')
				});
				callback();
			});
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.server.address() as AddressInfo;
	return { received, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let t: TestDatabase;
let shop: Shop;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

beforeAll(async () => {
	t = await createTestDatabase();
	shop = await createTestShop(t.sql, 'email-shop');
	smtp = await startSmtpServer();
});
afterAll(async () => {
	await smtp.close();
	await t.close();
});

describe('sendEmail', () => {
	it('keeps the email in the outbox when no SMTP server is configured', async () => {
		const { id, delivery } = await sendEmail(
			t.sql,
			{ shopId: shop.id, to: 'kept@example.com', subject: 'Kept', text: 'Kept body', kind: 'test' },
			{ smtpUrl: null }
		);
		expect(await delivery).toBe('outbox');
		const [row] = await t.sql`select * from emails where id = ${id}`;
		expect(row).toMatchObject({
			shop_id: shop.id,
			to_address: 'kept@example.com',
			subject: 'Kept',
			text_body: 'Kept body',
			html_body: null,
			kind: 'test',
			status: 'outbox',
			sent_at: null
		});
	});

	it('delivers through SMTP and marks the row sent', async () => {
		const smtpUrl = `smtp://127.0.0.1:${smtp.port}?from=${encodeURIComponent('Test Shop <returns@shop.example>')}`;
		const { id, delivery } = await sendEmail(
			t.sql,
			{
				shopId: shop.id,
				to: 'camille@example.com',
				subject: 'Votre retour R-ABCD-1234',
				text: 'Bonjour Camille,\nvotre étiquette est prête.',
				html: '<p>Bonjour Camille,</p>',
				kind: 'test'
			},
			{ smtpUrl }
		);
		expect(await delivery).toBe('sent');
		expect(smtp.received).toHaveLength(1);
		const message = smtp.received[0];
		expect(message.to).toEqual(['camille@example.com']);
		expect(message.from).toBe('returns@shop.example');
		expect(message.raw).toMatch(/^Subject: Votre retour R-ABCD-1234$/m);
		expect(message.raw).toMatch(/^To: camille@example\.com$/m);
		// The text part is quoted-printable: "étiquette" arrives as "=C3=A9tiquette".
		expect(message.raw).toContain('Bonjour Camille,');
		expect(message.raw).toContain('=C3=A9tiquette est pr=C3=AAte.');
		expect(message.raw).toContain('<p>Bonjour Camille,</p>');

		const [row] = await t.sql`select status, sent_at, error from emails where id = ${id}`;
		expect(row.status).toBe('sent');
		expect(row.sent_at).toBeInstanceOf(Date);
		expect(row.error).toBeNull();
	});

	it('records a failure without throwing when the server cannot be reached', async () => {
		const closed = await startSmtpServer();
		await closed.close();
		const { id, delivery } = await sendEmail(
			t.sql,
			{ shopId: shop.id, to: 'nobody@example.com', subject: 'Lost', text: 'Lost body', kind: 'test' },
			{ smtpUrl: `smtp://127.0.0.1:${closed.port}` }
		);
		expect(await delivery).toBe('failed');
		const [row] = await t.sql`select status, error from emails where id = ${id}`;
		expect(row.status).toBe('failed');
		expect(row.error).toMatch(/ECONNREFUSED|connect/i);
	});

	it('refuses a recipient that is not an email address', async () => {
		await expect(
			sendEmail(t.sql, { shopId: shop.id, to: 'nobody', subject: 'x', text: 'x', kind: 'test' }, { smtpUrl: null })
		).rejects.toThrow(/not an email address/);
	});
});

describe('outbox', () => {
	it('lists a shop’s emails newest first and never another shop’s or platform mail', async () => {
		const other = await createTestShop(t.sql, 'email-other');
		const { id: otherId } = await sendEmail(t.sql, { shopId: other.id, to: 'o@example.com', subject: 'Other', text: 'o', kind: 'test' }, { smtpUrl: null });
		await sendEmail(t.sql, { shopId: null, to: 'p@example.com', subject: 'Platform', text: 'p', kind: 'test' }, { smtpUrl: null });
		const { id: latest } = await sendEmail(t.sql, { shopId: shop.id, to: 'n@example.com', subject: 'Newest', text: 'n', kind: 'test' }, { smtpUrl: null });

		const list = await listShopEmails(t.sql, shop.id);
		expect(list[0]).toMatchObject({ id: latest, subject: 'Newest', status: 'outbox' });
		expect(list.map((e) => e.subject)).toEqual(['Newest', 'Lost', 'Votre retour R-ABCD-1234', 'Kept']);
		expect((await getShopEmail(t.sql, shop.id, latest))?.text).toBe('n');
		expect(await getShopEmail(t.sql, shop.id, otherId)).toBeUndefined();
		expect(await getShopEmail(t.sql, shop.id, 'not-a-uuid')).toBeUndefined();
	});
});

describe('the email job', () => {
	it('sends a notification with its PDF label attached, once', async () => {
		const smtpUrl = `smtp://127.0.0.1:${smtp.port}`;
		const id = await queueEmail(t.sql, { shopId: shop.id, to: 'lea@example.com', subject: 'Votre retour est accepté', text: 'Étiquette jointe.', kind: 'return_accepted' });
		const pdf = Buffer.from('%PDF-1.7\n% a label\n');
		await t.sql`insert into email_attachments (email_id, filename, content_type, content) values (${id}, 'R-ABCD-2345.pdf', 'application/pdf', ${pdf})`;
		const before = smtp.received.length;
		expect(await deliverQueuedEmail(t.sql, id, { smtpUrl, lastAttempt: false })).toBe('sent');
		expect(await deliverQueuedEmail(t.sql, id, { smtpUrl, lastAttempt: false })).toBe('sent'); // the job run twice
		expect(smtp.received.length).toBe(before + 1);
		const raw = smtp.received.at(-1)!.raw;
		expect(raw).toMatch(/Content-Type: application\/pdf; name=R-ABCD-2345\.pdf/);
		expect(raw).toMatch(/Content-Disposition: attachment; filename=R-ABCD-2345\.pdf/);
		expect(raw).toContain(pdf.toString('base64').slice(0, 16));
		expect((await getShopEmail(t.sql, shop.id, id))?.attachments).toEqual([{ filename: 'R-ABCD-2345.pdf', contentType: 'application/pdf', byteSize: pdf.length }]);
	});

	it('throws to be retried while attempts are left, and marks the email failed on the last', async () => {
		const closed = await startSmtpServer();
		await closed.close();
		const smtpUrl = `smtp://127.0.0.1:${closed.port}`;
		const id = await queueEmail(t.sql, { shopId: shop.id, to: 'lea@example.com', subject: 'Remboursement', text: 'x', kind: 'refund_issued' });
		await expect(deliverQueuedEmail(t.sql, id, { smtpUrl, lastAttempt: false })).rejects.toThrow(/ECONNREFUSED|connect/i);
		expect((await t.sql`select status from emails where id = ${id}`)[0].status).toBe('outbox');
		expect(await deliverQueuedEmail(t.sql, id, { smtpUrl, lastAttempt: true })).toBe('failed');
		expect((await t.sql`select status, error from emails where id = ${id}`)[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/ECONNREFUSED|connect/i) });
	});
});
