import { describe, expect, it } from 'vitest';
import { createSmtpTransport } from './transport';

describe('createSmtpTransport', () => {
	it('names what is wrong with a bad SMTP_URL', () => {
		expect(() => createSmtpTransport('not a url')).toThrow(/SMTP_URL is not a valid URL/);
		expect(() => createSmtpTransport('http://mail.example:25')).toThrow(/must start with smtp:\/\/ or smtps:\/\//);
	});

	it('accepts smtp and smtps URLs', () => {
		createSmtpTransport('smtp://user:pass@127.0.0.1:2525?from=Shop%20%3Cshop%40example.com%3E').close();
		createSmtpTransport('smtps://127.0.0.1:465').close();
	});
});
