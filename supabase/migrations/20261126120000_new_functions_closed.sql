-- New functions are closed until granted: a function a later migration creates in public or private
-- may be executed by its owner and by nobody else until the migration grants it to exactly the roles
-- that need it. A migration that forgets its grant fails its tests; one that forgets its revoke no
-- longer opens a door.
--
-- Default privileges belong to the role that creates the objects; without `for role` these are the
-- current role's, the role the migrations run as: postgres on Supabase (`supabase db push`), the
-- server's login role on PostgreSQL, the superuser on PGlite. Functions created by other roles
-- (supabase_admin's, Supabase's own schemas) are not touched.
--
-- PostgreSQL lets every role (public) execute a new function unless the role-wide default says
-- otherwise, and a per-schema default can only add to the role-wide one: so the revoke from public is
-- role-wide, and applies to the functions this role creates in any schema (outside Supabase also to
-- a new function of the compatibility layer's auth or realtime schema, which grants its callers too).
alter default privileges revoke execute on functions from public;

-- Supabase grants what postgres creates in public to the API roles (its initial schema runs, as
-- postgres, `alter default privileges in schema public grant all on functions to postgres, anon,
-- authenticated, service_role`). Take that back for functions; postgres owns them anyway. Supabase
-- grants nothing by default in private, and outside Supabase there is no such grant to take back.
alter default privileges in schema public revoke execute on functions from anon, authenticated, service_role;
