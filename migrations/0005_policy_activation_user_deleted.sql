-- Deleting a user nulls who activated a policy version (on delete set null): let that one change through,
-- keeping the email, and nothing else. Without it a user who ever activated a policy could not be deleted.
create or replace function policy_activations_append_only() returns trigger language plpgsql as $$
begin
	if tg_op = 'UPDATE' and old.activated_by is not null and new.activated_by is null
		and (new.id, new.shop_id, new.version_id, new.kind, new.activated_by_email, new.activated_at)
			is not distinct from (old.id, old.shop_id, old.version_id, old.kind, old.activated_by_email, old.activated_at) then
		return new;
	end if;
	raise exception 'policy activations are append-only' using errcode = 'check_violation';
end $$;
