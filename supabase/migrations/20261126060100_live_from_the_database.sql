-- On Supabase, phones and the projector listen to Supabase Realtime directly, and the app server is in
-- no live path. What the app server's live hub does elsewhere (one public snapshot per change for every
-- screen, vote tallies coalesced per poll) the database does here, once per change or burst of votes,
-- so no screen fetches anything after a change. The channels:
--   event:<id>               'change'  every member (as before; staff screens reload their own view)
--   event:<id>:staff         'change', 'vote', 'tally'  note-takers, chairs, organisers (tallies at most
--                            ten a second, hidden results too)
--   event:<id>:state         'state'   members and the projector: the public snapshot after each
--                            transaction that changed what they see (open poll results left out)
--   event:<id>:projector     'tally'   the projector and staff: visible tallies, at most ten a second
--   event:<id>:poll:<poll>   'tally'   the results channel of one poll: joined only by those who may
--                            see its results (private.may_see_results: a participant once they voted
--                            or the poll closed, hidden results only after the reveal); at most once a
--                            second, and no oftener than keeps it under 1,000 deliveries a second
-- Quota for a hall of 2,000 phones (each delivery counts, plus one per message stored): a vote burst
-- costs at most ~1,000 deliveries a second on the results channels, ~60 a second of staff and
-- projector tallies and one per vote and staff screen of the existing 'vote' notices; each chair
-- action costs one snapshot per screen (~2,000). Within the 2,500 messages a second of Supabase's Pro
-- plan without spend cap (and Team); the Free plan (100) and Pro with spend cap (500) are too small.

-- Supabase Realtime delivers what realtime.send stores in realtime.messages, which Realtime partitions
-- by day. Outside Supabase the compatibility layer relays broadcasts through the app server, which
-- computes snapshots and tallies itself (and pg_notify could not carry a snapshot): nothing to do.
create or replace function private.browsers_listen_to_database() returns boolean
language sql stable
set search_path = ''
as $$
  select coalesce((select c.relkind = 'p' from pg_catalog.pg_class c where c.oid = to_regclass('realtime.messages')), false)
$$;

-- Snapshots ------------------------------------------------------------------------------------------

-- The last snapshot sent per event: a change nobody outside the staff sees (a submission, a draft
-- poll) sends nothing.
create table private.event_snapshots (
  event_id uuid primary key references public.events (id) on delete cascade,
  digest text not null,
  sent_at timestamptz not null default now()
);
alter table private.event_snapshots enable row level security;
revoke all on private.event_snapshots from public, anon, authenticated, service_role;

-- What every member's screen and the projector may see, computed for nobody in particular (the
-- caller's own theses stay out). The open poll's results are left out: a phone sees them only after
-- voting, through the poll's results channel; a closed poll's results are everybody's.
create or replace function private.public_snapshot(p_event_id uuid) returns jsonb
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_claims text := current_setting('request.jwt.claims', true);
  v_sub text := current_setting('request.jwt.claim.sub', true);
  v_state jsonb;
begin
  perform set_config('request.jwt.claims', '', true), set_config('request.jwt.claim.sub', '', true);
  v_state := private.event_state(p_event_id, 'projector');
  perform set_config('request.jwt.claims', coalesce(v_claims, ''), true),
          set_config('request.jwt.claim.sub', coalesce(v_sub, ''), true);
  if jsonb_typeof(v_state -> 'openPoll') = 'object' then
    v_state := jsonb_set(v_state, '{openPoll,results}', 'null'::jsonb);
  end if;
  return v_state;
end
$$;

-- At commit, once per transaction and event: a thesis session's end that touches every thesis sends
-- one snapshot. A failure loses the broadcast, never the chair's change.
create or replace function private.broadcast_state() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_row jsonb := case when tg_op = 'DELETE' then to_jsonb(old) else to_jsonb(new) end;
  v_event_id uuid := case when tg_table_name = 'events' then v_row ->> 'id' else v_row ->> 'event_id' end;
  v_sent text := coalesce(current_setting('kennisdag.snapshots_sent', true), '');
  v_state jsonb;
  v_changed integer;
begin
  if v_event_id is null or position(v_event_id::text in v_sent) > 0 or not private.browsers_listen_to_database() then
    return null;
  end if;
  perform set_config('kennisdag.snapshots_sent', v_sent || v_event_id::text || ' ', true);
  if not exists (select 1 from public.events where id = v_event_id) then
    return null;
  end if;
  begin
    v_state := private.public_snapshot(v_event_id);
    insert into private.event_snapshots as s (event_id, digest) values (v_event_id, md5(v_state::text))
    on conflict (event_id) do update set digest = excluded.digest, sent_at = now() where s.digest <> excluded.digest;
    get diagnostics v_changed = row_count;
    if v_changed > 0 then
      perform realtime.send(v_state, 'state', 'event:' || v_event_id || ':state', true);
    end if;
  exception when others then
    raise warning 'KennisdagStateBroadcast: %', sqlerrm;
  end;
  return null;
end
$$;

create constraint trigger broadcast_state_events after update on public.events
  deferrable initially deferred for each row execute function private.broadcast_state();
create constraint trigger broadcast_state_agenda_items after insert or update or delete on public.agenda_items
  deferrable initially deferred for each row execute function private.broadcast_state();
create constraint trigger broadcast_state_theses after insert or update or delete on public.theses
  deferrable initially deferred for each row execute function private.broadcast_state();
create constraint trigger broadcast_state_polls after insert or update on public.polls
  deferrable initially deferred for each row execute function private.broadcast_state();

-- Tallies --------------------------------------------------------------------------------------------

-- When each poll's tally last went out, and what it said, per audience.
create table private.poll_tally_clock (
  poll_id uuid primary key references public.polls (id) on delete cascade,
  staff_sent_at timestamptz,
  staff_digest text,
  room_sent_at timestamptz,
  room_digest text
);
alter table private.poll_tally_clock enable row level security;
revoke all on private.poll_tally_clock from public, anon, authenticated, service_role;

-- A poll's live tally with the number of members present, for "12 of 40 voted".
create or replace function private.live_tally(p_poll public.polls) returns jsonb
language sql stable security definer
set search_path = ''
as $$
  select private.poll_tally(p_poll) || jsonb_build_object(
    'pollId', p_poll.id, 'status', p_poll.status,
    'present', (select count(*) from public.event_members m where m.event_id = p_poll.event_id and m.user_id is not null))
$$;

-- Sends a poll's tally where it is due: to the staff (and, when visible, the projector) at most ten
-- times a second; to the poll's results channel at most once a second and at most 1,000 deliveries a
-- second (one per voter). A vote inside the interval rides with the next tally; whoever holds the
-- poll's clock sends, the others go on. `p_final` (a poll closed, reopened or revealed) sends at once.
create or replace function private.publish_tally(p_poll_id uuid, p_final boolean) returns void
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_now timestamptz := clock_timestamp();
  v_clock private.poll_tally_clock;
  v_poll public.polls;
  v_tally jsonb;
  v_digest text;
  v_visible boolean;
  v_room_interval interval;
begin
  if not private.browsers_listen_to_database() then
    return;
  end if;
  select * into v_clock from private.poll_tally_clock where poll_id = p_poll_id;
  if not found then
    insert into private.poll_tally_clock (poll_id) values (p_poll_id) on conflict do nothing;
  elsif not p_final and v_clock.staff_sent_at > v_now - interval '100 milliseconds' then
    return;
  end if;
  if p_final then
    select * into v_clock from private.poll_tally_clock where poll_id = p_poll_id for update;
  else
    select * into v_clock from private.poll_tally_clock where poll_id = p_poll_id for update skip locked;
    if not found then
      return;
    end if;
  end if;
  select * into v_poll from public.polls where id = p_poll_id;
  if not found or v_poll.status = 'draft' then
    return;
  end if;
  v_tally := private.live_tally(v_poll);
  v_digest := md5(v_tally::text);
  v_visible := private.may_see_results(v_poll, 'projector');
  if p_final or (v_digest is distinct from v_clock.staff_digest
     and (v_clock.staff_sent_at is null or v_clock.staff_sent_at <= v_now - interval '100 milliseconds')) then
    perform realtime.send(v_tally, 'tally', 'event:' || v_poll.event_id || ':staff', true);
    if v_visible then
      perform realtime.send(v_tally, 'tally', 'event:' || v_poll.event_id || ':projector', true);
    end if;
    v_clock.staff_sent_at := v_now;
    v_clock.staff_digest := v_digest;
  end if;
  v_room_interval := greatest(interval '1 second', make_interval(secs => (v_tally ->> 'total')::double precision / 1000));
  if v_visible and (p_final or (v_digest is distinct from v_clock.room_digest
     and (v_clock.room_sent_at is null or v_clock.room_sent_at <= v_now - v_room_interval))) then
    perform realtime.send(v_tally, 'tally', 'event:' || v_poll.event_id || ':poll:' || v_poll.id, true);
    v_clock.room_sent_at := v_now;
    v_clock.room_digest := v_digest;
  end if;
  update private.poll_tally_clock set staff_sent_at = v_clock.staff_sent_at, staff_digest = v_clock.staff_digest,
    room_sent_at = v_clock.room_sent_at, room_digest = v_clock.room_digest
  where poll_id = p_poll_id;
end
$$;

create or replace function private.publish_vote_tally() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  perform private.publish_tally(new.poll_id, false);
  return null;
end
$$;

create or replace function private.publish_final_tally() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  perform private.publish_tally(new.id, true);
  return null;
end
$$;

create trigger publish_tally_votes after insert or update on public.votes
  for each row execute function private.publish_vote_tally();
create trigger publish_tally_polls after update on public.polls
  for each row when (old.status is distinct from new.status or old.revealed_at is distinct from new.revealed_at)
  execute function private.publish_final_tally();

-- The last votes of a burst may fall inside the interval after a tally went out. The staff screens and
-- the projector ask for the tally once things are quiet; this sends what is still due (to every
-- audience) and returns the tally as the caller may see it.
create or replace function public.refresh_poll_tally(p_poll_id uuid) returns jsonb
language plpgsql security definer
set search_path = ''
as $$
declare
  v_poll public.polls;
begin
  perform private.require_user();
  select * into v_poll from public.polls where id = p_poll_id;
  if not found then
    perform private.fail('KD404', 'This poll does not exist.');
  end if;
  if not private.has_role(v_poll.event_id, 'note_taker') then
    if not private.is_projector(v_poll.event_id) then
      perform private.fail('KD403', 'Only the staff and the projector follow the live tally.');
    end if;
    if not private.may_see_results(v_poll, 'projector') then
      return null;
    end if;
  end if;
  perform private.publish_tally(p_poll_id, false);
  return private.live_tally(v_poll);
end
$$;

-- Realtime's channel-join check (a select on realtime.messages under the policy "members receive
-- their event's broadcasts") asks this for the channel's topic.
create or replace function private.may_join_topic(p_topic text) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_parts text[] := regexp_match(coalesce(p_topic, ''),
    '^event:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'
    '(?::(staff|state|projector|poll:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})))?$');
  v_event_id uuid;
  v_poll public.polls;
begin
  if v_parts is null then
    return false;
  end if;
  v_event_id := v_parts[1]::uuid;
  if v_parts[2] is null then
    return private.has_role(v_event_id, 'participant');
  elsif v_parts[2] = 'staff' then
    return private.has_role(v_event_id, 'note_taker');
  elsif v_parts[2] = 'state' then
    return private.has_role(v_event_id, 'participant') or private.is_projector(v_event_id);
  elsif v_parts[2] = 'projector' then
    return private.has_role(v_event_id, 'note_taker') or private.is_projector(v_event_id);
  end if;
  select * into v_poll from public.polls where id = v_parts[3]::uuid and event_id = v_event_id and status <> 'draft';
  if not found then
    return false;
  end if;
  return case
    when private.has_role(v_event_id, 'note_taker') then true
    when private.has_role(v_event_id, 'participant') then private.may_see_results(v_poll, 'member')
    when private.is_projector(v_event_id) then private.may_see_results(v_poll, 'projector')
    else false
  end;
end
$$;

revoke execute on function private.browsers_listen_to_database(), private.public_snapshot(uuid), private.broadcast_state(),
  private.live_tally(public.polls), private.publish_tally(uuid, boolean), private.publish_vote_tally(),
  private.publish_final_tally(), public.refresh_poll_tally(uuid) from public, anon;
grant execute on function public.refresh_poll_tally(uuid) to authenticated, service_role;
