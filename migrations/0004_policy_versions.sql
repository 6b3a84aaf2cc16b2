-- Return policies (issue 3): every save is a new immutable version; which one is live is the latest
-- activation, so rolling back is activating an earlier version and the history says who did what and when.

create table policy_versions (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null references shops (id) on delete cascade,
	number integer not null check (number > 0),
	document jsonb not null check (jsonb_typeof(document) = 'object'),
	-- What changed against the version it was edited from, as structured changes the editor shows.
	changes jsonb not null default '[]' check (jsonb_typeof(changes) = 'array'),
	based_on_id uuid,
	created_by uuid references users (id) on delete set null,
	created_by_email text, -- kept when the user is deleted
	created_at timestamptz not null default now(),
	unique (shop_id, number),
	unique (shop_id, id),
	foreign key (shop_id, based_on_id) references policy_versions (shop_id, id)
);

create function policy_versions_immutable() returns trigger language plpgsql as $$
begin
	if new.document is distinct from old.document or new.number <> old.number or new.shop_id <> old.shop_id then
		raise exception 'policy version % is immutable: save a new version instead', old.id
			using errcode = 'check_violation';
	end if;
	return new;
end $$;
create trigger policy_versions_immutable before update on policy_versions
	for each row execute function policy_versions_immutable();

create table policy_activations (
	id bigint generated always as identity primary key,
	shop_id uuid not null references shops (id) on delete cascade,
	version_id uuid not null,
	kind text not null check (kind in ('initial', 'activate', 'rollback')),
	activated_by uuid references users (id) on delete set null,
	activated_by_email text,
	activated_at timestamptz not null default now(),
	foreign key (shop_id, version_id) references policy_versions (shop_id, id)
);
create index policy_activations_shop_idx on policy_activations (shop_id, id desc);

create function policy_activations_append_only() returns trigger language plpgsql as $$
begin
	raise exception 'policy activations are append-only' using errcode = 'check_violation';
end $$;
create trigger policy_activations_no_update before update on policy_activations
	for each row execute function policy_activations_append_only();

-- The version a return was decided under, and the quote it was shown (the same code pays it later).
alter table returns
	add foreign key (shop_id, policy_version_id) references policy_versions (shop_id, id),
	add column quote jsonb check (quote is null or (jsonb_typeof(quote) = 'object' and quote ->> 'currency' = currency));
