-- Retour, first schema. Every domain row carries shop_id, and every unique key starts with it.
-- Money is bigint minor units beside an ISO 4217 currency. Times are timestamptz.

-- Shops ---------------------------------------------------------------------------------------------

create table shops (
	id uuid primary key default gen_random_uuid(),
	slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
	name text not null check (length(trim(name)) between 1 and 200),
	currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
	locale text not null default 'en' check (locale in ('en', 'fr')),
	country char(2) not null check (country ~ '^[A-Z]{2}$'),
	timezone text not null default 'Europe/Paris',
	support_email text,
	return_name text not null,
	return_line1 text not null,
	return_line2 text,
	return_postal_code text not null,
	return_city text not null,
	return_country char(2) not null check (return_country ~ '^[A-Z]{2}$'),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
);

-- The countries a shop sells to; EU countries here bring EU consumer law into its policies.
create table shop_markets (
	shop_id uuid not null references shops (id) on delete cascade,
	country char(2) not null check (country ~ '^[A-Z]{2}$'),
	primary key (shop_id, country)
);

-- People and access ---------------------------------------------------------------------------------

create table users (
	id uuid primary key default gen_random_uuid(),
	email text not null check (email ~ '^[^@\s]+@[^@\s]+$'),
	name text not null default '',
	password_hash text,
	locale text check (locale in ('en', 'fr')),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
);
create unique index users_email_key on users (lower(email));

create table shop_members (
	shop_id uuid not null references shops (id) on delete cascade,
	user_id uuid not null references users (id) on delete cascade,
	role text not null check (role in ('owner', 'admin', 'staff')),
	created_at timestamptz not null default now(),
	primary key (shop_id, user_id)
);
create index shop_members_user_idx on shop_members (user_id);

-- Sessions as in the Lucia guide: the id is the SHA-256 of the token the cookie holds.
create table sessions (
	id text primary key,
	user_id uuid not null references users (id) on delete cascade,
	shop_id uuid not null,
	expires_at timestamptz not null,
	created_at timestamptz not null default now(),
	foreign key (shop_id, user_id) references shop_members (shop_id, user_id) on delete cascade
);
create index sessions_user_idx on sessions (user_id);

create table password_resets (
	id text primary key, -- SHA-256 of the emailed token
	user_id uuid not null references users (id) on delete cascade,
	expires_at timestamptz not null,
	used_at timestamptz,
	created_at timestamptz not null default now()
);

create table invitations (
	id text primary key, -- SHA-256 of the emailed token
	shop_id uuid not null references shops (id) on delete cascade,
	email text not null check (email ~ '^[^@\s]+@[^@\s]+$'),
	role text not null check (role in ('admin', 'staff')),
	invited_by uuid references users (id) on delete set null,
	expires_at timestamptz not null,
	accepted_at timestamptz,
	revoked_at timestamptz,
	created_at timestamptz not null default now()
);
create index invitations_shop_idx on invitations (shop_id, created_at desc);

create table api_keys (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null references shops (id) on delete cascade,
	name text not null check (length(trim(name)) between 1 and 100),
	prefix text not null, -- the first characters, shown so people can tell keys apart
	key_hash text not null unique, -- SHA-256 of the whole key
	created_by uuid references users (id) on delete set null,
	created_at timestamptz not null default now(),
	last_used_at timestamptz,
	revoked_at timestamptz,
	revoked_by uuid references users (id) on delete set null
);
create index api_keys_shop_idx on api_keys (shop_id, created_at desc);

-- Fixed-window counters shared by every app process (login, lookup, reset).
create table rate_limits (
	key text primary key,
	window_start timestamptz not null,
	hits integer not null check (hits >= 0)
);

-- Every email Retour sends: delivered by SMTP when SMTP_URL is set, otherwise kept here to read.
create table emails (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid references shops (id) on delete cascade,
	to_address text not null,
	subject text not null,
	text_body text not null,
	html_body text,
	kind text not null,
	status text not null default 'outbox' check (status in ('outbox', 'sent', 'failed')),
	error text,
	created_at timestamptz not null default now(),
	sent_at timestamptz
);
create index emails_shop_idx on emails (shop_id, created_at desc);

-- Catalogue -----------------------------------------------------------------------------------------

create table size_charts (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null references shops (id) on delete cascade,
	code text not null,
	name text not null,
	unit text not null check (unit in ('cm', 'in')),
	unique (shop_id, code),
	unique (shop_id, id)
);

-- One row per size and body measurement: "W32 fits a waist of 80–83 cm".
create table size_chart_entries (
	shop_id uuid not null,
	size_chart_id uuid not null,
	size_label text not null,
	position integer not null,
	measurement text not null check (measurement in ('waist', 'hips', 'inseam', 'chest', 'bust', 'height', 'foot_length', 'neck', 'sleeve', 'weight')),
	min_value numeric(7, 2) not null,
	max_value numeric(7, 2) not null check (max_value >= min_value),
	primary key (size_chart_id, size_label, measurement),
	foreign key (shop_id, size_chart_id) references size_charts (shop_id, id) on delete cascade
);

create table products (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null references shops (id) on delete cascade,
	external_id text not null check (length(external_id) between 1 and 255),
	title text not null check (length(trim(title)) between 1 and 500),
	description text not null default '',
	vendor text,
	category text, -- e.g. "clothing/jeans", "electronics/cables"
	tags text[] not null default '{}',
	final_sale boolean not null default false,
	size_chart_id uuid,
	url text,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (shop_id, external_id),
	unique (shop_id, id),
	foreign key (shop_id, size_chart_id) references size_charts (shop_id, id)
);

-- The product's option names in order: Waist, Length; or Colour, Size.
create table product_options (
	shop_id uuid not null,
	product_id uuid not null,
	position integer not null check (position between 1 and 10),
	name text not null,
	primary key (product_id, position),
	unique (product_id, name),
	foreign key (shop_id, product_id) references products (shop_id, id) on delete cascade
);

create table variants (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null,
	product_id uuid not null,
	external_id text not null check (length(external_id) between 1 and 255),
	sku text not null check (length(sku) between 1 and 255),
	title text not null,
	position integer not null default 1,
	price_amount bigint not null check (price_amount >= 0),
	compare_at_amount bigint check (compare_at_amount >= 0),
	currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
	inventory_quantity integer not null default 0,
	barcode text,
	weight_grams integer check (weight_grams >= 0),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (shop_id, external_id),
	unique (shop_id, sku),
	unique (shop_id, id),
	foreign key (shop_id, product_id) references products (shop_id, id) on delete cascade
);
create index variants_product_idx on variants (product_id, position);

create table variant_option_values (
	shop_id uuid not null,
	variant_id uuid not null,
	position integer not null check (position between 1 and 10),
	name text not null,
	value text not null,
	primary key (variant_id, position),
	unique (variant_id, name),
	foreign key (shop_id, variant_id) references variants (shop_id, id) on delete cascade
);

-- Typed attributes of a product, or of one variant when variant_id is set: connector = usb-c,
-- max_watts = 65, charging_protocols = {usb-pd,pps}, fit = slim. Exactly the column of its type is set.
create table product_attributes (
	shop_id uuid not null,
	product_id uuid not null,
	variant_id uuid,
	code text not null check (code ~ '^[a-z][a-z0-9_]{0,62}$'),
	value_type text not null check (value_type in ('text', 'number', 'boolean', 'text_list')),
	text_value text,
	number_value numeric,
	boolean_value boolean,
	list_value text[],
	unit text,
	check (
		(value_type = 'text') = (text_value is not null)
		and (value_type = 'number') = (number_value is not null)
		and (value_type = 'boolean') = (boolean_value is not null)
		and (value_type = 'text_list') = (list_value is not null)
	),
	foreign key (shop_id, product_id) references products (shop_id, id) on delete cascade,
	foreign key (shop_id, variant_id) references variants (shop_id, id) on delete cascade
);
create unique index product_attributes_key on product_attributes (shop_id, product_id, coalesce(variant_id, '00000000-0000-0000-0000-000000000000'::uuid), code);

create table product_images (
	shop_id uuid not null,
	product_id uuid not null,
	variant_id uuid,
	position integer not null,
	url text not null check (url ~ '^(https?://|/)'),
	alt text not null default '',
	primary key (product_id, position),
	foreign key (shop_id, product_id) references products (shop_id, id) on delete cascade,
	foreign key (shop_id, variant_id) references variants (shop_id, id) on delete cascade
);

-- Devices customers own, for compatibility answers ("does this cable fit my phone?"). Seeded per shop.
create table devices (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null references shops (id) on delete cascade,
	brand text not null,
	model text not null,
	kind text not null check (kind in ('phone', 'tablet', 'laptop', 'headphones', 'console', 'watch', 'camera', 'other')),
	aliases text[] not null default '{}',
	ports text[] not null default '{}', -- usb-c, lightning, micro-usb, magsafe, …
	charging_protocols text[] not null default '{}', -- usb-pd, pps, qc3, qi, qi2, magsafe
	max_charging_watts integer check (max_charging_watts > 0),
	release_year integer check (release_year between 1990 and 2100),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (shop_id, brand, model),
	unique (shop_id, id)
);

-- Customers and orders ------------------------------------------------------------------------------

create table customers (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null references shops (id) on delete cascade,
	external_id text,
	email text not null check (email ~ '^[^@\s]+@[^@\s]+$'),
	first_name text,
	last_name text,
	phone text,
	locale text check (locale in ('en', 'fr')),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (shop_id, id),
	unique (shop_id, external_id)
);
create unique index customers_email_key on customers (shop_id, lower(email));

create table orders (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null references shops (id) on delete cascade,
	external_id text not null check (length(external_id) between 1 and 255),
	order_number text not null check (length(order_number) between 1 and 64),
	customer_id uuid not null,
	email text not null check (email ~ '^[^@\s]+@[^@\s]+$'),
	locale text check (locale in ('en', 'fr')),
	currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
	taxes_included boolean not null default true,
	subtotal_amount bigint not null check (subtotal_amount >= 0), -- lines after their discounts
	shipping_amount bigint not null default 0 check (shipping_amount >= 0),
	shipping_tax_amount bigint not null default 0 check (shipping_tax_amount >= 0),
	tax_amount bigint not null default 0 check (tax_amount >= 0),
	total_amount bigint not null check (total_amount >= 0), -- what the customer paid
	stripe_payment_intent_id text check (stripe_payment_intent_id ~ '^pi_'),
	stripe_charge_id text check (stripe_charge_id ~ '^(ch|py)_'),
	ordered_at timestamptz not null,
	fulfilled_at timestamptz check (fulfilled_at >= ordered_at),
	delivered_at timestamptz check (delivered_at >= ordered_at),
	ship_name text not null,
	ship_line1 text not null,
	ship_line2 text,
	ship_postal_code text not null,
	ship_city text not null,
	ship_region text,
	ship_country char(2) not null check (ship_country ~ '^[A-Z]{2}$'),
	source text not null default 'api' check (source in ('api', 'import', 'demo')),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (shop_id, external_id),
	unique (shop_id, order_number),
	unique (shop_id, id),
	foreign key (shop_id, customer_id) references customers (shop_id, id)
);
create index orders_customer_idx on orders (shop_id, customer_id, ordered_at desc);
create index orders_ordered_idx on orders (shop_id, ordered_at desc);

create table order_lines (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null,
	order_id uuid not null,
	external_id text not null,
	position integer not null,
	product_id uuid,
	variant_id uuid,
	sku text,
	title text not null,
	variant_title text,
	quantity integer not null check (quantity > 0),
	unit_price_amount bigint not null check (unit_price_amount >= 0),
	discount_amount bigint not null default 0 check (discount_amount >= 0), -- allocated to the whole line
	vat_rate numeric(6, 3) not null default 0 check (vat_rate >= 0 and vat_rate < 100), -- percent: 20.000, 5.500
	vat_amount bigint not null default 0 check (vat_amount >= 0),
	total_amount bigint not null check (total_amount >= 0), -- quantity × unit price − discount
	check (discount_amount <= unit_price_amount * quantity),
	check (total_amount = unit_price_amount * quantity - discount_amount),
	unique (shop_id, order_id, external_id),
	unique (order_id, position),
	unique (shop_id, id),
	foreign key (shop_id, order_id) references orders (shop_id, id) on delete cascade,
	foreign key (shop_id, product_id) references products (shop_id, id),
	foreign key (shop_id, variant_id) references variants (shop_id, id)
);
create index order_lines_order_idx on order_lines (order_id);
create index order_lines_variant_idx on order_lines (variant_id);

-- Return reasons --------------------------------------------------------------------------------------

-- A tree per shop with stable codes; only leaves can be chosen for a return line.
create table return_reasons (
	shop_id uuid not null references shops (id) on delete cascade,
	code text not null check (code ~ '^[a-z][a-z0-9_]{1,62}$'),
	parent_code text,
	position integer not null default 0,
	label_en text not null,
	label_fr text not null,
	active boolean not null default true,
	primary key (shop_id, code),
	foreign key (shop_id, parent_code) references return_reasons (shop_id, code),
	check (parent_code is null or parent_code <> code)
);

-- Returns ---------------------------------------------------------------------------------------------

create table returns (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null,
	order_id uuid not null,
	customer_id uuid not null,
	rma text not null unique check (rma ~ '^R-[0-9A-Z]{4}-[0-9A-Z]{4}$'),
	reception_status text not null default 'awaiting'
		check (reception_status in ('not_required', 'awaiting', 'in_transit', 'received', 'lost', 'wrong_item')),
	decision_status text not null default 'pending'
		check (decision_status in ('pending', 'needs_review', 'info_requested', 'on_hold', 'accepted', 'rejected', 'cancelled')),
	channel text not null check (channel in ('customer', 'staff', 'api', 'import', 'demo')),
	is_withdrawal boolean not null default false,
	currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
	locale text check (locale in ('en', 'fr')),
	policy_version_id uuid, -- the policy it was decided under (policy issue)
	requested_at timestamptz not null default now(),
	closed_at timestamptz,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (shop_id, rma),
	unique (shop_id, id),
	foreign key (shop_id, order_id) references orders (shop_id, id),
	foreign key (shop_id, customer_id) references customers (shop_id, id)
);
create index returns_order_idx on returns (shop_id, order_id);
create index returns_customer_idx on returns (shop_id, customer_id, requested_at desc);
create index returns_queue_idx on returns (shop_id, decision_status, requested_at);

create table return_lines (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null,
	return_id uuid not null,
	order_line_id uuid not null,
	quantity integer not null check (quantity > 0),
	reason_code text not null,
	customer_comment text,
	resolution_status text not null default 'pending'
		check (resolution_status in ('pending', 'refunded', 'credited', 'exchanged', 'kept', 'failed')),
	requested_resolution text check (requested_resolution in ('refund', 'store_credit', 'exchange', 'keep')),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (return_id, order_line_id),
	unique (shop_id, id),
	foreign key (shop_id, return_id) references returns (shop_id, id) on delete cascade,
	foreign key (shop_id, order_line_id) references order_lines (shop_id, id),
	foreign key (shop_id, reason_code) references return_reasons (shop_id, code)
);
create index return_lines_order_line_idx on return_lines (order_line_id);

-- Only a leaf of the reason tree may be chosen.
create function return_lines_reason_is_leaf() returns trigger language plpgsql as $$
begin
	if exists (select 1 from return_reasons where shop_id = new.shop_id and parent_code = new.reason_code) then
		raise exception 'return reason "%" is a group, choose one of its reasons', new.reason_code
			using errcode = 'check_violation';
	end if;
	return new;
end $$;
create trigger return_lines_reason_is_leaf before insert or update of reason_code on return_lines
	for each row execute function return_lines_reason_is_leaf();

-- The customer's structured answers, one typed row each, for later analytics:
-- fit.direction = too_small, fit.size_delta = 1, fit.usual_size = W32, device.model = <device id>.
create table return_answers (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null,
	return_line_id uuid not null,
	question text not null check (question ~ '^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$'),
	value_type text not null check (value_type in ('text', 'number', 'boolean', 'device')),
	text_value text,
	number_value numeric,
	boolean_value boolean,
	device_id uuid,
	created_at timestamptz not null default now(),
	check (
		(value_type = 'text') = (text_value is not null)
		and (value_type = 'number') = (number_value is not null)
		and (value_type = 'boolean') = (boolean_value is not null)
		and (value_type = 'device') = (device_id is not null)
	),
	unique (return_line_id, question),
	foreign key (shop_id, return_line_id) references return_lines (shop_id, id) on delete cascade,
	foreign key (shop_id, device_id) references devices (shop_id, id)
);

-- Append-only history of every change to a return, written in the same transaction as the change.
create table return_events (
	id bigint generated always as identity primary key,
	shop_id uuid not null,
	return_id uuid not null,
	type text not null check (type ~ '^[a-z_]+(\.[a-z_]+)+$'),
	actor_kind text not null check (actor_kind in ('customer', 'staff', 'system', 'api', 'import')),
	actor_id text,
	payload jsonb not null default '{}',
	created_at timestamptz not null default now(),
	foreign key (shop_id, return_id) references returns (shop_id, id)
);
create index return_events_return_idx on return_events (return_id, id);

create function return_events_append_only() returns trigger language plpgsql as $$
begin
	raise exception 'return_events is append-only' using errcode = 'insufficient_privilege';
end $$;
create trigger return_events_no_update before update or delete on return_events
	for each row execute function return_events_append_only();

-- A conversation that ended without a return: the fix worked, recorded as a prevented return.
create table conversation_outcomes (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null,
	order_id uuid not null,
	order_line_id uuid,
	outcome text not null check (outcome in ('prevented', 'return_created', 'abandoned', 'withdrawal')),
	prevention_kind text check (prevention_kind in ('troubleshooting', 'compatibility', 'size_advice', 'exchange_declined', 'other')),
	reason_code text,
	return_id uuid,
	detail text,
	created_at timestamptz not null default now(),
	check ((outcome = 'prevented') = (prevention_kind is not null)),
	check (outcome <> 'prevented' or return_id is null),
	foreign key (shop_id, order_id) references orders (shop_id, id),
	foreign key (shop_id, order_line_id) references order_lines (shop_id, id),
	foreign key (shop_id, reason_code) references return_reasons (shop_id, code),
	foreign key (shop_id, return_id) references returns (shop_id, id)
);

-- Imports of past orders and returns (CSV) ----------------------------------------------------------------

create table imports (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null references shops (id) on delete cascade,
	kind text not null check (kind in ('orders', 'returns')),
	filename text not null,
	status text not null check (status in ('succeeded', 'failed')),
	rows_total integer not null default 0,
	rows_imported integer not null default 0,
	errors jsonb not null default '[]',
	created_by uuid references users (id) on delete set null,
	created_at timestamptz not null default now()
);
create index imports_shop_idx on imports (shop_id, created_at desc);
