import { describe, expect, it } from 'vitest';
import { clientKey } from './rate-limit';

describe('clientKey', () => {
	it('keeps IPv4 addresses, also when mapped into IPv6', () => {
		expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
		expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
	});

	it('counts a whole IPv6 /64 as one client', () => {
		expect(clientKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
		expect(clientKey('2001:0db8:0001:0002::1')).toBe('2001:db8:1:2::/64');
		expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
		expect(clientKey('[2001:db8:1:2::5]')).toBe('2001:db8:1:2::/64');
		expect(clientKey('::1')).toBe('0:0:0:0::/64');
	});
});
