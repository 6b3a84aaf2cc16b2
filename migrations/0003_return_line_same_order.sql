-- A return line must name a line of the return's own order, not of another order of the shop.
create function return_lines_same_order() returns trigger language plpgsql as $$
begin
	if not exists (
		select 1 from returns r join order_lines ol on ol.order_id = r.order_id
		where r.id = new.return_id and ol.id = new.order_line_id
	) then
		raise exception 'order line % is not part of the order of return %', new.order_line_id, new.return_id
			using errcode = 'foreign_key_violation';
	end if;
	return new;
end $$;
create trigger return_lines_same_order before insert or update of order_line_id, return_id on return_lines
	for each row execute function return_lines_same_order();
