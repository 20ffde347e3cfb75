-- Who may see and change what. Membership checks live in security definer helpers in the private
-- schema, so that policies stay short and never recurse into the tables they protect.
-- Writes that follow a state machine go through the functions of the next migration; the grants here
-- leave clients only the direct access that is safe on its own.

create or replace function private.role_rank(p_role text) returns integer
language sql immutable
set search_path = ''
as $$
  select case p_role
    when 'organiser' then 4 when 'chair' then 3 when 'note_taker' then 2 when 'participant' then 1
    else 0 end
$$;

-- The caller's role in an event, or null when the caller is not a member.
create or replace function private.member_role(p_event_id uuid) returns text
language sql stable security definer
set search_path = ''
as $$
  select m.role from public.event_members m
  where m.event_id = p_event_id and m.user_id = (select auth.uid())
$$;

create or replace function private.has_role(p_event_id uuid, p_at_least text) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select coalesce(private.role_rank(private.member_role(p_event_id)) >= private.role_rank(p_at_least), false)
$$;

create or replace function private.is_member(p_event_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select private.member_role(p_event_id) is not null
$$;

-- Anonymous sign-ins (participants) carry is_anonymous in their token; organisers do not.
create or replace function private.is_registered_user() returns boolean
language sql stable
set search_path = ''
as $$
  select (select auth.uid()) is not null
     and coalesce(((select auth.jwt()) ->> 'is_anonymous')::boolean, false) = false
$$;

grant usage on schema private to anon, authenticated, service_role;
revoke execute on all functions in schema private from public;
grant execute on all functions in schema private to authenticated, service_role;

-- Least privilege: Supabase grants everything on new tables to the API roles by default; take it back
-- and grant only what the policies below are written for.
revoke all on all tables in schema public from anon, authenticated;
grant all on all tables in schema public to service_role;

grant select on public.events, public.event_members, public.agenda_items, public.theses,
  public.polls, public.votes, public.notes, public.recaps to authenticated;
grant select on public.recaps to anon;
grant update (name, organisation, job_title, listed) on public.event_members to authenticated;
grant update (text) on public.theses to authenticated;
grant update (kind, text, speaker) on public.notes to authenticated;
grant delete on public.notes to authenticated;

alter table public.events enable row level security;
alter table public.event_secrets enable row level security;
alter table public.event_members enable row level security;
alter table public.agenda_items enable row level security;
alter table public.theses enable row level security;
alter table public.polls enable row level security;
alter table public.votes enable row level security;
alter table public.notes enable row level security;
alter table public.recaps enable row level security;

create policy "members read their events" on public.events
  for select to authenticated using (private.is_member(id));

-- event_secrets has no policy for anon or authenticated: only security definer functions read it.

create policy "members read their own membership; staff read all members" on public.event_members
  for select to authenticated
  using (user_id = (select auth.uid()) or private.has_role(event_id, 'note_taker'));
create policy "members edit their own profile" on public.event_members
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

create policy "members read the agenda" on public.agenda_items
  for select to authenticated using (private.is_member(event_id));

create policy "members read moderated theses and their own; staff read all" on public.theses
  for select to authenticated
  using (
    private.has_role(event_id, 'note_taker')
    or (private.is_member(event_id) and (
      created_by = (select auth.uid())
      or status in ('approved', 'merged', 'in_discussion', 'discussed', 'not_discussed')
    ))
  );
create policy "authors edit their thesis until it is moderated" on public.theses
  for update to authenticated
  using (created_by = (select auth.uid()) and status = 'submitted')
  with check (created_by = (select auth.uid()) and status = 'submitted');

create policy "members read polls once opened; staff read all" on public.polls
  for select to authenticated
  using (private.has_role(event_id, 'note_taker') or (private.is_member(event_id) and status <> 'draft'));

create policy "voters read their own votes" on public.votes
  for select to authenticated using (voter_id = (select auth.uid()));

create policy "note-takers read the notes" on public.notes
  for select to authenticated using (private.has_role(event_id, 'note_taker'));
create policy "note-takers edit their own notes; organisers edit all" on public.notes
  for update to authenticated
  using (author_id = (select auth.uid()) or private.has_role(event_id, 'organiser'))
  with check (private.has_role(event_id, 'note_taker'));
create policy "note-takers delete their own notes; organisers delete all" on public.notes
  for delete to authenticated
  using (author_id = (select auth.uid()) or private.has_role(event_id, 'organiser'));

create policy "organisers read every recap version" on public.recaps
  for select to authenticated using (private.has_role(event_id, 'organiser'));
create policy "everyone reads published recaps" on public.recaps
  for select to anon, authenticated using (status = 'published');
