import { describe, expect, it } from 'vitest';
import { safeNextPath } from './redirect';

describe('safeNextPath', () => {
	it('keeps a local path with its query', () => {
		expect(safeNextPath('/admin/orders?page=2')).toBe('/admin/orders?page=2');
		expect(safeNextPath('/admin/team#invite')).toBe('/admin/team#invite');
	});

	it('falls back to /admin for anything that could leave the site', () => {
		for (const next of [null, undefined, '', 'admin', 'https://evil.example/', '//evil.example', '/\\evil.example', '/\tevil', 'javascript:alert(1)', '/.//evil.com', '/%2e%2e//evil.com', '/a/..//evil.com']) {
			expect(safeNextPath(next)).toBe('/admin');
		}
	});
});
