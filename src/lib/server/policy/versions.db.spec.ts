import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import { createTestShop } from '../test-fixtures';
import { DEFAULT_POLICY } from './defaults';
import type { Policy } from './rules';
import { createUser } from '../auth/users';
import { activatePolicyVersion, ensureLivePolicies, listActivations, listPolicyVersions, livePolicy, PolicyVersionError, savePolicyVersion } from './versions';

let t: TestDatabase;
const claire = { userId: null, email: 'claire@example.com' };

beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(() => t.close());

const edited = (): Policy => ({
	defaults: { ...DEFAULT_POLICY.defaults, windowDays: 45 },
	rules: [
		...DEFAULT_POLICY.rules,
		{ id: 'sale', name: 'Sale items', when: { discounted: true }, then: { resolutions: ['store_credit', 'refund'] } }
	]
});

describe('policy versions', () => {
	it('gives a new shop the default policy as version 1, live from the start', async () => {
		const shop = await createTestShop(t.sql, 'versions-new');
		const live = await livePolicy(t.sql, shop.id);
		expect(live).toMatchObject({ number: 1, policy: { ...DEFAULT_POLICY, currency: 'EUR' } });
		const [v1] = await listPolicyVersions(t.sql, shop.id);
		expect(v1).toMatchObject({ number: 1, active: true, changes: [{ kind: 'created' }], createdByEmail: null });
		expect(await listActivations(t.sql, shop.id)).toMatchObject([{ number: 1, kind: 'initial' }]);
	});

	it('saves an edit as the next version with who and what changed, live only once activated; rolls back', async () => {
		const shop = await createTestShop(t.sql, 'versions-edit');
		const v1 = await livePolicy(t.sql, shop.id);
		const v2 = await savePolicyVersion(t.sql, shop.id, edited(), claire, v1.versionId);
		expect(v2).toMatchObject({ number: 2, active: false, activatedAt: null, createdByEmail: 'claire@example.com', basedOnId: v1.versionId });
		expect(v2.changes).toEqual([
			{ kind: 'default', field: 'windowDays', before: 30, after: 45 },
			{ kind: 'rule_added', rule: 'Sale items' }
		]);
		expect((await livePolicy(t.sql, shop.id)).number).toBe(1);

		await activatePolicyVersion(t.sql, shop.id, v2.id, claire);
		expect((await livePolicy(t.sql, shop.id)).policy.defaults.windowDays).toBe(45);
		await activatePolicyVersion(t.sql, shop.id, v1.versionId, { userId: null, email: 'paul@example.com' });
		expect((await livePolicy(t.sql, shop.id)).number).toBe(1);
		expect((await listActivations(t.sql, shop.id)).map((a) => [a.number, a.kind, a.activatedByEmail])).toEqual([
			[1, 'rollback', 'paul@example.com'],
			[2, 'activate', 'claire@example.com'],
			[1, 'initial', null]
		]);
		await expect(activatePolicyVersion(t.sql, shop.id, v1.versionId, claire)).rejects.toMatchObject({ code: 'already_active' });
		await expect(activatePolicyVersion(t.sql, shop.id, '00000000-0000-4000-8000-000000000000', claire)).rejects.toMatchObject({
			code: 'version_not_found'
		});
	});

	it('refuses an invalid policy with every error on its field, and writes nothing', async () => {
		const shop = await createTestShop(t.sql, 'versions-invalid');
		const bad = {
			defaults: { ...DEFAULT_POLICY.defaults, windowDays: -3, resolutions: [] },
			rules: [
				{ id: 'a', name: ' ', when: { daysSinceDelivery: { min: 20, max: 10 } }, then: {} },
				{ id: 'a', name: 'Twin', when: { countries: ['france'] }, then: { restockingFeeBasisPoints: 12_000 } }
			]
		};
		const error = await savePolicyVersion(t.sql, shop.id, bad, claire).catch((e) => e);
		expect(error).toBeInstanceOf(PolicyVersionError);
		expect(error.code).toBe('invalid_policy');
		expect(Object.fromEntries(error.issues.map((i: { path: string; message: string }) => [i.path, i.message]))).toEqual({
			'defaults.windowDays': 'must not be negative',
			'defaults.resolutions': 'offer at least one resolution',
			'rules[0].name': 'must not be empty',
			'rules[0].when.daysSinceDelivery': 'the minimum must not be above the maximum',
			'rules[0].then': 'a rule must change at least one outcome',
			'rules[1].when.countries[0]': 'must be a two-letter country code like "FR"',
			'rules[1].then.restockingFeeBasisPoints': 'must be at most 100 %',
			'rules[1].id': 'another rule already uses the identifier "a"'
		});
		expect(await listPolicyVersions(t.sql, shop.id)).toHaveLength(1);
	});

	it('keeps versions immutable and activations append-only in the schema itself', async () => {
		const shop = await createTestShop(t.sql, 'versions-immutable');
		const live = await livePolicy(t.sql, shop.id);
		await expect(t.sql`update policy_versions set document = '{}' where id = ${live.versionId}`).rejects.toThrow(/immutable/);
		await expect(t.sql`update policy_activations set kind = 'rollback' where shop_id = ${shop.id}`).rejects.toThrow(/append-only/);
	});

	it('lets a user who activated a version be deleted, keeping their email on the activation', async () => {
		const shop = await createTestShop(t.sql, 'versions-user');
		const user = await createUser(t.sql, { email: 'leaving@example.com', name: 'Leaving', password: 'a long enough password' });
		const v2 = await savePolicyVersion(t.sql, shop.id, edited(), { userId: user.id, email: user.email });
		await activatePolicyVersion(t.sql, shop.id, v2.id, { userId: user.id, email: user.email });
		await t.sql`delete from users where id = ${user.id}`;
		expect((await listActivations(t.sql, shop.id))[0]).toMatchObject({ number: 2, activatedByEmail: 'leaving@example.com' });
		expect((await listPolicyVersions(t.sql, shop.id))[0].createdByEmail).toBe('leaving@example.com');
	});

	it('installs the default policy for a shop created before policies existed', async () => {
		const [shop] = await t.sql<{ id: string }[]>`
			insert into shops (slug, name, currency, country, return_name, return_line1, return_postal_code, return_city, return_country)
			values ('versions-legacy', 'Legacy', 'EUR', 'FR', 'Legacy', '1 rue', '75001', 'Paris', 'FR') returning id`;
		const [a, b] = await Promise.all([livePolicy(t.sql, shop.id), livePolicy(t.sql, shop.id)]);
		expect(a.versionId).toBe(b.versionId);
		expect(await listPolicyVersions(t.sql, shop.id)).toHaveLength(1);
		// At start, every shop without one gets it, and the next start has nothing to do.
		await t.sql`
			insert into shops (slug, name, currency, country, return_name, return_line1, return_postal_code, return_city, return_country)
			values ('versions-legacy-2', 'Legacy 2', 'JPY', 'JP', 'Legacy', '1', '100', 'Tokyo', 'JP')`;
		expect(await ensureLivePolicies(t.sql)).toBe(1);
		expect(await ensureLivePolicies(t.sql)).toBe(0);
	});
});
