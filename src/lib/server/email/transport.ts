import nodemailer from 'nodemailer';

export interface MailMessage {
	to: string;
	subject: string;
	text: string;
	html?: string | null;
	attachments?: { filename: string; contentType: string; content: Uint8Array }[];
}

/** The one provider interface for email: the real one speaks SMTP; tests run a real SMTP server on loopback. */
export interface MailTransport {
	send(message: MailMessage): Promise<{ messageId: string }>;
	close(): void;
}

/**
 * An SMTP transport for `smtp://user:pass@host:587` or `smtps://…:465`. The sender comes from the URL's
 * `from` parameter (`?from=Shop%20Returns%20%3Creturns@shop.example%3E`), else no-reply at `fallbackFromHost`.
 */
export function createSmtpTransport(url: string, fallbackFromHost = 'localhost'): MailTransport {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new Error('SMTP_URL is not a valid URL (expected smtp://user:password@host:port or smtps://…).');
	}
	if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
		throw new Error(`SMTP_URL must start with smtp:// or smtps://, got "${parsed.protocol}//".`);
	}
	const from = parsed.searchParams.get('from') || `Retour <no-reply@${fallbackFromHost}>`;
	parsed.searchParams.delete('from');
	const transporter = nodemailer.createTransport(parsed.toString(), { from });
	return {
		async send(message) {
			const info = await transporter.sendMail({
				to: message.to,
				subject: message.subject,
				text: message.text,
				...(message.html ? { html: message.html } : {}),
				...(message.attachments?.length
					? { attachments: message.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content) })) }
					: {})
			});
			return { messageId: String(info.messageId ?? '') };
		},
		close: () => transporter.close()
	};
}
