import { publicOrigin, readConfig } from '../config';
import type { Queryable, Sql } from '../db';
import { log } from '../log';
import { createSmtpTransport, type MailTransport } from './transport';

export { createSmtpTransport, type MailMessage, type MailTransport } from './transport';

export type EmailStatus = 'outbox' | 'sent' | 'failed';

export interface OutgoingEmail {
	/** The shop whose outbox shows it; null only for mail that concerns no shop. */
	shopId: string | null;
	to: string;
	subject: string;
	text: string;
	html?: string | null;
	/** What it is, e.g. `password_reset`, `invitation`. */
	kind: string;
}

export interface StoredEmail {
	id: string;
	shopId: string | null;
	to: string;
	subject: string;
	text: string;
	html: string | null;
	kind: string;
	status: EmailStatus;
	error: string | null;
	createdAt: Date;
	sentAt: Date | null;
	/** Files sent with it (a return label), without their bytes. */
	attachments: { filename: string; contentType: string; byteSize: number }[];
}

export interface DeliveryOptions {
	/** SMTP_URL; defaults to the configuration's. Null keeps the email in the outbox. */
	smtpUrl?: string | null;
}

export interface SendResult {
	id: string;
	/** Settles once delivery was tried (or at once without SMTP); never rejects. */
	delivery: Promise<EmailStatus>;
}

/** Stores an email as `outbox`: inside a caller's transaction, so it exists only if the change that called for it does. */
export async function queueEmail(sql: Queryable, email: OutgoingEmail): Promise<string> {
	if (!email.to.includes('@')) throw new Error(`Cannot send an email to "${email.to}": not an email address.`);
	const [row] = await sql<{ id: string }[]>`
		insert into emails (shop_id, to_address, subject, text_body, html_body, kind)
		values (${email.shopId}, ${email.to}, ${email.subject}, ${email.text}, ${email.html ?? null}, ${email.kind})
		returning id`;
	return row.id;
}

/**
 * Sends a stored email through SMTP when a URL is configured and records the outcome on its row. Call it
 * after the row is committed. Failures are logged and recorded, never thrown: a request that asked for an
 * email must not fail because a mail server is down.
 */
export async function deliverEmail(sql: Sql, id: string, options: DeliveryOptions = {}): Promise<EmailStatus> {
	const smtpUrl = options.smtpUrl === undefined ? configuredSmtpUrl() : options.smtpUrl;
	if (!smtpUrl) return 'outbox';
	let transport: MailTransport | undefined;
	try {
		const [row] = await sql<{ to_address: string; subject: string; text_body: string; html_body: string | null }[]>`
			select to_address, subject, text_body, html_body from emails where id = ${id} and status = 'outbox'`;
		if (!row) return 'outbox';
		transport = createSmtpTransport(smtpUrl, fromHost());
		try {
			await transport.send({ to: row.to_address, subject: row.subject, text: row.text_body, html: row.html_body });
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			log.error({ err: error, emailId: id }, 'sending an email failed');
			await sql`update emails set status = 'failed', error = ${message.slice(0, 2000)} where id = ${id}`;
			return 'failed';
		}
		await sql`update emails set status = 'sent', sent_at = now(), error = null where id = ${id}`;
		return 'sent';
	} catch (error) {
		log.error({ err: error, emailId: id }, 'recording an email delivery failed');
		return 'failed';
	} finally {
		transport?.close();
	}
}

/**
 * The email job: sends a stored email with its attachments through SMTP and records the outcome. A failure is
 * thrown (the queue retries with backoff) until the last attempt, which marks the email failed for the outbox.
 * Already sent: nothing to do. No SMTP_URL: it stays in the outbox.
 */
export async function deliverQueuedEmail(sql: Sql, id: string, options: DeliveryOptions & { lastAttempt: boolean }): Promise<EmailStatus> {
	const smtpUrl = options.smtpUrl === undefined ? configuredSmtpUrl() : options.smtpUrl;
	const [row] = await sql<{ to_address: string; subject: string; text_body: string; html_body: string | null; status: EmailStatus }[]>`
		select to_address, subject, text_body, html_body, status from emails where id = ${id}`;
	if (!row) return 'failed';
	if (row.status === 'sent' || !smtpUrl) return row.status;
	const attachments = await sql<{ filename: string; content_type: string; content: Uint8Array }[]>`
		select filename, content_type, content from email_attachments where email_id = ${id} order by filename`;
	const transport = createSmtpTransport(smtpUrl, fromHost());
	try {
		await transport.send({
			to: row.to_address,
			subject: row.subject,
			text: row.text_body,
			html: row.html_body,
			attachments: attachments.map((a) => ({ filename: a.filename, contentType: a.content_type, content: a.content }))
		});
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		await sql`update emails set status = ${options.lastAttempt ? 'failed' : 'outbox'}, error = ${message.slice(0, 2000)} where id = ${id}`;
		if (options.lastAttempt) return 'failed';
		throw error;
	} finally {
		transport.close();
	}
	await sql`update emails set status = 'sent', sent_at = now(), error = null where id = ${id}`;
	return 'sent';
}

/** Stores the email (committed at once) and starts its delivery without making the caller wait for SMTP. */
export async function sendEmail(sql: Sql, email: OutgoingEmail, options: DeliveryOptions = {}): Promise<SendResult> {
	const id = await queueEmail(sql, email);
	return { id, delivery: deliverEmail(sql, id, options) };
}

export interface EmailSummary {
	id: string;
	to: string;
	subject: string;
	kind: string;
	status: EmailStatus;
	error: string | null;
	createdAt: Date;
	sentAt: Date | null;
}

/** A shop's outbox, newest first. */
export async function listShopEmails(sql: Queryable, shopId: string, limit = 200): Promise<EmailSummary[]> {
	const rows = await sql<EmailRow[]>`
		select id, to_address, subject, kind, status, error, created_at, sent_at from emails
		where shop_id = ${shopId} order by created_at desc, id limit ${limit}`;
	return rows.map((r) => ({
		id: r.id,
		to: r.to_address,
		subject: r.subject,
		kind: r.kind,
		status: r.status,
		error: r.error,
		createdAt: r.created_at,
		sentAt: r.sent_at
	}));
}

/** One email of a shop; undefined when it belongs to another shop or does not exist. */
export async function getShopEmail(sql: Queryable, shopId: string, id: string): Promise<StoredEmail | undefined> {
	if (!UUID.test(id)) return undefined;
	const [r] = await sql<(EmailRow & { shop_id: string | null; text_body: string; html_body: string | null })[]>`
		select * from emails where id = ${id} and shop_id = ${shopId}`;
	if (!r) return undefined;
	const attachments = await sql<{ filename: string; content_type: string; byte_size: number }[]>`
		select filename, content_type, octet_length(content) as byte_size from email_attachments where email_id = ${id} order by filename`;
	return {
		attachments: attachments.map((a) => ({ filename: a.filename, contentType: a.content_type, byteSize: a.byte_size })),
		id: r.id,
		shopId: r.shop_id,
		to: r.to_address,
		subject: r.subject,
		text: r.text_body,
		html: r.html_body,
		kind: r.kind,
		status: r.status,
		error: r.error,
		createdAt: r.created_at,
		sentAt: r.sent_at
	};
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface EmailRow {
	id: string;
	to_address: string;
	subject: string;
	kind: string;
	status: EmailStatus;
	error: string | null;
	created_at: Date;
	sent_at: Date | null;
}

function configuredSmtpUrl(): string | undefined {
	return readConfig().smtpUrl;
}

function fromHost(): string {
	try {
		return new URL(publicOrigin(readConfig())).hostname || 'localhost';
	} catch {
		return 'localhost';
	}
}

/** What a service that emails a link needs: the site's public origin, and the delivery options. */
export interface MailContext extends DeliveryOptions {
	origin: string;
}
