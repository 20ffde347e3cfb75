-- Every state change of a knowledge day is one of these functions, called as RPC. Each checks who is
-- calling and whether the change fits the state the event is in, then changes rows in one transaction.
-- Errors carry an SQLSTATE of the KDxxx family that the server maps to an HTTP status:
--   KD401 not signed in, KD403 not allowed, KD404 not found, KD409 not in this state, KD400 bad input.

create or replace function private.fail(p_code text, p_message text) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  raise exception using errcode = p_code, message = p_message;
end
$$;

create or replace function private.require_user() returns uuid
language plpgsql stable
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
begin
  if v_uid is null then
    perform private.fail('KD401', 'Sign in first.');
  end if;
  return v_uid;
end
$$;

create or replace function private.require_role(p_event_id uuid, p_at_least text) returns void
language plpgsql stable security definer
set search_path = ''
as $$
begin
  perform private.require_user();
  if not exists (select 1 from public.events where id = p_event_id) then
    perform private.fail('KD404', 'This event does not exist.');
  end if;
  if not private.has_role(p_event_id, p_at_least) then
    if private.is_member(p_event_id) then
      perform private.fail('KD403', format('Only the %s can do this.', replace(p_at_least, '_', '-')));
    end if;
    perform private.fail('KD403', 'You are not a member of this event.');
  end if;
end
$$;

create or replace function private.clean_text(p_text text, p_field text, p_max integer) returns text
language plpgsql immutable
set search_path = ''
as $$
declare
  v text := btrim(regexp_replace(coalesce(p_text, ''), '\s+', ' ', 'g'));
begin
  if v = '' then
    perform private.fail('KD400', format('%s is empty.', p_field));
  end if;
  if length(v) > p_max then
    perform private.fail('KD400', format('%s is longer than %s characters.', p_field, p_max));
  end if;
  return v;
end
$$;

create or replace function private.new_join_code() returns text
language plpgsql volatile
set search_path = ''
as $$
declare
  alphabet constant text := 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  v_code text;
begin
  loop
    select string_agg(substr(alphabet, 1 + floor(random() * length(alphabet))::integer, 1), '')
      into v_code from generate_series(1, 6);
    exit when not exists (select 1 from public.events where join_code = v_code);
  end loop;
  return v_code;
end
$$;

create or replace function private.default_options(p_kind text, p_language text) returns text[]
language sql immutable
set search_path = ''
as $$
  select case p_kind
    when 'agree5' then case p_language
      when 'nl' then array['Helemaal oneens', 'Oneens', 'Neutraal', 'Eens', 'Helemaal eens']
      else array['Strongly disagree', 'Disagree', 'Neutral', 'Agree', 'Strongly agree'] end
    when 'yes_no' then case p_language when 'nl' then array['Ja', 'Nee'] else array['Yes', 'No'] end
    when 'scale10' then array['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']
    else array[]::text[] end
$$;

create or replace function private.display_name() returns text
language sql stable security definer
set search_path = ''
as $$
  select coalesce(nullif(u.raw_user_meta_data ->> 'name', ''), split_part(u.email, '@', 1), 'Organiser')
  from auth.users u where u.id = (select auth.uid())
$$;

-- Events ---------------------------------------------------------------------------------------------

create or replace function public.create_event(
  p_title text, p_starts_on date default null, p_language text default 'nl',
  p_question text default null, p_venue text default null
) returns public.events
language plpgsql security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_event public.events;
begin
  if not private.is_registered_user() then
    perform private.fail('KD403', 'Only organisers with an account can create events.');
  end if;
  if p_language is null or p_language not in ('nl', 'en') then
    perform private.fail('KD400', 'Language must be nl or en.');
  end if;
  insert into public.events (title, starts_on, language, question, venue, join_code, created_by)
  values (private.clean_text(p_title, 'Title', 200), p_starts_on, p_language,
          nullif(btrim(p_question), ''), nullif(btrim(p_venue), ''), private.new_join_code(), v_uid)
  returning * into v_event;
  insert into public.event_secrets (event_id) values (v_event.id);
  insert into public.event_members (event_id, user_id, role, name, listed)
  values (v_event.id, v_uid, 'organiser', coalesce(private.display_name(), 'Organiser'), false);
  return v_event;
end
$$;

create or replace function public.update_event(
  p_event_id uuid, p_title text, p_starts_on date, p_language text, p_question text, p_venue text,
  p_photos_url text default null, p_allow_llm boolean default false
) returns public.events
language plpgsql security definer
set search_path = ''
as $$
declare
  v_event public.events;
begin
  perform private.require_role(p_event_id, 'organiser');
  if p_language is null or p_language not in ('nl', 'en') then
    perform private.fail('KD400', 'Language must be nl or en.');
  end if;
  if nullif(btrim(p_photos_url), '') is not null and btrim(p_photos_url) !~ '^https?://' then
    perform private.fail('KD400', 'The photos link must start with http:// or https://.');
  end if;
  update public.events set
    title = private.clean_text(p_title, 'Title', 200), starts_on = p_starts_on, language = p_language,
    question = nullif(btrim(p_question), ''), venue = nullif(btrim(p_venue), ''),
    photos_url = nullif(btrim(p_photos_url), ''), allow_llm = coalesce(p_allow_llm, false)
  where id = p_event_id returning * into v_event;
  return v_event;
end
$$;

create or replace function public.set_event_status(p_event_id uuid, p_status text) returns public.events
language plpgsql security definer
set search_path = ''
as $$
declare
  v_event public.events;
begin
  perform private.require_role(p_event_id, 'organiser');
  if p_status is null or p_status not in ('draft', 'live', 'closed') then
    perform private.fail('KD400', 'Status must be draft, live or closed.');
  end if;
  update public.events set status = p_status where id = p_event_id returning * into v_event;
  return v_event;
end
$$;

-- What a join screen may show before joining: no more than the title and language.
create or replace function public.lookup_event(p_code text) returns jsonb
language sql stable security definer
set search_path = ''
as $$
  select jsonb_build_object('id', e.id, 'title', e.title, 'language', e.language, 'status', e.status)
  from public.events e
  where e.join_code = upper(btrim(p_code)) and e.status <> 'closed'
$$;

create or replace function public.join_event(
  p_code text, p_name text, p_organisation text default '', p_job_title text default '',
  p_listed boolean default false
) returns public.event_members
language plpgsql security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_event public.events;
  v_member public.event_members;
begin
  select * into v_event from public.events where join_code = upper(btrim(coalesce(p_code, '')));
  if not found then
    perform private.fail('KD404', 'No event has this code.');
  end if;
  if v_event.status = 'closed' then
    perform private.fail('KD409', 'This event is closed.');
  end if;
  insert into public.event_members (event_id, user_id, role, name, organisation, job_title, listed)
  values (v_event.id, v_uid, 'participant', private.clean_text(p_name, 'Name', 120),
          left(btrim(coalesce(p_organisation, '')), 160), left(btrim(coalesce(p_job_title, '')), 160),
          coalesce(p_listed, false))
  on conflict (event_id, user_id) do update set
    name = excluded.name, organisation = excluded.organisation, job_title = excluded.job_title,
    listed = excluded.listed
  returning * into v_member;
  return v_member;
end
$$;

create or replace function public.add_member(
  p_event_id uuid, p_name text, p_organisation text default '', p_job_title text default '',
  p_role text default 'participant', p_listed boolean default true
) returns public.event_members
language plpgsql security definer
set search_path = ''
as $$
declare
  v_member public.event_members;
begin
  perform private.require_role(p_event_id, 'organiser');
  if p_role is null or p_role not in ('organiser', 'chair', 'note_taker', 'participant') then
    perform private.fail('KD400', 'Role must be organiser, chair, note_taker or participant.');
  end if;
  insert into public.event_members (event_id, role, name, organisation, job_title, listed)
  values (p_event_id, p_role, private.clean_text(p_name, 'Name', 120),
          left(btrim(coalesce(p_organisation, '')), 160), left(btrim(coalesce(p_job_title, '')), 160),
          coalesce(p_listed, true))
  returning * into v_member;
  return v_member;
end
$$;

create or replace function public.set_member_role(p_member_id uuid, p_role text) returns public.event_members
language plpgsql security definer
set search_path = ''
as $$
declare
  v_member public.event_members;
begin
  select * into v_member from public.event_members where id = p_member_id;
  if not found then
    perform private.fail('KD404', 'This member does not exist.');
  end if;
  perform private.require_role(v_member.event_id, 'organiser');
  if p_role is null or p_role not in ('organiser', 'chair', 'note_taker', 'participant') then
    perform private.fail('KD400', 'Role must be organiser, chair, note_taker or participant.');
  end if;
  if v_member.role = 'organiser' and p_role <> 'organiser' and (
    select count(*) from public.event_members where event_id = v_member.event_id and role = 'organiser'
  ) = 1 then
    perform private.fail('KD409', 'An event keeps at least one organiser.');
  end if;
  update public.event_members set role = p_role where id = p_member_id returning * into v_member;
  return v_member;
end
$$;

-- Agenda ---------------------------------------------------------------------------------------------

create or replace function public.add_agenda_item(
  p_event_id uuid, p_title text, p_kind text default 'other', p_speaker text default null,
  p_planned_minutes integer default null
) returns public.agenda_items
language plpgsql security definer
set search_path = ''
as $$
declare
  v_item public.agenda_items;
begin
  perform private.require_role(p_event_id, 'chair');
  if p_kind is null or p_kind not in ('talk', 'discussion', 'break', 'other') then
    perform private.fail('KD400', 'Kind must be talk, discussion, break or other.');
  end if;
  if p_planned_minutes is not null and p_planned_minutes not between 0 and 1440 then
    perform private.fail('KD400', 'Planned minutes must be between 0 and 1440.');
  end if;
  insert into public.agenda_items (event_id, position, title, kind, speaker, planned_minutes)
  values (p_event_id,
          coalesce((select max(position) + 1 from public.agenda_items where event_id = p_event_id), 0),
          private.clean_text(p_title, 'Title', 300), p_kind, nullif(btrim(p_speaker), ''), p_planned_minutes)
  returning * into v_item;
  return v_item;
end
$$;

create or replace function public.update_agenda_item(
  p_agenda_item_id uuid, p_title text, p_kind text, p_speaker text, p_planned_minutes integer
) returns public.agenda_items
language plpgsql security definer
set search_path = ''
as $$
declare
  v_item public.agenda_items;
begin
  select * into v_item from public.agenda_items where id = p_agenda_item_id;
  if not found then
    perform private.fail('KD404', 'This agenda item does not exist.');
  end if;
  perform private.require_role(v_item.event_id, 'chair');
  if p_kind is null or p_kind not in ('talk', 'discussion', 'break', 'other') then
    perform private.fail('KD400', 'Kind must be talk, discussion, break or other.');
  end if;
  if p_planned_minutes is not null and p_planned_minutes not between 0 and 1440 then
    perform private.fail('KD400', 'Planned minutes must be between 0 and 1440.');
  end if;
  update public.agenda_items set title = private.clean_text(p_title, 'Title', 300), kind = p_kind,
    speaker = nullif(btrim(p_speaker), ''), planned_minutes = p_planned_minutes
  where id = p_agenda_item_id returning * into v_item;
  return v_item;
end
$$;

create or replace function public.delete_agenda_item(p_agenda_item_id uuid) returns void
language plpgsql security definer
set search_path = ''
as $$
declare
  v_item public.agenda_items;
begin
  select * into v_item from public.agenda_items where id = p_agenda_item_id;
  if not found then
    perform private.fail('KD404', 'This agenda item does not exist.');
  end if;
  perform private.require_role(v_item.event_id, 'chair');
  delete from public.agenda_items where id = p_agenda_item_id;
  update public.agenda_items set position = position - 1
  where event_id = v_item.event_id and position > v_item.position;
end
$$;

-- Sets the order of the agenda to the given ids; every item of the event must be named once.
create or replace function public.reorder_agenda(p_event_id uuid, p_agenda_item_ids uuid[]) returns void
language plpgsql security definer
set search_path = ''
as $$
begin
  perform private.require_role(p_event_id, 'chair');
  if (select count(*) from public.agenda_items where event_id = p_event_id) <> cardinality(p_agenda_item_ids)
     or exists (select 1 from unnest(p_agenda_item_ids) i
                where not exists (select 1 from public.agenda_items a where a.id = i and a.event_id = p_event_id))
     or (select count(distinct i) from unnest(p_agenda_item_ids) i) <> cardinality(p_agenda_item_ids) then
    perform private.fail('KD400', 'Name every agenda item of the event exactly once.');
  end if;
  update public.agenda_items a set position = o.ordinality - 1
  from unnest(p_agenda_item_ids) with ordinality o(id, ordinality)
  where a.id = o.id;
end
$$;

create or replace function public.start_agenda_item(p_agenda_item_id uuid) returns public.agenda_items
language plpgsql security definer
set search_path = ''
as $$
declare
  v_item public.agenda_items;
begin
  select * into v_item from public.agenda_items where id = p_agenda_item_id;
  if not found then
    perform private.fail('KD404', 'This agenda item does not exist.');
  end if;
  perform private.require_role(v_item.event_id, 'chair');
  update public.agenda_items set ended_at = now()
  where event_id = v_item.event_id and id <> v_item.id and started_at is not null and ended_at is null;
  update public.agenda_items set started_at = coalesce(started_at, now()), ended_at = null
  where id = v_item.id returning * into v_item;
  update public.events set current_agenda_item_id = v_item.id,
    status = case when status = 'draft' then 'live' else status end
  where id = v_item.event_id;
  return v_item;
end
$$;

-- Theses ---------------------------------------------------------------------------------------------

create or replace function public.submit_thesis(p_event_id uuid, p_text text, p_idempotency_key text default null)
returns public.theses
language plpgsql security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_thesis public.theses;
  v_member public.event_members;
begin
  perform private.require_role(p_event_id, 'participant');
  if p_idempotency_key is not null then
    select * into v_thesis from public.theses where created_by = v_uid and idempotency_key = p_idempotency_key;
    if found then
      return v_thesis;
    end if;
  end if;
  if (select status from public.events where id = p_event_id) = 'closed' then
    perform private.fail('KD409', 'This event is closed.');
  end if;
  select * into v_member from public.event_members where event_id = p_event_id and user_id = v_uid;
  insert into public.theses (event_id, text, author_member_id, author_name, created_by, status, position,
                             idempotency_key)
  values (p_event_id, private.clean_text(p_text, 'The thesis', 1000), v_member.id, v_member.name, v_uid,
          case when private.role_rank(v_member.role) >= private.role_rank('chair') then 'approved' else 'submitted' end,
          coalesce((select max(position) + 1 from public.theses where event_id = p_event_id), 0),
          p_idempotency_key)
  returning * into v_thesis;
  return v_thesis;
end
$$;

create or replace function public.edit_thesis(p_thesis_id uuid, p_text text) returns public.theses
language plpgsql security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_thesis public.theses;
begin
  select * into v_thesis from public.theses where id = p_thesis_id;
  if not found then
    perform private.fail('KD404', 'This thesis does not exist.');
  end if;
  if not private.has_role(v_thesis.event_id, 'chair') then
    if v_thesis.created_by is distinct from v_uid then
      perform private.fail('KD403', 'Only the author or the chair can edit this thesis.');
    end if;
    if v_thesis.status <> 'submitted' then
      perform private.fail('KD409', 'This thesis has been moderated; ask the chair to change it.');
    end if;
  end if;
  update public.theses set text = private.clean_text(p_text, 'The thesis', 1000)
  where id = p_thesis_id returning * into v_thesis;
  return v_thesis;
end
$$;

create or replace function public.moderate_thesis(
  p_thesis_id uuid, p_status text, p_position integer default null, p_merged_into uuid default null
) returns public.theses
language plpgsql security definer
set search_path = ''
as $$
declare
  v_thesis public.theses;
  v_target public.theses;
begin
  select * into v_thesis from public.theses where id = p_thesis_id;
  if not found then
    perform private.fail('KD404', 'This thesis does not exist.');
  end if;
  perform private.require_role(v_thesis.event_id, 'chair');
  if p_status is null or p_status not in ('submitted', 'approved', 'rejected', 'merged', 'not_discussed') then
    perform private.fail('KD400', 'Status must be submitted, approved, rejected, merged or not_discussed.');
  end if;
  if v_thesis.status in ('in_discussion', 'discussed') and p_status <> v_thesis.status then
    perform private.fail('KD409', 'A thesis that is or was under discussion cannot be moderated again.');
  end if;
  if p_status = 'merged' then
    select * into v_target from public.theses where id = p_merged_into;
    if p_merged_into is null or not found or v_target.event_id <> v_thesis.event_id then
      perform private.fail('KD400', 'Merging needs another thesis of the same event to merge into.');
    end if;
    if v_target.id = v_thesis.id or v_target.status in ('merged', 'rejected') then
      perform private.fail('KD409', 'A thesis can only be merged into a thesis that is still on the list.');
    end if;
    -- Theses merged into this one follow it to the new target.
    update public.theses set merged_into_id = v_target.id where merged_into_id = v_thesis.id;
  elsif p_merged_into is not null then
    perform private.fail('KD400', 'Only a merge names a thesis to merge into.');
  end if;
  if p_position is not null then
    perform public.move_thesis(p_thesis_id, p_position);
  end if;
  update public.theses set status = p_status,
    merged_into_id = case when p_status = 'merged' then v_target.id end
  where id = p_thesis_id returning * into v_thesis;
  return v_thesis;
end
$$;

-- Moves one thesis to a place in the queue (0 is first) and closes the gap it leaves.
create or replace function public.move_thesis(p_thesis_id uuid, p_position integer) returns void
language plpgsql security definer
set search_path = ''
as $$
declare
  v_thesis public.theses;
  v_ids uuid[];
begin
  select * into v_thesis from public.theses where id = p_thesis_id;
  if not found then
    perform private.fail('KD404', 'This thesis does not exist.');
  end if;
  perform private.require_role(v_thesis.event_id, 'chair');
  if p_position is null or p_position < 0 then
    perform private.fail('KD400', 'The position must be 0 or more.');
  end if;
  select array_agg(id order by position, created_at) into v_ids
  from public.theses where event_id = v_thesis.event_id and id <> p_thesis_id;
  v_ids := coalesce(v_ids, '{}');
  v_ids := v_ids[1:least(p_position, cardinality(v_ids))] || p_thesis_id
        || v_ids[least(p_position, cardinality(v_ids)) + 1:];
  update public.theses t set position = o.ordinality - 1
  from unnest(v_ids) with ordinality o(id, ordinality)
  where t.id = o.id and t.position <> o.ordinality - 1;
end
$$;

create or replace function public.reorder_theses(p_event_id uuid, p_thesis_ids uuid[]) returns void
language plpgsql security definer
set search_path = ''
as $$
begin
  perform private.require_role(p_event_id, 'chair');
  if exists (select 1 from unnest(p_thesis_ids) i
             where not exists (select 1 from public.theses t where t.id = i and t.event_id = p_event_id))
     or (select count(distinct i) from unnest(p_thesis_ids) i) <> cardinality(p_thesis_ids) then
    perform private.fail('KD400', 'Name theses of this event, each once.');
  end if;
  -- The named theses come first, in the given order; the others keep their order behind them.
  update public.theses t set position = o.rank - 1
  from (
    select id, row_number() over (order by coalesce(array_position(p_thesis_ids, id), 1000000 + position), created_at) as rank
    from public.theses where event_id = p_event_id
  ) o
  where t.id = o.id;
end
$$;

create or replace function private.close_open_polls(p_event_id uuid) returns void
language sql
set search_path = ''
as $$
  update public.polls set status = 'closed', closed_at = now()
  where event_id = p_event_id and status = 'open'
$$;

create or replace function private.finish_current_thesis(p_event_id uuid) returns void
language plpgsql
set search_path = ''
as $$
begin
  perform private.close_open_polls(p_event_id);
  update public.theses set status = 'discussed', finished_at = now()
  where event_id = p_event_id and status = 'in_discussion';
  update public.events set current_thesis_id = null where id = p_event_id;
end
$$;

create or replace function public.start_thesis(p_thesis_id uuid) returns public.theses
language plpgsql security definer
set search_path = ''
as $$
declare
  v_thesis public.theses;
begin
  select * into v_thesis from public.theses where id = p_thesis_id for update;
  if not found then
    perform private.fail('KD404', 'This thesis does not exist.');
  end if;
  perform private.require_role(v_thesis.event_id, 'chair');
  if v_thesis.status = 'in_discussion' then
    return v_thesis;
  end if;
  if v_thesis.status not in ('approved', 'not_discussed', 'submitted') then
    perform private.fail('KD409', format('A %s thesis cannot be started.', replace(v_thesis.status, '_', ' ')));
  end if;
  perform private.finish_current_thesis(v_thesis.event_id);
  update public.theses set status = 'in_discussion', started_at = now(), finished_at = null,
    discussed_order = coalesce(
      (select max(discussed_order) + 1 from public.theses where event_id = v_thesis.event_id), 1)
  where id = p_thesis_id returning * into v_thesis;
  update public.events set current_thesis_id = v_thesis.id,
    status = case when status = 'draft' then 'live' else status end
  where id = v_thesis.event_id;
  return v_thesis;
end
$$;

create or replace function public.finish_thesis(p_thesis_id uuid) returns public.theses
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
  if v_thesis.status = 'discussed' then
    return v_thesis;
  end if;
  if v_thesis.status <> 'in_discussion' then
    perform private.fail('KD409', 'Only the thesis under discussion can be finished.');
  end if;
  perform private.finish_current_thesis(v_thesis.event_id);
  select * into v_thesis from public.theses where id = p_thesis_id;
  return v_thesis;
end
$$;

-- Time is up: the thesis under discussion counts as discussed, every approved one as not discussed.
create or replace function public.end_discussion(p_event_id uuid) returns integer
language plpgsql security definer
set search_path = ''
as $$
declare
  v_count integer;
begin
  perform private.require_role(p_event_id, 'chair');
  perform private.finish_current_thesis(p_event_id);
  update public.theses set status = 'not_discussed' where event_id = p_event_id and status = 'approved';
  get diagnostics v_count = row_count;
  return v_count;
end
$$;

-- Polls and votes ------------------------------------------------------------------------------------

create or replace function public.open_poll(
  p_event_id uuid, p_thesis_id uuid default null, p_agenda_item_id uuid default null,
  p_kind text default 'agree5', p_options text[] default null, p_phase text default null,
  p_question text default null, p_hide_results boolean default false
) returns public.polls
language plpgsql security definer
set search_path = ''
as $$
declare
  v_language text;
  v_question text;
  v_options text[];
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
  select language into v_language from public.events where id = p_event_id;
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
begin
  select * into v_poll from public.polls where id = p_poll_id;
  if not found then
    perform private.fail('KD404', 'This poll does not exist.');
  end if;
  perform private.require_role(v_poll.event_id, 'chair');
  if v_poll.status = 'open' then
    return v_poll;
  end if;
  perform private.close_open_polls(v_poll.event_id);
  update public.polls set status = 'open', opened_at = coalesce(opened_at, now()), closed_at = null
  where id = p_poll_id returning * into v_poll;
  return v_poll;
end
$$;

create or replace function public.close_poll(p_poll_id uuid) returns public.polls
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
  if v_poll.status = 'draft' then
    perform private.fail('KD409', 'This poll has not been opened.');
  end if;
  update public.polls set status = 'closed', closed_at = coalesce(closed_at, now())
  where id = p_poll_id returning * into v_poll;
  return v_poll;
end
$$;

create or replace function public.reveal_poll_results(p_poll_id uuid) returns public.polls
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
  update public.polls set revealed_at = coalesce(revealed_at, now())
  where id = p_poll_id returning * into v_poll;
  return v_poll;
end
$$;

create or replace function public.cast_vote(
  p_poll_id uuid, p_option_index integer default null, p_word text default null,
  p_idempotency_key text default null, p_event_id uuid default null
) returns jsonb
language plpgsql security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_poll public.polls;
  v_vote public.votes;
  v_word text;
begin
  select * into v_poll from public.polls where id = p_poll_id;
  if not found or v_poll.event_id <> coalesce(p_event_id, v_poll.event_id) then
    perform private.fail('KD404', 'This poll does not exist.');
  end if;
  if not private.is_member(v_poll.event_id) then
    perform private.fail('KD403', 'You are not a member of this event.');
  end if;
  if p_idempotency_key is not null then
    select * into v_vote from public.votes
    where poll_id = p_poll_id and voter_id = v_uid and idempotency_key = p_idempotency_key;
    if found then
      return jsonb_build_object('pollId', v_vote.poll_id, 'optionIndex', v_vote.option_index, 'word', v_vote.word);
    end if;
  end if;
  if v_poll.status <> 'open' then
    perform private.fail('KD409', 'This poll is closed.');
  end if;
  if v_poll.kind = 'word_cloud' then
    if p_option_index is not null then
      perform private.fail('KD400', 'Answer a word cloud with a word.');
    end if;
    v_word := lower(private.clean_text(p_word, 'The word', 40));
  else
    -- A form posts its option number as text.
    if p_option_index is null and btrim(p_word) ~ '^\d{1,2}$' then
      p_option_index := btrim(p_word)::integer;
      p_word := null;
    end if;
    if p_word is not null or p_option_index is null then
      perform private.fail('KD400', 'Answer with the number of an option.');
    end if;
    if p_option_index < 0 or p_option_index >= cardinality(v_poll.options) then
      perform private.fail('KD400', format('Choose an option from 0 to %s.', cardinality(v_poll.options) - 1));
    end if;
  end if;
  insert into public.votes (poll_id, voter_id, event_id, option_index, word, idempotency_key)
  values (p_poll_id, v_uid, v_poll.event_id, case when v_word is null then p_option_index end, v_word,
          p_idempotency_key)
  on conflict (poll_id, voter_id) do update set
    option_index = excluded.option_index, word = excluded.word,
    idempotency_key = excluded.idempotency_key, updated_at = now()
  returning * into v_vote;
  return jsonb_build_object('pollId', v_vote.poll_id, 'optionIndex', v_vote.option_index, 'word', v_vote.word);
end
$$;

create or replace function private.poll_tally(p_poll public.polls) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_counts integer[];
  v_words jsonb;
  v_total integer;
begin
  if p_poll.kind = 'word_cloud' then
    select coalesce(jsonb_agg(jsonb_build_object('word', word, 'count', n) order by n desc, word), '[]'::jsonb),
           coalesce(sum(n), 0)
      into v_words, v_total
    from (select word, count(*)::integer as n from public.votes where poll_id = p_poll.id group by word
          order by n desc, word limit 60) w;
    v_total := (select count(*) from public.votes where poll_id = p_poll.id);
    return jsonb_build_object('counts', '[]'::jsonb, 'total', v_total, 'words', v_words);
  end if;
  select array_agg(coalesce(p_poll.archived_counts[i + 1], 0) + coalesce(c.n, 0) order by i)
    into v_counts
  from generate_series(0, cardinality(p_poll.options) - 1) i
  left join (select option_index, count(*)::integer as n from public.votes
             where poll_id = p_poll.id group by option_index) c on c.option_index = i;
  select coalesce(sum(x), 0) into v_total from unnest(v_counts) x;
  return jsonb_build_object('counts', to_jsonb(v_counts), 'total', v_total);
end
$$;

-- Results are for the staff at all times; for a participant once they voted or the poll closed,
-- and, when the chair hides results to avoid herding, only after the chair reveals them.
create or replace function private.may_see_results(p_poll public.polls, p_view text) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select case
    when p_view = 'staff' then true
    when p_poll.hide_results and p_poll.revealed_at is null then false
    when p_view = 'projector' then true
    else p_poll.status = 'closed'
      or exists (select 1 from public.votes v where v.poll_id = p_poll.id and v.voter_id = (select auth.uid()))
  end
$$;

create or replace function public.poll_results(p_poll_id uuid) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_poll public.polls;
begin
  select * into v_poll from public.polls where id = p_poll_id;
  if not found then
    perform private.fail('KD404', 'This poll does not exist.');
  end if;
  perform private.require_role(v_poll.event_id, 'participant');
  if not private.may_see_results(v_poll, case when private.has_role(v_poll.event_id, 'note_taker') then 'staff' else 'member' end) then
    perform private.fail('KD403', case when v_poll.hide_results and v_poll.revealed_at is null
      then 'The chair has not revealed the results yet.' else 'Vote first to see the results.' end);
  end if;
  return private.poll_tally(v_poll) || jsonb_build_object('pollId', v_poll.id, 'status', v_poll.status);
end
$$;

-- Notes ----------------------------------------------------------------------------------------------

create or replace function public.add_note(
  p_event_id uuid, p_thesis_id uuid default null, p_agenda_item_id uuid default null,
  p_kind text default 'note', p_text text default null, p_speaker text default null
) returns public.notes
language plpgsql security definer
set search_path = ''
as $$
declare
  v_note public.notes;
begin
  perform private.require_role(p_event_id, 'note_taker');
  if (p_thesis_id is null) = (p_agenda_item_id is null) then
    perform private.fail('KD400', 'A note is on a thesis or on an agenda item: name one of them.');
  end if;
  if p_kind is null or p_kind not in ('note', 'quote', 'conclusion', 'question') then
    perform private.fail('KD400', 'Kind must be note, quote, conclusion or question.');
  end if;
  if p_thesis_id is not null and not exists (select 1 from public.theses where id = p_thesis_id and event_id = p_event_id)
     or p_agenda_item_id is not null and not exists (select 1 from public.agenda_items where id = p_agenda_item_id and event_id = p_event_id) then
    perform private.fail('KD404', 'The thesis or agenda item is not part of the event.');
  end if;
  insert into public.notes (event_id, thesis_id, agenda_item_id, kind, text, speaker, author_id, author_name, position)
  values (p_event_id, p_thesis_id, p_agenda_item_id, p_kind, private.clean_text(p_text, 'The note', 4000),
          nullif(left(btrim(p_speaker), 200), ''), (select auth.uid()),
          (select name from public.event_members where event_id = p_event_id and user_id = (select auth.uid())),
          coalesce((select max(position) + 1 from public.notes
                    where thesis_id is not distinct from p_thesis_id
                      and agenda_item_id is not distinct from p_agenda_item_id and event_id = p_event_id), 0))
  returning * into v_note;
  return v_note;
end
$$;

create or replace function public.update_note(p_note_id uuid, p_kind text, p_text text, p_speaker text default null)
returns public.notes
language plpgsql security definer
set search_path = ''
as $$
declare
  v_note public.notes;
begin
  select * into v_note from public.notes where id = p_note_id;
  if not found then
    perform private.fail('KD404', 'This note does not exist.');
  end if;
  perform private.require_role(v_note.event_id, 'note_taker');
  if v_note.author_id is distinct from (select auth.uid()) and not private.has_role(v_note.event_id, 'organiser') then
    perform private.fail('KD403', 'Only the author of a note or an organiser can change it.');
  end if;
  if p_kind is null or p_kind not in ('note', 'quote', 'conclusion', 'question') then
    perform private.fail('KD400', 'Kind must be note, quote, conclusion or question.');
  end if;
  update public.notes set kind = p_kind, text = private.clean_text(p_text, 'The note', 4000),
    speaker = nullif(left(btrim(p_speaker), 200), ''), updated_at = now()
  where id = p_note_id returning * into v_note;
  return v_note;
end
$$;

create or replace function public.delete_note(p_note_id uuid) returns void
language plpgsql security definer
set search_path = ''
as $$
declare
  v_note public.notes;
begin
  select * into v_note from public.notes where id = p_note_id;
  if not found then
    perform private.fail('KD404', 'This note does not exist.');
  end if;
  perform private.require_role(v_note.event_id, 'note_taker');
  if v_note.author_id is distinct from (select auth.uid()) and not private.has_role(v_note.event_id, 'organiser') then
    perform private.fail('KD403', 'Only the author of a note or an organiser can delete it.');
  end if;
  delete from public.notes where id = p_note_id;
end
$$;

-- Recaps ---------------------------------------------------------------------------------------------

create or replace function public.save_recap(p_event_id uuid, p_markdown text, p_engine text default 'manual')
returns public.recaps
language plpgsql security definer
set search_path = ''
as $$
declare
  v_recap public.recaps;
begin
  perform private.require_role(p_event_id, 'organiser');
  if p_engine is null or p_engine not in ('builtin', 'llm', 'manual') then
    perform private.fail('KD400', 'Engine must be builtin, llm or manual.');
  end if;
  if p_markdown is null or length(p_markdown) > 500000 then
    perform private.fail('KD400', 'The recap must be text of at most 500,000 characters.');
  end if;
  insert into public.recaps (event_id, version, markdown, engine, created_by)
  values (p_event_id,
          coalesce((select max(version) + 1 from public.recaps where event_id = p_event_id), 1),
          p_markdown, p_engine, (select auth.uid()))
  returning * into v_recap;
  return v_recap;
end
$$;

create or replace function public.publish_recap(p_recap_id uuid) returns public.recaps
language plpgsql security definer
set search_path = ''
as $$
declare
  v_recap public.recaps;
  v_slug text;
begin
  select * into v_recap from public.recaps where id = p_recap_id;
  if not found then
    perform private.fail('KD404', 'This recap does not exist.');
  end if;
  perform private.require_role(v_recap.event_id, 'organiser');
  -- An event keeps its public address across versions, so shared links keep working.
  select public_slug into v_slug from public.recaps
  where event_id = v_recap.event_id and public_slug is not null order by published_at desc limit 1;
  if v_slug is null then
    select left(trim(both '-' from regexp_replace(lower(e.title), '[^a-z0-9]+', '-', 'g')), 60)
           || '-' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 8)
      into v_slug from public.events e where e.id = v_recap.event_id;
    v_slug := trim(both '-' from v_slug);
  end if;
  update public.recaps set status = 'draft', published_at = null, public_slug = null
  where event_id = v_recap.event_id and status = 'published' and id <> p_recap_id;
  update public.recaps set status = 'published', public_slug = v_slug, published_at = now()
  where id = p_recap_id returning * into v_recap;
  return v_recap;
end
$$;

create or replace function public.unpublish_recap(p_recap_id uuid) returns public.recaps
language plpgsql security definer
set search_path = ''
as $$
declare
  v_recap public.recaps;
begin
  select * into v_recap from public.recaps where id = p_recap_id;
  if not found then
    perform private.fail('KD404', 'This recap does not exist.');
  end if;
  perform private.require_role(v_recap.event_id, 'organiser');
  update public.recaps set status = 'draft', published_at = null, public_slug = null
  where id = p_recap_id returning * into v_recap;
  return v_recap;
end
$$;

-- Reads ----------------------------------------------------------------------------------------------

create or replace function private.poll_json(p_poll public.polls, p_view text) returns jsonb
language sql stable security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_poll.id, 'thesisId', p_poll.thesis_id, 'agendaItemId', p_poll.agenda_item_id,
    'question', p_poll.question, 'kind', p_poll.kind, 'options', to_jsonb(p_poll.options),
    'phase', p_poll.phase, 'status', p_poll.status, 'hideResults', p_poll.hide_results,
    'revealed', p_poll.revealed_at is not null, 'openedAt', p_poll.opened_at, 'closedAt', p_poll.closed_at,
    'results', case when private.may_see_results(p_poll, p_view) then private.poll_tally(p_poll) end,
    'myVote', case when p_view <> 'projector' then (
      select jsonb_build_object('optionIndex', v.option_index, 'word', v.word)
      from public.votes v where v.poll_id = p_poll.id and v.voter_id = (select auth.uid())) end
  )
$$;

-- The whole live state of an event in one round trip, shaped for the screen asking:
-- 'staff' (note-taker and up), 'member' (a participant) or 'projector' (the read-only wall screen).
create or replace function private.event_state(p_event_id uuid, p_view text) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_event public.events;
  v_poll public.polls;
  v_uid uuid := (select auth.uid());
  v_staff boolean := p_view = 'staff';
begin
  select * into v_event from public.events where id = p_event_id;
  select * into v_poll from public.polls where event_id = p_event_id and status = 'open';
  if not found then
    -- Between votes the screens keep showing the last poll of the thesis or item in progress.
    select * into v_poll from public.polls
    where event_id = p_event_id and status = 'closed'
      and (thesis_id = v_event.current_thesis_id or agenda_item_id = v_event.current_agenda_item_id)
    order by closed_at desc limit 1;
  end if;
  return jsonb_build_object(
    'event', jsonb_build_object(
      'id', v_event.id, 'title', v_event.title, 'question', v_event.question, 'date', v_event.starts_on,
      'venue', v_event.venue, 'language', v_event.language, 'status', v_event.status,
      'code', v_event.join_code, 'organisers', to_jsonb(v_event.organisers), 'chair', v_event.chair_name,
      'photosUrl', v_event.photos_url, 'allowLlm', v_event.allow_llm,
      'currentAgendaItemId', v_event.current_agenda_item_id, 'currentThesisId', v_event.current_thesis_id),
    'agenda', coalesce((
      select jsonb_agg(jsonb_build_object(
        'id', a.id, 'position', a.position, 'title', a.title, 'kind', a.kind, 'speaker', a.speaker,
        'plannedMinutes', a.planned_minutes, 'startedAt', a.started_at, 'endedAt', a.ended_at)
        order by a.position)
      from public.agenda_items a where a.event_id = p_event_id), '[]'::jsonb),
    'theses', coalesce((
      select jsonb_agg(jsonb_build_object(
        'id', t.id, 'text', t.text, 'status', t.status, 'position', t.position,
        'authorName', case when v_staff then t.author_name end, 'mine', t.created_by = v_uid,
        'mergedIntoId', t.merged_into_id, 'discussedOrder', t.discussed_order,
        'startedAt', t.started_at, 'finishedAt', t.finished_at)
        order by t.position, t.created_at)
      from public.theses t
      where t.event_id = p_event_id
        and (v_staff or t.created_by = v_uid
             or t.status in ('approved', 'merged', 'in_discussion', 'discussed', 'not_discussed'))), '[]'::jsonb),
    'currentAgendaItem', (
      select jsonb_build_object('id', a.id, 'title', a.title, 'kind', a.kind, 'speaker', a.speaker,
        'plannedMinutes', a.planned_minutes, 'startedAt', a.started_at)
      from public.agenda_items a where a.id = v_event.current_agenda_item_id),
    'currentThesis', (
      select jsonb_build_object('id', t.id, 'text', t.text, 'discussedOrder', t.discussed_order,
        'startedAt', t.started_at)
      from public.theses t where t.id = v_event.current_thesis_id),
    'openPoll', case when v_poll.id is not null and v_poll.status = 'open' then private.poll_json(v_poll, p_view) end,
    'lastPoll', case when v_poll.id is not null and v_poll.status = 'closed' then private.poll_json(v_poll, p_view) end,
    'presentCount', (select count(*) from public.event_members m where m.event_id = p_event_id and m.user_id is not null),
    'me', case when p_view <> 'projector' then (
      select jsonb_build_object('memberId', m.id, 'role', m.role, 'name', m.name,
        'organisation', m.organisation, 'jobTitle', m.job_title, 'listed', m.listed)
      from public.event_members m where m.event_id = p_event_id and m.user_id = v_uid) end
  );
end
$$;

create or replace function public.get_event_state(p_event_id uuid) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
begin
  perform private.require_role(p_event_id, 'participant');
  return private.event_state(p_event_id,
    case when private.has_role(p_event_id, 'note_taker') then 'staff' else 'member' end);
end
$$;

-- The read-only projector link carries a secret token instead of a signed-in user.
create or replace function public.get_projector_state(p_event_id uuid, p_token text) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
begin
  if not exists (select 1 from public.event_secrets s where s.event_id = p_event_id and s.projector_token = p_token) then
    perform private.fail('KD403', 'This projector link is not valid.');
  end if;
  return private.event_state(p_event_id, 'projector');
end
$$;

create or replace function public.get_projector_token(p_event_id uuid) returns text
language plpgsql stable security definer
set search_path = ''
as $$
begin
  perform private.require_role(p_event_id, 'chair');
  return (select projector_token from public.event_secrets where event_id = p_event_id);
end
$$;

create or replace function public.list_my_events() returns jsonb
language sql stable security definer
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
    'id', e.id, 'title', e.title, 'date', e.starts_on, 'status', e.status, 'code', e.join_code,
    'language', e.language, 'role', m.role) order by e.starts_on desc nulls last, e.created_at desc), '[]'::jsonb)
  from public.events e join public.event_members m on m.event_id = e.id
  where m.user_id = (select auth.uid())
$$;

create or replace function public.list_notes(p_event_id uuid) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
begin
  perform private.require_role(p_event_id, 'note_taker');
  return coalesce((
    select jsonb_agg(jsonb_build_object(
      'id', n.id, 'thesisId', n.thesis_id, 'agendaItemId', n.agenda_item_id, 'kind', n.kind,
      'text', n.text, 'speaker', n.speaker, 'authorName', n.author_name,
      'mine', n.author_id = (select auth.uid()), 'createdAt', n.created_at, 'updatedAt', n.updated_at)
      order by n.created_at, n.position)
    from public.notes n where n.event_id = p_event_id), '[]'::jsonb);
end
$$;

create or replace function public.list_members(p_event_id uuid) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
begin
  perform private.require_role(p_event_id, 'note_taker');
  return coalesce((
    select jsonb_agg(jsonb_build_object(
      'id', m.id, 'role', m.role, 'name', m.name, 'organisation', m.organisation,
      'jobTitle', m.job_title, 'listed', m.listed, 'hasAccount', m.user_id is not null, 'joinedAt', m.joined_at)
      order by private.role_rank(m.role) desc, m.name)
    from public.event_members m where m.event_id = p_event_id), '[]'::jsonb);
end
$$;

create or replace function public.get_published_recap(p_slug text) returns jsonb
language sql stable security definer
set search_path = ''
as $$
  select jsonb_build_object('id', r.id, 'eventId', r.event_id, 'title', e.title, 'language', e.language,
    'markdown', r.markdown, 'publishedAt', r.published_at, 'version', r.version)
  from public.recaps r join public.events e on e.id = r.event_id
  where r.public_slug = p_slug and r.status = 'published'
$$;

-- Whether a thesis, poll, note or agenda item belongs to the event an API path names; a path that
-- mixes events is answered as not found.
create or replace function public.item_in_event(p_event_id uuid, p_kind text, p_id uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
begin
  perform private.require_role(p_event_id, 'participant');
  return case p_kind
    when 'thesis' then exists (select 1 from public.theses where id = p_id and event_id = p_event_id)
    when 'poll' then exists (select 1 from public.polls where id = p_id and event_id = p_event_id)
    when 'note' then exists (select 1 from public.notes where id = p_id and event_id = p_event_id)
    when 'agendaItem' then exists (select 1 from public.agenda_items where id = p_id and event_id = p_event_id)
    when 'member' then exists (select 1 from public.event_members where id = p_id and event_id = p_event_id)
    when 'recap' then exists (select 1 from public.recaps where id = p_id and event_id = p_event_id)
    else false end;
end
$$;
