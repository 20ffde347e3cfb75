-- What the app server itself reads to relay live updates: one snapshot for all members of an event
-- and one tally per poll, computed once and sent to every screen, instead of one query per phone.
-- Only the server (service_role) may call these.

create or replace function public.live_public_state(p_event_id uuid) returns jsonb
language sql stable security definer
set search_path = ''
as $$
  select private.event_state(p_event_id, 'projector')
$$;

create or replace function public.live_poll_tally(p_poll_id uuid) returns jsonb
language sql stable security definer
set search_path = ''
as $$
  select private.poll_tally(p) || jsonb_build_object(
    'pollId', p.id, 'eventId', p.event_id, 'status', p.status,
    'visible', not p.hide_results or p.revealed_at is not null)
  from public.polls p where p.id = p_poll_id
$$;

-- Which screens may receive an event's staff topic: answered by the server for each stream it opens.
create or replace function public.live_stream_access(p_event_id uuid) returns text
language plpgsql stable security definer
set search_path = ''
as $$
begin
  perform private.require_role(p_event_id, 'participant');
  return case when private.has_role(p_event_id, 'note_taker') then 'staff' else 'member' end;
end
$$;

revoke execute on function public.live_public_state(uuid), public.live_poll_tally(uuid) from public, anon, authenticated;
grant execute on function public.live_public_state(uuid), public.live_poll_tally(uuid) to service_role;
revoke execute on function public.live_stream_access(uuid) from public, anon;
grant execute on function public.live_stream_access(uuid) to authenticated, service_role;
