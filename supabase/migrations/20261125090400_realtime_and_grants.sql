-- Live updates: every change a screen must see is broadcast on the event's topics.
--   event:<id>        what every member may know (agenda, moderated theses, opened polls)
--   event:<id>:staff  what only note-takers, chairs and organisers see (submissions, notes, each vote)
-- Payloads name what changed, never private text; screens fetch the state they are allowed to see.
-- On Supabase realtime.send is Realtime Broadcast; elsewhere the compatibility layer turns it into
-- pg_notify, which the server relays as Server-Sent Events after coalescing vote tallies.

create or replace function private.broadcast_change() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_row jsonb;
  v_old_status text;
  v_event_id uuid;
  v_staff_only boolean;
begin
  if tg_op = 'DELETE' then
    v_row := to_jsonb(old);
  else
    v_row := to_jsonb(new);
  end if;
  if tg_op = 'UPDATE' then
    v_old_status := to_jsonb(old) ->> 'status';
  end if;
  v_event_id := case when tg_table_name = 'events' then (v_row ->> 'id')::uuid else (v_row ->> 'event_id')::uuid end;
  -- Submissions stay among the staff until the chair approves them; so do draft polls.
  v_staff_only := tg_table_name in ('notes', 'event_members', 'votes')
    or (tg_table_name = 'theses' and v_row ->> 'status' in ('submitted', 'rejected')
        and (v_old_status is null or v_old_status in ('submitted', 'rejected')))
    or (tg_table_name = 'polls' and v_row ->> 'status' = 'draft');
  if tg_table_name = 'votes' then
    perform realtime.send(jsonb_build_object('pollId', v_row ->> 'poll_id'), 'vote',
                          'event:' || v_event_id || ':staff', true);
    return null;
  end if;
  perform realtime.send(
    jsonb_build_object('table', tg_table_name, 'op', lower(tg_op), 'id', v_row ->> 'id', 'status', v_row ->> 'status'),
    'change', 'event:' || v_event_id || case when v_staff_only then ':staff' else '' end, true);
  return null;
end
$$;

create trigger broadcast_events after update on public.events
  for each row execute function private.broadcast_change();
create trigger broadcast_agenda_items after insert or update or delete on public.agenda_items
  for each row execute function private.broadcast_change();
create trigger broadcast_theses after insert or update or delete on public.theses
  for each row execute function private.broadcast_change();
create trigger broadcast_polls after insert or update on public.polls
  for each row execute function private.broadcast_change();
create trigger broadcast_votes after insert or update on public.votes
  for each row execute function private.broadcast_change();
create trigger broadcast_notes after insert or update or delete on public.notes
  for each row execute function private.broadcast_change();
create trigger broadcast_members after insert or update on public.event_members
  for each row execute function private.broadcast_change();

-- Supabase Realtime authorises a private channel by a select on realtime.messages under RLS.
create or replace function private.may_join_topic(p_topic text) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_parts text[] := regexp_match(coalesce(p_topic, ''),
    '^event:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(:staff)?$');
begin
  if v_parts is null then
    return false;
  end if;
  return private.has_role(v_parts[1]::uuid, case when v_parts[2] is null then 'participant' else 'note_taker' end);
end
$$;

-- The policy needs the right to manage policies on realtime.messages, which supabase_realtime_admin
-- owns: hosted Supabase gives postgres that right (supautils.policy_grants); a self-hosted Supabase
-- without it refuses, and the push stops here with a message that says what to do.
do $$
begin
  create policy "members receive their event's broadcasts" on realtime.messages
    for select to authenticated using (private.may_join_topic((select realtime.topic())));
exception when insufficient_privilege then
  raise exception using
    errcode = 'insufficient_privilege',
    message = format('Kennisdag cannot create its channel policy on realtime.messages: the table belongs to %s and %s may not manage its policies.',
                     (select pg_get_userbyid(relowner) from pg_class where oid = 'realtime.messages'::regclass), current_user),
    detail = 'Hosted Supabase allows this. On a self-hosted Supabase, list realtime.messages for postgres in supautils.policy_grants '
             '(supautils.conf), or run once as supabase_admin: grant supabase_realtime_admin to postgres; then run supabase db push again.';
end
$$;

-- Functions are callable by PUBLIC by default; clients get exactly the domain functions.
revoke execute on all functions in schema public from public, anon;
revoke execute on all functions in schema private from public, anon;
grant execute on all functions in schema public to authenticated, service_role;
grant execute on all functions in schema private to authenticated, service_role;
grant execute on function public.lookup_event(text), public.get_published_recap(text),
  public.get_projector_state(uuid, text) to anon;
