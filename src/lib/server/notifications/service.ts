import { returnLinkFor } from '../api/handler';
import { publicOrigin, readConfig } from '../config';
import type { TransactionSql } from '../db';
import { enqueue } from '../jobs';
import { renderNotification, type Notification } from './templates';

export interface Attachment {
	filename: string;
	contentType: string;
	content: Uint8Array;
}

/**
 * Tells the customer of a return what happened, in their language: the email is stored with the change that
 * calls for it (same transaction) and sent by a job. `dedupeKey` makes it once: the same key again is a no-op.
 * Returns the email's id, or null when it was already sent for this key.
 */
export async function notifyReturn(
	tx: TransactionSql,
	shopId: string,
	returnId: string,
	notification: Notification,
	dedupeKey: string,
	attachments: Attachment[] = []
): Promise<string | null> {
	const [r] = await tx<
		{
			rma: string;
			locale: 'en' | 'fr' | null;
			order_id: string;
			order_number: string;
			email: string;
			order_locale: 'en' | 'fr' | null;
			shop_name: string;
			shop_locale: 'en' | 'fr';
			timezone: string;
			items: string[];
		}[]
	>`
		select r.rma, r.locale, o.id as order_id, o.order_number, o.email, o.locale as order_locale,
			s.name as shop_name, s.locale as shop_locale, s.timezone,
			array(select rl.quantity || ' × ' || ol.title || coalesce(' — ' || ol.variant_title, '')
				from return_lines rl join order_lines ol on ol.id = rl.order_line_id
				where rl.return_id = r.id order by ol.position) as items
		from returns r join orders o on o.id = r.order_id join shops s on s.id = r.shop_id
		where r.shop_id = ${shopId} and r.id = ${returnId}`;
	if (!r) throw new Error(`Return ${returnId} not found`);
	const locale = r.locale ?? r.order_locale ?? r.shop_locale;
	const content = renderNotification(notification, {
		locale,
		shopName: r.shop_name,
		orderNumber: r.order_number,
		rma: r.rma,
		statusUrl: returnLinkFor(publicOrigin(readConfig()), r.order_id),
		items: r.items,
		timeZone: r.timezone
	});
	const [email] = await tx<{ id: string }[]>`
		insert into emails (shop_id, to_address, subject, text_body, html_body, kind, return_id, dedupe_key, locale)
		values (${shopId}, ${r.email}, ${content.subject}, ${content.text}, ${content.html}, ${notification.kind}, ${returnId},
			${dedupeKey}, ${locale})
		on conflict (dedupe_key) do nothing
		returning id`;
	if (!email) return null;
	for (const a of attachments) {
		await tx`insert into email_attachments (email_id, filename, content_type, content)
			values (${email.id}, ${a.filename}, ${a.contentType}, ${Buffer.from(a.content)})`;
	}
	await enqueue(tx, 'email-send', { emailId: email.id });
	return email.id;
}
