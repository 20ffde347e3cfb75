-- One Supabase project's database, as Supabase's Postgres image, Supabase Auth and Supabase Realtime
-- leave it before the project's own migrations run. Run as supabase_admin in a database owned by
-- postgres (on Supabase the database `postgres` belongs to postgres). Written by this project from the
-- behaviour Supabase documents; only what Kennisdag's migrations and clients touch is here.

alter database :"database" set timezone to 'UTC';

-- Extensions live in their own schema, usable by the API roles (initial-schema).
create schema extensions;
create extension pgcrypto with schema extensions;
create extension "uuid-ossp" with schema extensions;
grant usage on schema extensions to postgres, anon, authenticated, service_role;

-- The public schema: whatever postgres or supabase_admin create in it is granted in full to the API
-- roles by default (initial-schema: `alter default privileges in schema public grant all on tables,
-- functions, sequences to postgres, anon, authenticated, service_role`, run as postgres and again for
-- supabase_admin). A migration that creates a table or function must take back what it does not mean
-- to give.
grant usage on schema public to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public grant all on sequences to postgres, anon, authenticated, service_role;

-- Supabase Auth ------------------------------------------------------------------------------------
-- The auth schema belongs to supabase_admin; its tables to supabase_auth_admin (auth-schema init
-- script, update-auth-permissions). postgres keeps every right on the tables created at init
-- (demote-postgres) but may not create objects in the schema (revoke_admin_roles_from_postgres). The
-- API roles may use the schema (for auth.uid() and friends) but have no right on any table: the
-- service role reaches users through the Auth API, never through the tables.
create schema auth authorization supabase_admin;
grant usage on schema auth to anon, authenticated, service_role, postgres;
grant all on schema auth to supabase_auth_admin;

-- auth.users as Supabase Auth's migrations leave it (the columns a client or a migration may read).
create table auth.users (
  instance_id uuid,
  id uuid not null primary key,
  aud varchar(255),
  role varchar(255),
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  invited_at timestamptz,
  confirmation_token varchar(255),
  confirmation_sent_at timestamptz,
  recovery_token varchar(255),
  recovery_sent_at timestamptz,
  email_change varchar(255),
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  is_super_admin boolean,
  created_at timestamptz,
  updated_at timestamptz,
  phone text unique default null,
  phone_confirmed_at timestamptz,
  confirmed_at timestamptz generated always as (least(email_confirmed_at, phone_confirmed_at)) stored,
  banned_until timestamptz,
  deleted_at timestamptz,
  is_sso_user boolean not null default false,
  -- Anonymous sign-ins (add_is_anonymous_column): a user without e-mail or phone.
  is_anonymous boolean not null default false
);
-- E-mail addresses are unique among non-SSO users (GoTrue's partial index).
create unique index users_email_partial_key on auth.users (email) where is_sso_user = false;
create index users_is_anonymous_idx on auth.users (is_anonymous);

-- Sessions: the session_id claim of an access token names one of these; they go with their user.
create table auth.sessions (
  id uuid not null primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz,
  updated_at timestamptz,
  aal text
);

-- Row-level security on every auth table, without policies (enable_rls_update_grants).
alter table auth.users enable row level security;
alter table auth.sessions enable row level security;
alter table auth.users owner to supabase_auth_admin;
alter table auth.sessions owner to supabase_auth_admin;
grant all on auth.users, auth.sessions to postgres, dashboard_user;

-- The claims functions PostgREST's settings feed (update_auth_functions, add_auth_jwt_function):
-- request.jwt.claims holds the whole token; the older request.jwt.claim.* settings still win. The
-- compatibility layer defines auth.uid(), auth.role(), auth.email() and auth.jwt() for the other back
-- ends word for word as Supabase does; cluster.ts puts its definitions here.
:auth_claim_functions
alter function auth.uid() owner to supabase_auth_admin;
alter function auth.role() owner to supabase_auth_admin;
alter function auth.email() owner to supabase_auth_admin;
alter function auth.jwt() owner to supabase_auth_admin;
grant all on function auth.uid(), auth.role(), auth.email(), auth.jwt() to postgres, dashboard_user;

-- Supabase Realtime --------------------------------------------------------------------------------
-- The realtime schema belongs to supabase_admin; postgres may use it (with grant option) but not
-- create in it (grant_realtime_schema_to_postgres_with_grant_option, revoke_admin_roles_from_postgres).
create schema realtime;
grant usage on schema realtime to postgres with grant option;
grant usage on schema realtime to anon, authenticated, service_role;

-- Broadcasts from the database and channel authorisation both use realtime.messages: partitioned by
-- day on inserted_at, row-level security on, owned by supabase_realtime_admin (Realtime's
-- messages_partitioning, messages_using_uuid and restrict_realtime_schema migrations). The API roles
-- and postgres may select, insert and update; policies decide what they see.
create table realtime.messages (
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp not null default now(),
  inserted_at timestamp not null default now(),
  id uuid not null default gen_random_uuid(),
  primary key (id, inserted_at)
) partition by range (inserted_at);
create index messages_inserted_at_topic_index on realtime.messages (inserted_at desc, topic)
  where extension = 'broadcast' and private is true;
alter table realtime.messages enable row level security;
alter table realtime.messages owner to supabase_realtime_admin;
grant select, insert, update on realtime.messages to postgres, anon, authenticated, service_role;

-- The topic of the channel being authorised, set by Realtime (and by realtime.send) per transaction.
create function realtime.topic() returns text
language sql stable
as $$
  select nullif(current_setting('realtime.topic', true), '')::text;
$$;
alter function realtime.topic() owner to supabase_realtime_admin;

-- realtime.send runs as its caller (not security definer): it sets realtime.topic for the
-- transaction, adds an id to the payload, and inserts the broadcast into today's partition. Any
-- error (no partition for today, a policy that refuses) becomes a warning, so the broadcast is lost
-- but the caller's transaction is not (broadcast_send_include_payload_id, rename_broadcast_send_warning).
create function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void
language plpgsql
as $$
declare
  generated_id uuid;
  final_payload jsonb;
begin
  begin
    generated_id := gen_random_uuid();
    if payload ? 'id' then
      final_payload := payload;
    else
      final_payload := jsonb_set(payload, '{id}', to_jsonb(generated_id));
    end if;
    execute format('set local realtime.topic to %L', topic);
    insert into realtime.messages (id, payload, event, topic, private, extension)
    values (generated_id, final_payload, event, topic, private, 'broadcast');
  exception
    when others then
      raise warning 'WarnSendingBroadcastMessage: %', sqlerrm;
  end;
end;
$$;
alter function realtime.send(jsonb, text, text, boolean) owner to supabase_realtime_admin;

-- Realtime keeps partitions from yesterday to three days ahead, by UTC date, each owned by
-- supabase_realtime_admin (Realtime.Tenants.create_messages_partitions, run at connect and by the
-- janitor).
do $$
declare
  d date;
  partition_name text;
begin
  for d in select generate_series(current_date - 1, current_date + 3, interval '1 day')::date loop
    partition_name := 'messages_' || to_char(d, 'YYYY_MM_DD');
    execute format('create table realtime.%I partition of realtime.messages for values from (%L) to (%L)',
                   partition_name, d, d + 1);
    execute format('alter table realtime.%I owner to supabase_realtime_admin', partition_name);
  end loop;
end
$$;
