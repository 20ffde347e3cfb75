-- Group commit for votes: when a hall votes at once, the app server writes the votes that arrive
-- together in one transaction (one commit, one round trip) instead of one transaction each.
--
-- Each vote is still cast by public.cast_vote as its own voter: the role switches to the voter's role
-- (as PostgREST would) with the voter's claims in request.jwt.claims, so the grants, auth.uid() and
-- every rule of cast_vote apply exactly as for a single vote. Each vote runs in a block of its own (a
-- subtransaction): a refused vote is rolled back alone, with its role and claims, and answers with its
-- SQLSTATE while the others are written. Copies of one request in one batch see the first copy's
-- receipt and answer as it did.
--
-- Only the server's own login role may run this: it may switch to any of the API roles anyway, while
-- a client that could name the claims would vote as anyone. So it is security invoker (a security
-- definer function may not switch roles) and no API role may execute it. On Supabase the app server
-- calls cast_vote through PostgREST and this function is never used.
create or replace function private.cast_votes(p_calls jsonb) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_call jsonb;
  v_outcomes jsonb[] := '{}';
  v_sqlstate text;
  v_message text;
  v_constraint text;
begin
  for v_call in select value from jsonb_array_elements(p_calls) loop
    begin
      if coalesce(v_call ->> 'role', '') not in ('anon', 'authenticated', 'service_role') then
        raise exception 'A vote is cast under one of the API roles.' using errcode = '42501';
      end if;
      perform set_config('role', v_call ->> 'role', true),
              set_config('request.jwt.claims', v_call ->> 'claims', true);
      v_outcomes := v_outcomes || jsonb_build_object('result', public.cast_vote(
        p_poll_id => (v_call ->> 'p_poll_id')::uuid,
        p_option_index => (v_call ->> 'p_option_index')::integer,
        p_word => v_call ->> 'p_word',
        p_idempotency_key => v_call ->> 'p_idempotency_key',
        p_event_id => (v_call ->> 'p_event_id')::uuid));
      perform set_config('role', 'none', true);
    exception when others then
      get stacked diagnostics v_sqlstate = returned_sqlstate, v_message = message_text, v_constraint = constraint_name;
      v_outcomes := v_outcomes || jsonb_build_object('error',
        jsonb_build_object('code', v_sqlstate, 'message', v_message, 'constraint', nullif(v_constraint, '')));
    end;
  end loop;
  perform set_config('request.jwt.claims', '', true);
  return to_jsonb(v_outcomes);
end
$$;

revoke execute on function private.cast_votes(jsonb) from public, anon, authenticated, service_role;
