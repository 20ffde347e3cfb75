-- The roles of Supabase's Postgres image, for a cluster of the test suite's own whose bootstrap
-- superuser is supabase_admin (the image's POSTGRES_USER). Written from the behaviour Supabase
-- documents in its Postgres image (migrations/db/init-scripts and migrations/db/migrations of
-- supabase/postgres); role attributes as the image leaves them today. Run once per cluster.
-- :'password' is the one password every login role gets in the test cluster.

-- postgres: the role a project's owner connects as. Created as superuser for the init scripts, then
-- demoted: no superuser, but createdb, createrole, replication and bypassrls (demote-postgres).
create role postgres login nosuperuser createdb createrole replication bypassrls password :'password';

-- The API roles PostgREST switches to. Created noinherit, made inherit later
-- (alter_api_roles_for_inherit); service_role bypasses row-level security.
create role anon nologin inherit;
create role authenticated nologin inherit;
create role service_role nologin inherit bypassrls;
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';

-- authenticator: PostgREST's login role. It has none of the API roles' rights itself (noinherit)
-- and may only switch to them with `set role` (initial-schema; supabase_admin was revoked from it
-- again by revoke_admin).
create role authenticator login noinherit password :'password';
grant anon, authenticated, service_role to authenticator;
alter role authenticator set statement_timeout = '8s';
alter role authenticator set lock_timeout = '8s';

-- postgres may act as the API roles (grant_auth_roles_to_postgres).
grant anon, authenticated, service_role to postgres;

-- Supabase Auth (GoTrue) connects as supabase_auth_admin and owns the auth schema's tables; postgres is
-- no longer a member of it (revoke_admin_roles_from_postgres).
create role supabase_auth_admin login noinherit createrole noreplication password :'password';

-- Realtime's tables and functions belong to supabase_realtime_admin, a role nobody logs in as
-- (Realtime's restrict_realtime_schema migration, and the image's role list).
create role supabase_realtime_admin nologin noinherit noreplication;

-- Supabase Storage's owner (not used by Kennisdag; present so the role list matches).
create role supabase_storage_admin login noinherit createrole noreplication password :'password';

-- The dashboard's role.
create role dashboard_user nosuperuser createdb createrole replication;
