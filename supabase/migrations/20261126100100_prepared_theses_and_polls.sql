-- Preparing the day: the organiser (or the chair) writes theses with their authors before anyone
-- joins, orders them, and prepares the polls of each thesis, which the chair opens with one key.
-- Prepared polls are drafts: only the staff see them until they open.

-- Theses ---------------------------------------------------------------------------------------------

-- A prepared thesis goes straight into the queue, in the name of whoever brings it.
create or replace function public.add_thesis(p_event_id uuid, p_text text, p_author_name text default null)
returns public.theses
language plpgsql security definer
set search_path = ''
as $$
declare
  v_thesis public.theses;
begin
  perform private.require_role(p_event_id, 'chair');
  insert into public.theses (event_id, text, author_name, created_by, status, position)
  values (p_event_id, private.clean_text(p_text, 'The thesis', 1000), nullif(left(btrim(p_author_name), 200), ''),
          (select auth.uid()), 'approved',
          coalesce((select max(position) + 1 from public.theses where event_id = p_event_id), 0))
  returning * into v_thesis;
  return v_thesis;
end
$$;

-- The chair corrects a thesis and who brought it. A new author name is no longer the member who
-- submitted it.
create or replace function public.update_thesis(p_thesis_id uuid, p_text text, p_author_name text default null)
returns public.theses
language plpgsql security definer
set search_path = ''
as $$
declare
  v_thesis public.theses;
  v_author text := nullif(left(btrim(p_author_name), 200), '');
begin
  select * into v_thesis from public.theses where id = p_thesis_id;
  if not found then
    perform private.fail('KD404', 'This thesis does not exist.');
  end if;
  perform private.require_role(v_thesis.event_id, 'chair');
  update public.theses set text = private.clean_text(p_text, 'The thesis', 1000), author_name = v_author,
    author_member_id = case when v_author is not distinct from author_name then author_member_id end
  where id = p_thesis_id returning * into v_thesis;
  return v_thesis;
end
$$;

-- Deleting is for what was prepared and not used: a thesis with a record of the day (notes, votes,
-- a discussion, theses merged into it) is refused with a sentence that says what to do instead.
create or replace function public.delete_thesis(p_thesis_id uuid) returns void
language plpgsql security definer
set search_path = ''
as $$
declare
  v_thesis public.theses;
begin
  select * into v_thesis from public.theses where id = p_thesis_id;
  if not found then
    perform private.fail('KD404', 'This thesis does not exist.');
  end if;
  perform private.require_role(v_thesis.event_id, 'chair');
  if v_thesis.status in ('in_discussion', 'discussed')
     or exists (select 1 from public.notes where thesis_id = p_thesis_id)
     or exists (select 1 from public.polls where thesis_id = p_thesis_id and status <> 'draft') then
    perform private.fail('KD409', 'This thesis is part of the day''s record (discussed, with notes or votes): it cannot be deleted. Reject it instead.');
  end if;
  if exists (select 1 from public.theses where merged_into_id = p_thesis_id) then
    perform private.fail('KD409', 'Other theses were merged into this one: undo those merges first.');
  end if;
  delete from public.theses where id = p_thesis_id;
end
$$;

-- Polls ----------------------------------------------------------------------------------------------

-- A poll as the chair asked for it, checked but not yet stored: on a thesis or an agenda item of the
-- event, the options of its kind, the question (by default the thesis or the item's title).
create or replace function private.poll_spec(
  p_event_id uuid, p_thesis_id uuid, p_agenda_item_id uuid, p_kind text, p_options text[], p_phase text,
  p_question text, p_hide_results boolean
) returns public.polls
language plpgsql stable
set search_path = ''
as $$
declare
  v_poll public.polls;
  v_subject text;
begin
  if (p_thesis_id is null) = (p_agenda_item_id is null) then
    perform private.fail('KD400', 'A poll is on a thesis or on an agenda item: name one of them.');
  end if;
  if p_kind is null or p_kind not in ('agree5', 'yes_no', 'choice', 'scale10', 'word_cloud') then
    perform private.fail('KD400', 'Kind must be agree5, yes_no, choice, scale10 or word_cloud.');
  end if;
  if p_phase is not null and p_phase not in ('before', 'after') then
    perform private.fail('KD400', 'Phase must be before or after.');
  end if;
  if p_thesis_id is not null then
    select text into v_subject from public.theses where id = p_thesis_id and event_id = p_event_id;
    if not found then
      perform private.fail('KD404', 'This thesis is not part of the event.');
    end if;
  else
    select title into v_subject from public.agenda_items where id = p_agenda_item_id and event_id = p_event_id;
    if not found then
      perform private.fail('KD404', 'This agenda item is not part of the event.');
    end if;
  end if;
  if p_kind = 'choice' then
    select array_agg(private.clean_text(o, 'An option', 200)) into v_poll.options from unnest(p_options) o;
    if coalesce(cardinality(v_poll.options), 0) not between 2 and 20 then
      perform private.fail('KD400', 'A multiple-choice poll needs between 2 and 20 options.');
    end if;
  else
    v_poll.options := private.default_options(p_kind, (select language from public.events where id = p_event_id));
  end if;
  v_poll.event_id := p_event_id;
  v_poll.thesis_id := p_thesis_id;
  v_poll.agenda_item_id := p_agenda_item_id;
  v_poll.kind := p_kind;
  v_poll.phase := p_phase;
  v_poll.question := coalesce(nullif(left(btrim(p_question), 1000), ''), v_subject);
  v_poll.hide_results := coalesce(p_hide_results, false);
  return v_poll;
end
$$;

create or replace function public.open_poll(
  p_event_id uuid, p_thesis_id uuid default null, p_agenda_item_id uuid default null,
  p_kind text default 'agree5', p_options text[] default null, p_phase text default null,
  p_question text default null, p_hide_results boolean default false, p_close_open boolean default false
) returns public.polls
language plpgsql security definer
set search_path = ''
as $$
declare
  v_spec public.polls;
  v_conflict text;
  v_poll public.polls;
begin
  perform private.require_role(p_event_id, 'chair');
  v_spec := private.poll_spec(p_event_id, p_thesis_id, p_agenda_item_id, p_kind, p_options, p_phase, p_question, p_hide_results);
  -- Two chairs pressing O at once are taken one after the other.
  perform 1 from public.events where id = p_event_id for update;
  v_conflict := private.open_poll_conflict(p_event_id, null);
  if v_conflict is not null and not coalesce(p_close_open, false) then
    perform private.fail('KD409', v_conflict);
  end if;
  perform private.close_open_polls(p_event_id);
  insert into public.polls (event_id, thesis_id, agenda_item_id, question, kind, options, phase, status,
                            hide_results, opened_at)
  values (p_event_id, v_spec.thesis_id, v_spec.agenda_item_id, v_spec.question, v_spec.kind, v_spec.options,
          v_spec.phase, 'open', v_spec.hide_results, now())
  returning * into v_poll;
  return v_poll;
end
$$;

-- A poll prepared before the day: stored as a draft that the staff see and the chair opens later.
create or replace function public.prepare_poll(
  p_event_id uuid, p_thesis_id uuid default null, p_agenda_item_id uuid default null,
  p_kind text default 'agree5', p_options text[] default null, p_phase text default null,
  p_question text default null, p_hide_results boolean default false
) returns public.polls
language plpgsql security definer
set search_path = ''
as $$
declare
  v_spec public.polls;
  v_poll public.polls;
begin
  perform private.require_role(p_event_id, 'chair');
  v_spec := private.poll_spec(p_event_id, p_thesis_id, p_agenda_item_id, p_kind, p_options, p_phase, p_question, p_hide_results);
  if (select count(*) from public.polls where event_id = p_event_id and status = 'draft'
        and (thesis_id = p_thesis_id or agenda_item_id = p_agenda_item_id)) >= 10 then
    perform private.fail('KD409', 'A thesis or agenda item holds at most 10 prepared polls.');
  end if;
  insert into public.polls (event_id, thesis_id, agenda_item_id, question, kind, options, phase, status, hide_results)
  values (p_event_id, v_spec.thesis_id, v_spec.agenda_item_id, v_spec.question, v_spec.kind, v_spec.options,
          v_spec.phase, 'draft', v_spec.hide_results)
  returning * into v_poll;
  return v_poll;
end
$$;

-- A prepared poll that was never opened can go; one that was opened is part of the day's record.
create or replace function public.delete_prepared_poll(p_poll_id uuid) returns void
language plpgsql security definer
set search_path = ''
as $$
declare
  v_poll public.polls;
begin
  select * into v_poll from public.polls where id = p_poll_id;
  if not found then
    perform private.fail('KD404', 'This poll does not exist.');
  end if;
  perform private.require_role(v_poll.event_id, 'chair');
  if v_poll.status <> 'draft' then
    perform private.fail('KD409', 'This poll has been opened: its votes are part of the day''s record.');
  end if;
  delete from public.polls where id = p_poll_id;
end
$$;

-- Opens a prepared poll, with the same rule as open_poll: a poll that is open is closed first (its
-- votes kept) only when the chair confirms it.
create or replace function public.open_prepared_poll(p_poll_id uuid, p_close_open boolean default false)
returns public.polls
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
  if v_poll.status <> 'draft' then
    perform private.fail('KD409', 'This poll was opened before; reopen it instead.');
  end if;
  perform 1 from public.events where id = v_poll.event_id for update;
  v_conflict := private.open_poll_conflict(v_poll.event_id, p_poll_id);
  if v_conflict is not null and not coalesce(p_close_open, false) then
    perform private.fail('KD409', v_conflict);
  end if;
  perform private.close_open_polls(v_poll.event_id);
  update public.polls set status = 'open', opened_at = now(), closed_at = null
  where id = p_poll_id returning * into v_poll;
  return v_poll;
end
$$;

revoke execute on function public.add_thesis(uuid, text, text), public.update_thesis(uuid, text, text),
  public.delete_thesis(uuid), public.prepare_poll(uuid, uuid, uuid, text, text[], text, text, boolean),
  public.delete_prepared_poll(uuid), public.open_prepared_poll(uuid, boolean) from public, anon;
grant execute on function public.add_thesis(uuid, text, text), public.update_thesis(uuid, text, text),
  public.delete_thesis(uuid), public.prepare_poll(uuid, uuid, uuid, text, text[], text, text, boolean),
  public.delete_prepared_poll(uuid), public.open_prepared_poll(uuid, boolean) to authenticated, service_role;
-- poll_spec runs inside the functions above (as their owner): nobody else calls it.
revoke execute on function private.poll_spec(uuid, uuid, uuid, text, text[], text, text, boolean) from public, anon, authenticated;
