-- Hosted Supabase lets postgres create and change policies on realtime.messages although
-- supabase_realtime_admin owns the table: the image's supautils configuration lists the table under
-- `supautils.policy_grants` for postgres. supautils is a server extension this test cluster does not
-- load; membership of the owning role, the arrangement Realtime itself made before policy grants
-- (its create_realtime_admin_and_move_ownership migration granted supabase_realtime_admin to
-- postgres), gives postgres the same right to create the policy. A cluster without this file stands
-- for a self-hosted Supabase without that setting.
grant supabase_realtime_admin to postgres;
