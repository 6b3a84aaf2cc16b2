-- A customer's request for a person, answered: when, by whom, and what staff did or told the customer. A handoff
-- waits while it has no answer, or its answer is older than the request (the customer asked again since).
alter table conversations add column handoff_resolved_at timestamptz;
alter table conversations add column handoff_resolved_by uuid references users (id) on delete set null;
alter table conversations add column handoff_resolution text check (length(handoff_resolution) between 1 and 4000);
alter table conversations add constraint conversations_handoff_resolution_complete
	check ((handoff_resolved_at is null) = (handoff_resolution is null));
