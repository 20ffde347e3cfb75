-- What Supabase provides and a plain PostgreSQL (or PGlite) does not: the API roles, the auth schema
-- with auth.uid()/auth.jwt()/auth.role() reading request.jwt.claims, a users table, and realtime.send()
-- delivered through pg_notify. Applied only outside Supabase, before supabase/migrations; the
-- signatures match Supabase's so the migrations run unchanged on every back end.

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
end
$$;

-- The server connects as one login role and switches to these per transaction, as PostgREST does.
do $$
begin
  execute format('grant anon, authenticated, service_role to %I', current_user);
end
$$;

-- The server's own health checks read which migrations are applied.
grant usage on schema supabase_migrations to service_role;
grant select on supabase_migrations.schema_migrations to service_role;

create schema if not exists auth;
create schema if not exists realtime;
grant usage on schema auth, realtime to anon, authenticated, service_role;

create table if not exists auth.users (
  id uuid primary key default gen_random_uuid(),
  email text unique,
  encrypted_password text,
  is_anonymous boolean not null default false,
  raw_user_meta_data jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  last_sign_in_at timestamptz
);
-- Only the server (service_role) reads credentials.
revoke all on auth.users from anon, authenticated;
grant select, insert, update, delete on auth.users to service_role;

create or replace function auth.jwt() returns jsonb
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

create or replace function auth.uid() returns uuid
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.role() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

create or replace function auth.email() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$;

-- Supabase stores broadcasts in realtime.messages and authorises channel joins with RLS on it;
-- the table exists here so the same policies apply, but messages travel through pg_notify.
create table if not exists realtime.messages (
  id uuid not null default gen_random_uuid() primary key,
  topic text not null,
  extension text not null default 'broadcast',
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp not null default now(),
  inserted_at timestamp not null default now()
);
alter table realtime.messages enable row level security;
grant select, insert on realtime.messages to authenticated;

create or replace function realtime.topic() returns text
language sql stable
as $$
  select nullif(current_setting('realtime.topic', true), '')::text
$$;

create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- pg_notify payloads are limited to 8000 bytes; publishers keep payloads small.
  perform pg_notify(
    'realtime',
    jsonb_build_object('topic', topic, 'event', event, 'payload', payload, 'private', private)::text
  );
end
$$;
grant execute on function realtime.send(jsonb, text, text, boolean) to anon, authenticated, service_role;
