-- A countdown the chair sets for the poll that is open or for what is under way (the thesis, else the
-- agenda item): the projector and the console count down to zero beside the elapsed time. It belongs
-- to that poll or item and is no longer shown once the poll closes or another item starts.

alter table public.events
  add column countdown_ends_at timestamptz,
  add column countdown_seconds integer check (countdown_seconds between 1 and 86400),
  add column countdown_subject uuid,
  add constraint events_countdown_whole check (
    (countdown_ends_at is null) = (countdown_seconds is null) and (countdown_ends_at is null) = (countdown_subject is null));

-- p_seconds null or 0 stops the countdown; p_for 'poll' or 'item', or null: the open poll if there
-- is one, else what is under way.
create or replace function public.set_countdown(p_event_id uuid, p_seconds integer, p_for text default null) returns jsonb
language plpgsql security definer
set search_path = ''
as $$
declare
  v_event public.events;
  v_poll_id uuid;
  v_item_id uuid;
  v_subject uuid;
begin
  perform private.require_role(p_event_id, 'chair');
  if p_for is not null and p_for not in ('poll', 'item') then
    perform private.fail('KD400', 'A countdown is for the poll or for the item.');
  end if;
  if coalesce(p_seconds, 0) = 0 then
    update public.events set countdown_ends_at = null, countdown_seconds = null, countdown_subject = null
    where id = p_event_id;
    return null;
  end if;
  if p_seconds not between 1 and 86400 then
    perform private.fail('KD400', 'A countdown runs between 1 second and 24 hours.');
  end if;
  select * into v_event from public.events where id = p_event_id;
  select id into v_poll_id from public.polls where event_id = p_event_id and status = 'open';
  v_item_id := coalesce(v_event.current_thesis_id, v_event.current_agenda_item_id);
  v_subject := case p_for when 'poll' then v_poll_id when 'item' then v_item_id else coalesce(v_poll_id, v_item_id) end;
  if v_subject is null then
    perform private.fail('KD409', case when p_for = 'poll' then 'No poll is open.'
      else 'Nothing is under way: start a thesis or an agenda item first.' end);
  end if;
  update public.events set countdown_ends_at = now() + make_interval(secs => p_seconds),
    countdown_seconds = p_seconds, countdown_subject = v_subject
  where id = p_event_id returning * into v_event;
  return jsonb_build_object('endsAt', v_event.countdown_ends_at, 'seconds', v_event.countdown_seconds,
                            'for', case when v_subject = v_poll_id then 'poll' else 'item' end);
end
$$;

revoke execute on function public.set_countdown(uuid, integer, text) from public, anon;
grant execute on function public.set_countdown(uuid, integer, text) to authenticated, service_role;
