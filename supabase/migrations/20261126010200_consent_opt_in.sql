-- Consent to be named in the recap is opt-in everywhere: a member added by an organiser, or a
-- participant of an imported archive, is listed only when that is said explicitly (listed: true).

create or replace function public.add_member(
  p_event_id uuid, p_name text, p_organisation text default '', p_job_title text default '',
  p_role text default 'participant', p_listed boolean default false
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
          coalesce(p_listed, false))
  returning * into v_member;
  return v_member;
end
$$;

create or replace function public.import_event(p_archive jsonb) returns public.events
language plpgsql security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_event public.events;
  v_item jsonb;
  v_index bigint;
  v_agenda_id uuid;
  v_thesis_id uuid;
  v_discussed integer := 0;
  v_status text;
begin
  if not private.is_registered_user() then
    perform private.fail('KD403', 'Only organisers with an account can import events.');
  end if;
  insert into public.events (title, question, starts_on, venue, language, join_code, organisers,
                             chair_name, author_name, photos_url, created_by)
  values (p_archive #>> '{event,title}', p_archive #>> '{event,question}', (p_archive #>> '{event,date}')::date,
          p_archive #>> '{event,venue}', coalesce(p_archive #>> '{event,language}', 'nl'), private.new_join_code(),
          coalesce(array(select jsonb_array_elements_text(p_archive #> '{event,organisers}')), '{}'),
          p_archive #>> '{event,chair}', p_archive #>> '{event,author}', p_archive #>> '{event,photosUrl}', v_uid)
  returning * into v_event;
  insert into public.event_secrets (event_id) values (v_event.id);
  insert into public.event_members (event_id, user_id, role, name, listed)
  values (v_event.id, v_uid, 'organiser', coalesce(private.display_name(), 'Organiser'), false);

  -- Participants keep the archive's order (the export lists them by joined_at); only an explicit
  -- listed: true names them in the recap.
  insert into public.event_members (event_id, role, name, organisation, job_title, listed, joined_at)
  select v_event.id, 'participant', p ->> 'name', coalesce(p ->> 'organisation', ''), coalesce(p ->> 'role', ''),
         coalesce((p ->> 'listed')::boolean, false), now() + o * interval '1 microsecond'
  from jsonb_array_elements(coalesce(p_archive -> 'participants', '[]'::jsonb)) with ordinality as x(p, o);

  for v_item, v_index in select * from jsonb_array_elements(coalesce(p_archive -> 'agenda', '[]'::jsonb)) with ordinality loop
    insert into public.agenda_items (event_id, position, title, kind, speaker, planned_minutes)
    values (v_event.id, v_index - 1, v_item ->> 'title', coalesce(v_item ->> 'kind', 'other'),
            nullif(v_item ->> 'speaker', ''), (v_item ->> 'plannedMinutes')::integer)
    returning id into v_agenda_id;
    perform private.import_notes(v_event.id, v_item -> 'notes', null, v_agenda_id);
    perform private.import_polls(v_event.id, v_item -> 'polls', null, v_agenda_id);
  end loop;

  for v_item, v_index in select * from jsonb_array_elements(coalesce(p_archive -> 'theses', '[]'::jsonb)) with ordinality loop
    v_status := coalesce(v_item ->> 'status', 'approved');
    -- A thesis that was under discussion when the archive was written was, by now, discussed.
    if v_status = 'in_discussion' then
      v_status := 'discussed';
    end if;
    if v_status = 'discussed' then
      v_discussed := v_discussed + 1;
    end if;
    insert into public.theses (event_id, text, author_name, status, position, discussed_order)
    values (v_event.id, v_item ->> 'text', nullif(v_item ->> 'author', ''),
            case when v_status = 'merged' then 'rejected' else v_status end, v_index - 1,
            case when v_status = 'discussed' then v_discussed end)
    returning id into v_thesis_id;
    perform private.import_notes(v_event.id, v_item -> 'notes', v_thesis_id, null);
    perform private.import_polls(v_event.id, v_item -> 'polls', v_thesis_id, null);
  end loop;
  return v_event;
end
$$;
