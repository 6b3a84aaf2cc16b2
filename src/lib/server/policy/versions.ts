import type { Queryable } from '../db';
import { inTransaction } from '../db/transaction';
import { policyChanges, type PolicyChange } from './changes';
import { DEFAULT_POLICY } from './defaults';
import type { Policy } from './rules';
import { parsePolicy, type PolicyIssue } from './schema';

/**
 * A shop's policy versions. Saving never changes a version: it adds the next one, with who saved it and
 * what changed. The live version is the latest activation; rolling back activates an earlier version.
 */

/** Who saved or activated a version: a staff member, or the system (a new shop's first version). */
export interface PolicyActor {
	userId: string | null;
	email: string | null;
}
export const SYSTEM: PolicyActor = { userId: null, email: null };

export interface PolicyVersion {
	id: string;
	number: number;
	policy: Policy;
	changes: PolicyChange[];
	basedOnId: string | null;
	createdByEmail: string | null;
	createdAt: Date;
	active: boolean;
	/** Ever activated: a version that never was is a draft. */
	activatedAt: Date | null;
}

export interface PolicyActivation {
	versionId: string;
	number: number;
	kind: 'initial' | 'activate' | 'rollback';
	activatedByEmail: string | null;
	activatedAt: Date;
}

/**
 * One writer of a shop's policy at a time. An advisory lock, not the shop row: locking the row would wait
 * for (and block) every order or product insert of the shop, which take a key-share lock on it.
 */
async function lockShopPolicy(tx: Queryable, shopId: string) {
	await tx`select pg_advisory_xact_lock(hashtextextended(${'policy:' + shopId}, 0))`;
}

export class PolicyVersionError extends Error {
	constructor(
		readonly code: 'invalid_policy' | 'version_not_found' | 'already_active',
		message: string,
		readonly issues: PolicyIssue[] = []
	) {
		super(message);
		this.name = 'PolicyVersionError';
	}
}

type VersionRow = {
	id: string;
	number: number;
	document: Policy;
	changes: PolicyChange[];
	based_on_id: string | null;
	created_by_email: string | null;
	created_at: Date;
	active: boolean;
	activated_at: Date | null;
};

const toVersion = (r: VersionRow): PolicyVersion => ({
	id: r.id,
	number: r.number,
	policy: r.document,
	changes: r.changes,
	basedOnId: r.based_on_id,
	createdByEmail: r.created_by_email,
	createdAt: r.created_at,
	active: r.active,
	activatedAt: r.activated_at
});

async function selectVersions(sql: Queryable, shopId: string, id: string | null): Promise<PolicyVersion[]> {
	const rows = await sql<VersionRow[]>`
		with live as (
			select version_id from policy_activations where shop_id = ${shopId} order by id desc limit 1
		)
		select v.id, v.number, v.document, v.changes, v.based_on_id, v.created_by_email, v.created_at,
			v.id = (select version_id from live) as active,
			(select min(a.activated_at) from policy_activations a where a.version_id = v.id) as activated_at
		from policy_versions v
		where v.shop_id = ${shopId} ${id === null ? sql`` : sql`and v.id = ${id}`}
		order by v.number desc`;
	return rows.map(toVersion);
}

export const listPolicyVersions = (sql: Queryable, shopId: string) => selectVersions(sql, shopId, null);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getPolicyVersion(sql: Queryable, shopId: string, id: string): Promise<PolicyVersion | null> {
	if (!UUID.test(id)) return null;
	return (await selectVersions(sql, shopId, id))[0] ?? null;
}

export async function listActivations(sql: Queryable, shopId: string): Promise<PolicyActivation[]> {
	const rows = await sql<{ version_id: string; number: number; kind: PolicyActivation['kind']; activated_by_email: string | null; activated_at: Date }[]>`
		select a.version_id, v.number, a.kind, a.activated_by_email, a.activated_at
		from policy_activations a join policy_versions v on v.id = a.version_id
		where a.shop_id = ${shopId} order by a.id desc`;
	return rows.map((r) => ({
		versionId: r.version_id,
		number: r.number,
		kind: r.kind,
		activatedByEmail: r.activated_by_email,
		activatedAt: r.activated_at
	}));
}

/**
 * Saves a policy as the shop's next version (not live until activated). The document is validated here,
 * whatever path it came by; the changes are computed against the version it was edited from.
 */
export async function savePolicyVersion(
	sql: Queryable,
	shopId: string,
	document: unknown,
	actor: PolicyActor,
	basedOnId: string | null = null
): Promise<PolicyVersion> {
	const parsed = parsePolicy(document);
	if (!parsed.ok) throw new PolicyVersionError('invalid_policy', 'The policy has errors', parsed.issues);
	return inTransaction(sql, async (tx) => {
		// One writer per shop at a time, so version numbers follow each other.
		await lockShopPolicy(tx, shopId);
		const base = basedOnId ? await getPolicyVersion(tx, shopId, basedOnId) : null;
		if (basedOnId && !base) throw new PolicyVersionError('version_not_found', 'The version this was edited from does not exist');
		const [{ next }] = await tx<{ next: number }[]>`
			select coalesce(max(number), 0) + 1 as next from policy_versions where shop_id = ${shopId}`;
		const [row] = await tx<{ id: string }[]>`
			insert into policy_versions (shop_id, number, document, changes, based_on_id, created_by, created_by_email)
			values (${shopId}, ${next}, ${tx.json(parsed.policy as never)}, ${tx.json(policyChanges(base?.policy ?? null, parsed.policy) as never)},
				${base?.id ?? null}, ${actor.userId}, ${actor.email})
			returning id`;
		return (await getPolicyVersion(tx, shopId, row.id))!;
	});
}

/** Makes a version live. An earlier version than the live one is recorded as a rollback. */
export async function activatePolicyVersion(sql: Queryable, shopId: string, versionId: string, actor: PolicyActor): Promise<PolicyVersion> {
	return inTransaction(sql, async (tx) => {
		await lockShopPolicy(tx, shopId);
		const version = await getPolicyVersion(tx, shopId, versionId);
		if (!version) throw new PolicyVersionError('version_not_found', 'This policy version does not exist');
		if (version.active) throw new PolicyVersionError('already_active', `Version ${version.number} is already the live policy`);
		const [live] = await tx<{ number: number }[]>`
			select v.number from policy_activations a join policy_versions v on v.id = a.version_id
			where a.shop_id = ${shopId} order by a.id desc limit 1`;
		const kind = live === undefined ? 'initial' : version.number < live.number ? 'rollback' : 'activate';
		await tx`
			insert into policy_activations (shop_id, version_id, kind, activated_by, activated_by_email)
			values (${shopId}, ${version.id}, ${kind}, ${actor.userId}, ${actor.email})`;
		return (await getPolicyVersion(tx, shopId, version.id))!;
	});
}

export interface LivePolicy {
	versionId: string;
	number: number;
	policy: Policy;
}

/**
 * The shop's live policy. A shop that never had one (created before policies existed) gets the default
 * policy as version 1, live, in the caller's transaction.
 */
export async function livePolicy(sql: Queryable, shopId: string): Promise<LivePolicy> {
	const find = async (q: Queryable) => {
		const [row] = await q<{ id: string; number: number; document: Policy }[]>`
			select v.id, v.number, v.document from policy_activations a join policy_versions v on v.id = a.version_id
			where a.shop_id = ${shopId} order by a.id desc limit 1`;
		return row ? { versionId: row.id, number: row.number, policy: row.document } : null;
	};
	return (
		(await find(sql)) ??
		inTransaction(sql, async (tx) => {
			await lockShopPolicy(tx, shopId);
			const again = await find(tx);
			if (again) return again;
			return installDefaultPolicy(tx, shopId);
		})
	);
}

/** Every shop has a live policy: those created before policies existed get the default, at start. */
export async function ensureLivePolicies(sql: Queryable): Promise<number> {
	const shops = await sql<{ id: string }[]>`
		select s.id from shops s where not exists (select 1 from policy_activations a where a.shop_id = s.id)`;
	for (const shop of shops) await livePolicy(sql, shop.id);
	return shops.length;
}

/** Version 1 of a new shop: the default policy, live. */
export async function installDefaultPolicy(sql: Queryable, shopId: string, policy: Policy = DEFAULT_POLICY): Promise<LivePolicy> {
	const [shop] = await sql<{ currency: string }[]>`select currency from shops where id = ${shopId}`;
	const version = await savePolicyVersion(sql, shopId, { ...policy, currency: shop.currency.trim() }, SYSTEM);
	await activatePolicyVersion(sql, shopId, version.id, SYSTEM);
	return { versionId: version.id, number: version.number, policy: version.policy };
}
