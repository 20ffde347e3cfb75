-- The day's record outlives the accounts that made it. Participants are anonymous accounts, and
-- Supabase Auth (or a scheduled clean-up) may delete them; their votes, theses and notes stay part of
-- the event. Votes no longer follow their account into deletion: voter_id keeps the id, which still
-- makes a vote one per voter and poll. Theses and notes already keep their rows (their account
-- columns are set to null). Erasing a person's part of an event is a separate, deliberate act.

alter table public.votes drop constraint votes_voter_id_fkey;

-- An organiser of the event (or the server) erases one member: their votes in the event, their name
-- on theses and notes, and their membership. The theses and notes themselves stay.
create or replace function public.erase_member(p_member_id uuid) returns jsonb
language plpgsql security definer
set search_path = ''
as $$
declare
  v_member public.event_members;
  v_votes integer := 0;
  v_theses integer;
  v_notes integer := 0;
begin
  select * into v_member from public.event_members where id = p_member_id;
  if not found then
    perform private.fail('KD404', 'This member does not exist.');
  end if;
  if coalesce((select auth.role()), '') <> 'service_role' then
    perform private.require_role(v_member.event_id, 'organiser');
  end if;
  if v_member.role = 'organiser' and (
    select count(*) from public.event_members where event_id = v_member.event_id and role = 'organiser'
  ) <= 1 then
    perform private.fail('KD409', 'An event keeps at least one organiser.');
  end if;
  if v_member.user_id is not null then
    delete from public.votes where event_id = v_member.event_id and voter_id = v_member.user_id;
    get diagnostics v_votes = row_count;
    update public.notes set author_id = null, author_name = null
    where event_id = v_member.event_id and author_id = v_member.user_id;
    get diagnostics v_notes = row_count;
  end if;
  update public.theses set author_member_id = null, author_name = null, created_by = null
  where event_id = v_member.event_id
    and (author_member_id = p_member_id or (v_member.user_id is not null and created_by = v_member.user_id));
  get diagnostics v_theses = row_count;
  delete from public.event_members where id = p_member_id;
  return jsonb_build_object('votes', v_votes, 'theses', v_theses, 'notes', v_notes);
end
$$;

revoke execute on function public.erase_member(uuid) from public, anon;
grant execute on function public.erase_member(uuid) to authenticated, service_role;
