-- Organisers are granted, not self-registered. Supabase Auth must allow sign-ups for anonymous
-- sign-ins to work, so an account with an e-mail address proves nothing: anyone can make one. Only an
-- account with a grant here may create or import events. The first grant comes from the server (the
-- service role, from KENNISDAG_ORGANISER_EMAIL or the setup page); after that organisers grant others.

create table public.organisers (
  user_id uuid primary key references auth.users (id) on delete cascade,
  granted_by uuid references auth.users (id) on delete set null,
  granted_at timestamptz not null default now()
);

alter table public.organisers enable row level security;
-- Supabase grants new tables to the API roles by default; organisers only read, through the policy.
revoke all on public.organisers from anon, authenticated;
grant select on public.organisers to authenticated;
grant all on public.organisers to service_role;

create or replace function private.is_organiser() returns boolean
language sql stable security definer
set search_path = ''
as $$
  select coalesce(((select auth.jwt()) ->> 'is_anonymous')::boolean, false) = false
     and exists (select 1 from public.organisers o where o.user_id = (select auth.uid()))
$$;

-- create_event and import_event ask this function; it now means "holds an organiser grant".
create or replace function private.is_registered_user() returns boolean
language sql stable
set search_path = ''
as $$
  select private.is_organiser()
$$;

-- The caller, who must hold an organiser grant.
create or replace function private.require_organiser() returns uuid
language plpgsql stable
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
begin
  if not private.is_organiser() then
    perform private.fail('KD403', 'Only organisers can do this.');
  end if;
  return v_uid;
end
$$;

create policy "organisers see who else organises" on public.organisers
  for select to authenticated using (private.is_organiser());

-- The account a grant goes to: by id or by e-mail address, never an anonymous participant.
create or replace function private.organiser_account(p_user_id uuid, p_email text) returns uuid
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_id uuid;
begin
  if (p_user_id is null) = (nullif(btrim(p_email), '') is null) then
    perform private.fail('KD400', 'Name the new organiser by account or by e-mail address.');
  end if;
  select u.id into v_id from auth.users u
  where not u.is_anonymous
    and (u.id = p_user_id or lower(u.email) = lower(btrim(p_email)))
  limit 1;
  if v_id is null then
    perform private.fail('KD404', 'No account has this e-mail address yet: create or invite the account first, then grant it.');
  end if;
  return v_id;
end
$$;

-- An account's name from its user metadata. Accounts made by the PostgreSQL back end before this
-- migration hold the metadata as a JSON string rather than an object; both read the same.
create or replace function private.metadata_name(p_metadata jsonb) returns text
language sql immutable
set search_path = ''
as $$
  select nullif(btrim(case jsonb_typeof(p_metadata)
    when 'string' then (p_metadata #>> '{}')::jsonb ->> 'name'
    else p_metadata ->> 'name' end), '')
$$;

create or replace function private.display_name() returns text
language sql stable security definer
set search_path = ''
as $$
  select coalesce(private.metadata_name(u.raw_user_meta_data), split_part(u.email, '@', 1), 'Organiser')
  from auth.users u where u.id = (select auth.uid())
$$;

create or replace function private.organiser_json(p_user_id uuid) returns jsonb
language sql stable security definer
set search_path = ''
as $$
  select jsonb_build_object('userId', o.user_id, 'email', u.email,
                            'name', private.metadata_name(u.raw_user_meta_data), 'grantedAt', o.granted_at)
  from public.organisers o join auth.users u on u.id = o.user_id
  where o.user_id = p_user_id
$$;

-- An organiser makes another account an organiser.
create or replace function public.grant_organiser(p_user_id uuid default null, p_email text default null) returns jsonb
language plpgsql security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_organiser();
  v_target uuid;
begin
  v_target := private.organiser_account(p_user_id, p_email);
  insert into public.organisers (user_id, granted_by) values (v_target, v_uid) on conflict (user_id) do nothing;
  return private.organiser_json(v_target);
end
$$;

-- An organiser takes the grant back; the last organiser stays.
create or replace function public.revoke_organiser(p_user_id uuid) returns void
language plpgsql security definer
set search_path = ''
as $$
begin
  perform private.require_organiser();
  if (select count(*) from public.organisers) <= 1 and exists (select 1 from public.organisers where user_id = p_user_id) then
    perform private.fail('KD409', 'Kennisdag keeps at least one organiser.');
  end if;
  delete from public.organisers where user_id = p_user_id;
end
$$;

create or replace function public.list_organisers() returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
begin
  perform private.require_organiser();
  return coalesce((select jsonb_agg(private.organiser_json(o.user_id) order by o.granted_at) from public.organisers o), '[]'::jsonb);
end
$$;

-- The server grants the first organiser (and the one named by KENNISDAG_ORGANISER_EMAIL at every
-- start); only the service role may call it.
create or replace function public.server_grant_organiser(p_email text) returns jsonb
language plpgsql security definer
set search_path = ''
as $$
declare
  v_target uuid := private.organiser_account(null, p_email);
begin
  insert into public.organisers (user_id) values (v_target) on conflict (user_id) do nothing;
  return private.organiser_json(v_target);
end
$$;

-- Whoever organises an event today keeps the right to create events.
insert into public.organisers (user_id, granted_at)
select u.id, now() from auth.users u
where not u.is_anonymous
  and (exists (select 1 from public.events e where e.created_by = u.id)
    or exists (select 1 from public.event_members m where m.user_id = u.id and m.role = 'organiser'))
on conflict (user_id) do nothing;

revoke execute on function private.is_organiser(), private.require_organiser(), private.organiser_account(uuid, text),
  private.organiser_json(uuid), private.metadata_name(jsonb) from public, anon;
grant execute on function private.is_organiser(), private.require_organiser(), private.organiser_account(uuid, text),
  private.organiser_json(uuid), private.metadata_name(jsonb) to authenticated, service_role;
revoke execute on function public.grant_organiser(uuid, text), public.revoke_organiser(uuid),
  public.list_organisers(), public.server_grant_organiser(text) from public, anon, authenticated;
grant execute on function public.grant_organiser(uuid, text), public.revoke_organiser(uuid),
  public.list_organisers() to authenticated, service_role;
grant execute on function public.server_grant_organiser(text) to service_role;
