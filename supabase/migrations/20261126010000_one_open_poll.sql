-- A poll that is open holds the room's votes. Opening or reopening another poll while one is open is
-- refused with a sentence that says what is open, unless the chair confirms that it closes first
-- (p_close_open). Either way a closed poll keeps every vote it received.

-- Called only from the security-definer functions below, so nobody else needs to execute it.
create or replace function private.open_poll_conflict(p_event_id uuid, p_except_poll_id uuid) returns text
language sql stable
set search_path = ''
as $$
  select format('A poll is already open (“%s”, %s). Close it first, or confirm that it closes before the next one opens; its votes are kept.',
                left(p.question, 80),
                case (private.poll_tally(p) ->> 'total')::integer when 1 then '1 vote' else (private.poll_tally(p) ->> 'total') || ' votes' end)
  from public.polls p
  where p.event_id = p_event_id and p.status = 'open' and p.id is distinct from p_except_poll_id
$$;

drop function public.open_poll(uuid, uuid, uuid, text, text[], text, text, boolean);

create function public.open_poll(
  p_event_id uuid, p_thesis_id uuid default null, p_agenda_item_id uuid default null,
  p_kind text default 'agree5', p_options text[] default null, p_phase text default null,
  p_question text default null, p_hide_results boolean default false, p_close_open boolean default false
) returns public.polls
language plpgsql security definer
set search_path = ''
as $$
declare
  v_language text;
  v_question text;
  v_options text[];
  v_conflict text;
  v_poll public.polls;
begin
  perform private.require_role(p_event_id, 'chair');
  if (p_thesis_id is null) = (p_agenda_item_id is null) then
    perform private.fail('KD400', 'A poll is on a thesis or on an agenda item: name one of them.');
  end if;
  if p_kind is null or p_kind not in ('agree5', 'yes_no', 'choice', 'scale10', 'word_cloud') then
    perform private.fail('KD400', 'Kind must be agree5, yes_no, choice, scale10 or word_cloud.');
  end if;
  if p_phase is not null and p_phase not in ('before', 'after') then
    perform private.fail('KD400', 'Phase must be before or after.');
  end if;
  -- Two chairs pressing O at once are taken one after the other.
  select language into v_language from public.events where id = p_event_id for update;
  if p_thesis_id is not null then
    select text into v_question from public.theses where id = p_thesis_id and event_id = p_event_id;
    if not found then
      perform private.fail('KD404', 'This thesis is not part of the event.');
    end if;
  else
    select title into v_question from public.agenda_items where id = p_agenda_item_id and event_id = p_event_id;
    if not found then
      perform private.fail('KD404', 'This agenda item is not part of the event.');
    end if;
  end if;
  if p_kind = 'choice' then
    select array_agg(private.clean_text(o, 'An option', 200)) into v_options from unnest(p_options) o;
    if coalesce(cardinality(v_options), 0) not between 2 and 20 then
      perform private.fail('KD400', 'A multiple-choice poll needs between 2 and 20 options.');
    end if;
  else
    v_options := private.default_options(p_kind, v_language);
  end if;
  v_conflict := private.open_poll_conflict(p_event_id, null);
  if v_conflict is not null and not coalesce(p_close_open, false) then
    perform private.fail('KD409', v_conflict);
  end if;
  perform private.close_open_polls(p_event_id);
  insert into public.polls (event_id, thesis_id, agenda_item_id, question, kind, options, phase, status,
                            hide_results, opened_at)
  values (p_event_id, p_thesis_id, p_agenda_item_id,
          coalesce(nullif(left(btrim(p_question), 1000), ''), v_question), p_kind, v_options, p_phase,
          'open', coalesce(p_hide_results, false), now())
  returning * into v_poll;
  return v_poll;
end
$$;

create or replace function public.reopen_poll(p_poll_id uuid) returns public.polls
language plpgsql security definer
set search_path = ''
as $$
declare
  v_poll public.polls;
  v_conflict text;
begin
  select * into v_poll from public.polls where id = p_poll_id;
  if not found then
    perform private.fail('KD404', 'This poll does not exist.');
  end if;
  perform private.require_role(v_poll.event_id, 'chair');
  if v_poll.status = 'open' then
    return v_poll;
  end if;
  perform 1 from public.events where id = v_poll.event_id for update;
  v_conflict := private.open_poll_conflict(v_poll.event_id, p_poll_id);
  if v_conflict is not null then
    perform private.fail('KD409', v_conflict);
  end if;
  update public.polls set status = 'open', opened_at = coalesce(opened_at, now()), closed_at = null
  where id = p_poll_id returning * into v_poll;
  return v_poll;
end
$$;

revoke execute on function private.open_poll_conflict(uuid, uuid) from public, anon, authenticated;
revoke execute on function public.open_poll(uuid, uuid, uuid, text, text[], text, text, boolean, boolean) from public, anon;
grant execute on function public.open_poll(uuid, uuid, uuid, text, text[], text, text, boolean, boolean) to authenticated, service_role;
