-- Conversations (issue 4): the engine's state per conversation, so it survives reloads and restarts and
-- resumes from the return link; at most one open conversation per order; the return it created, once.
create table conversations (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null references shops (id) on delete cascade,
	order_id uuid not null,
	locale text not null check (locale in ('en', 'fr')),
	step text not null,
	state jsonb not null check (jsonb_typeof(state) = 'object'),
	return_id uuid unique,
	handoff_requested_at timestamptz,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (shop_id, id),
	foreign key (shop_id, order_id) references orders (shop_id, id) on delete cascade,
	foreign key (shop_id, return_id) references returns (shop_id, id)
);
create unique index conversations_one_open_per_order on conversations (order_id)
	where step not in ('submitted', 'prevented', 'refused', 'handoff', 'cancelled', 'withdrawn');
create index conversations_handoff_idx on conversations (shop_id, handoff_requested_at) where handoff_requested_at is not null;
