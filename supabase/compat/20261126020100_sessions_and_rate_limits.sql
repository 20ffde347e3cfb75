-- What Supabase Auth keeps server-side and the embedded back ends need too: sign-in sessions, so that
-- signing out ends a session on every app server (a token names its session in the `session_id`
-- claim, as Supabase's do), and rate-limit counters that several app servers on one PostgreSQL share.

create table if not exists auth.sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  not_after timestamptz not null
);
create index if not exists sessions_user_id_idx on auth.sessions (user_id);
-- Only the server (service_role) reads and ends sessions.
revoke all on auth.sessions from anon, authenticated;
grant select, insert, delete on auth.sessions to service_role;

-- The counters of rate-limiter-flexible's PostgreSQL store, used by the app server's own connection.
create schema if not exists server;
revoke all on schema server from public;
create table if not exists server.rate_limits (
  key varchar(255) primary key,
  points integer not null default 0,
  expire bigint
);
