-- The room: an optional capacity the organiser sets, and the chair removing a member who should not
-- be there (a flood of joins, someone stuffing the ballot). A removed account cannot join the event
-- again; its votes stay in the record unless an organiser chooses to discard them with the removal.

alter table public.events add column capacity integer check (capacity between 1 and 100000);

-- Accounts removed from an event. Read and written only by the security definer functions below.
create table public.event_removals (
  event_id uuid not null references public.events (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  removed_by uuid references auth.users (id) on delete set null,
  removed_at timestamptz not null default now(),
  primary key (event_id, user_id)
);
alter table public.event_removals enable row level security;
revoke all on public.event_removals from anon, authenticated;
grant all on public.event_removals to service_role;

-- The language an edge refusal is said in, for an address that names the event. Nothing else.
create or replace function public.event_language(p_event_id uuid) returns text
language sql stable security definer
set search_path = ''
as $$
  select e.language from public.events e where e.id = p_event_id
$$;

-- Who is in the room: phones that joined (staff and names the organiser typed in do not count).
create or replace function private.room_json(p_event public.events) returns jsonb
language sql stable security definer
set search_path = ''
as $$
  select jsonb_build_object('capacity', p_event.capacity, 'participants', (
    select count(*) from public.event_members m
    where m.event_id = p_event.id and m.role = 'participant' and m.user_id is not null))
$$;

create or replace function public.join_event(
  p_code text, p_name text, p_organisation text default '', p_job_title text default '',
  p_listed boolean default false
) returns public.event_members
language plpgsql security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_event public.events;
  v_member public.event_members;
begin
  select * into v_event from public.events where join_code = upper(btrim(coalesce(p_code, '')));
  if not found then
    perform private.fail('KD404', 'No event has this code.');
  end if;
  if v_event.status = 'closed' then
    perform private.fail('KD409', 'This event is closed.');
  end if;
  if exists (select 1 from public.event_removals r where r.event_id = v_event.id and r.user_id = v_uid) then
    perform private.fail('KD403', case v_event.language
      when 'nl' then 'Je bent uit dit evenement verwijderd.'
      else 'You were removed from this event.' end);
  end if;
  if v_event.capacity is not null
     and not exists (select 1 from public.event_members where event_id = v_event.id and user_id = v_uid) then
    -- Joins of one event wait for each other here, so the last seat is given once.
    perform 1 from public.events where id = v_event.id for update;
    if (private.room_json(v_event) ->> 'participants')::integer >= v_event.capacity then
      perform private.fail('KD409', case v_event.language
        when 'nl' then format('De zaal is vol: er kunnen %s deelnemers meedoen. Vraag de organisator om meer plaatsen.', v_event.capacity)
        else format('The room is full: it has room for %s participants. Ask the organiser for more seats.', v_event.capacity) end);
    end if;
  end if;
  insert into public.event_members (event_id, user_id, role, name, organisation, job_title, listed)
  values (v_event.id, v_uid, 'participant', private.clean_text(p_name, 'Name', 120),
          left(btrim(coalesce(p_organisation, '')), 160), left(btrim(coalesce(p_job_title, '')), 160),
          coalesce(p_listed, false))
  on conflict (event_id, user_id) do update set
    name = excluded.name, organisation = excluded.organisation, job_title = excluded.job_title,
    listed = excluded.listed
  returning * into v_member;
  return v_member;
end
$$;

create or replace function public.get_room(p_event_id uuid) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
begin
  perform private.require_role(p_event_id, 'chair');
  return (select private.room_json(e) from public.events e where e.id = p_event_id);
end
$$;

-- A capacity below the phones already in the room only stops new joins; nobody is sent away.
create or replace function public.set_room_capacity(p_event_id uuid, p_capacity integer) returns jsonb
language plpgsql security definer
set search_path = ''
as $$
declare
  v_event public.events;
begin
  perform private.require_role(p_event_id, 'organiser');
  if p_capacity is not null and (p_capacity < 1 or p_capacity > 100000) then
    perform private.fail('KD400', 'The capacity must be between 1 and 100000, or empty for no limit.');
  end if;
  update public.events set capacity = p_capacity where id = p_event_id returning * into v_event;
  return private.room_json(v_event);
end
$$;

-- The chair removes participants and note-takers; an organiser removes anyone but the last organiser.
-- The member's row goes (its theses keep their author's name), its account cannot join again, and its
-- open live streams are closed. Its votes stay unless an organiser discards them with the removal.
create or replace function public.remove_member(p_member_id uuid, p_discard_votes boolean default false)
returns jsonb
language plpgsql security definer
set search_path = ''
as $$
declare
  v_member public.event_members;
  v_my_role text;
  v_poll_ids uuid[] := '{}';
  v_poll_id uuid;
begin
  select * into v_member from public.event_members where id = p_member_id;
  if not found then
    perform private.fail('KD404', 'This member does not exist.');
  end if;
  perform private.require_role(v_member.event_id, 'chair');
  v_my_role := private.member_role(v_member.event_id);
  if v_member.user_id = (select auth.uid()) then
    perform private.fail('KD409', 'You cannot remove yourself.');
  end if;
  if v_my_role <> 'organiser' and private.role_rank(v_member.role) >= private.role_rank('chair') then
    perform private.fail('KD403', 'Only an organiser can remove a chair or an organiser.');
  end if;
  if coalesce(p_discard_votes, false) and v_my_role <> 'organiser' then
    perform private.fail('KD403', 'Only an organiser can discard votes.');
  end if;
  if v_member.role = 'organiser' and (
    select count(*) from public.event_members where event_id = v_member.event_id and role = 'organiser'
  ) = 1 then
    perform private.fail('KD409', 'An event keeps at least one organiser.');
  end if;

  if v_member.user_id is not null then
    insert into public.event_removals (event_id, user_id, removed_by)
    values (v_member.event_id, v_member.user_id, (select auth.uid()))
    on conflict (event_id, user_id) do nothing;
    if coalesce(p_discard_votes, false) then
      with gone as (
        delete from public.votes where event_id = v_member.event_id and voter_id = v_member.user_id
        returning poll_id
      )
      select coalesce(array_agg(distinct poll_id), '{}') into v_poll_ids from gone;
    end if;
  end if;
  delete from public.event_members where id = p_member_id;

  -- Tallies are recounted, staff screens refresh their lists, and the app server closes the streams.
  foreach v_poll_id in array v_poll_ids loop
    perform realtime.send(jsonb_build_object('pollId', v_poll_id), 'vote', 'event:' || v_member.event_id || ':staff', true);
  end loop;
  perform realtime.send(jsonb_build_object('table', 'event_members', 'op', 'delete', 'id', v_member.id),
                        'change', 'event:' || v_member.event_id || ':staff', true);
  if v_member.user_id is not null then
    perform realtime.send(jsonb_build_object('userId', v_member.user_id), 'removed',
                          'event:' || v_member.event_id || ':staff', true);
  end if;
  return jsonb_build_object('memberId', v_member.id, 'discardedVotes', cardinality(v_poll_ids));
end
$$;

revoke execute on function public.event_language(uuid), private.room_json(public.events), public.join_event(text, text, text, text, boolean),
  public.get_room(uuid), public.set_room_capacity(uuid, integer), public.remove_member(uuid, boolean) from public, anon;
-- room_json runs only inside the functions above (as their owner): nobody else calls it.
grant execute on function public.event_language(uuid) to anon, authenticated, service_role;
grant execute on function public.join_event(text, text, text, text, boolean), public.get_room(uuid),
  public.set_room_capacity(uuid, integer), public.remove_member(uuid, boolean) to authenticated, service_role;
