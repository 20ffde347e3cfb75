-- The projector link on its own: the wall screen signs in as an anonymous user of its own and claims
-- the event's projector with the link's secret. A claimed projector is a read-only member of the event:
-- row-level security lets it read what the wall screen shows (the event, the agenda, the moderated
-- theses, the opened polls) and nothing else. It is no row of event_members, so it never votes,
-- submits, counts as present, reads a member's name or joins the staff channel.

create table public.event_projectors (
  event_id uuid not null references public.events (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  claimed_at timestamptz not null default now(),
  primary key (event_id, user_id)
);
create index event_projectors_user_idx on public.event_projectors (user_id);

-- Only the functions below read and write claims.
alter table public.event_projectors enable row level security;
revoke all on public.event_projectors from anon, authenticated;
grant all on public.event_projectors to service_role;

create or replace function private.is_projector(p_event_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.event_projectors p where p.event_id = p_event_id and p.user_id = (select auth.uid())
  )
$$;

create policy "the projector reads its event" on public.events
  for select to authenticated using (private.is_projector(id));
create policy "the projector reads the agenda" on public.agenda_items
  for select to authenticated using (private.is_projector(event_id));
create policy "the projector reads moderated theses" on public.theses
  for select to authenticated
  using (private.is_projector(event_id)
         and status in ('approved', 'merged', 'in_discussion', 'discussed', 'not_discussed'));
create policy "the projector reads opened polls" on public.polls
  for select to authenticated using (private.is_projector(event_id) and status <> 'draft');

create or replace function private.require_projector_token(p_event_id uuid, p_token text) returns void
language plpgsql stable security definer
set search_path = ''
as $$
begin
  if not exists (select 1 from public.event_secrets s where s.event_id = p_event_id and s.projector_token = p_token) then
    perform private.fail('KD403', 'This projector link is not valid.');
  end if;
end
$$;

-- The read-only projector link carries a secret token instead of a signed-in user.
create or replace function public.get_projector_state(p_event_id uuid, p_token text) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
begin
  perform private.require_projector_token(p_event_id, p_token);
  return private.event_state(p_event_id, 'projector');
end
$$;

-- The wall screen's signed-in user becomes the event's projector; claiming again changes nothing.
-- Returns what the projector shows, so a screen that (re)connects catches up in the same call.
create or replace function public.claim_projector(p_event_id uuid, p_token text) returns jsonb
language plpgsql security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
begin
  perform private.require_projector_token(p_event_id, p_token);
  insert into public.event_projectors (event_id, user_id) values (p_event_id, v_uid) on conflict do nothing;
  return private.event_state(p_event_id, 'projector');
end
$$;

revoke execute on function private.is_projector(uuid), private.require_projector_token(uuid, text),
  public.claim_projector(uuid, text) from public, anon;
-- Policies ask is_projector as the reading role; the token check runs only inside the functions above.
grant execute on function private.is_projector(uuid) to authenticated, service_role;
grant execute on function public.claim_projector(uuid, text) to authenticated, service_role;
