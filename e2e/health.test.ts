import { expect, test } from '@playwright/test';

test('the health check reports the embedded database', async ({ request }) => {
	const response = await request.get('/healthz');
	expect(response.status()).toBe(200);
	expect(await response.json()).toMatchObject({ status: 'ok', database: { status: 'ok', kind: 'embedded' } });
});
