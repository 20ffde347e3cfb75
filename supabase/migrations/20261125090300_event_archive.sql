-- The event archive (kennisdag/event-archive@1): a whole event as one JSON document. The server
-- validates the document against schemas/event-archive.schema.json first; these functions trust its
-- shape but still check every value through the table constraints, and run as one transaction, so an
-- archive is imported whole or not at all.

create or replace function private.import_notes(p_event_id uuid, p_notes jsonb, p_thesis_id uuid, p_agenda_item_id uuid)
returns void
language sql
set search_path = ''
as $$
  insert into public.notes (event_id, thesis_id, agenda_item_id, kind, text, speaker, position)
  select p_event_id, p_thesis_id, p_agenda_item_id, coalesce(n ->> 'kind', 'note'), n ->> 'text',
         nullif(n ->> 'author', ''), (o - 1)::integer
  from jsonb_array_elements(coalesce(p_notes, '[]'::jsonb)) with ordinality as x(n, o)
$$;

create or replace function private.import_polls(p_event_id uuid, p_polls jsonb, p_thesis_id uuid, p_agenda_item_id uuid)
returns void
language sql
set search_path = ''
as $$
  insert into public.polls (event_id, thesis_id, agenda_item_id, question, kind, options, phase, status,
                            archived_counts, opened_at, closed_at)
  select p_event_id, p_thesis_id, p_agenda_item_id, p ->> 'question', p ->> 'kind',
         coalesce(nullif(array(select jsonb_array_elements_text(p -> 'options')), '{}'),
                  private.default_options(p ->> 'kind', (select language from public.events where id = p_event_id))),
         p ->> 'phase',
         case when p ? 'results' then 'closed' else 'draft' end,
         case when p ? 'results' then array(select jsonb_array_elements_text(p -> 'results')::integer) end,
         case when p ? 'results' then now() end, case when p ? 'results' then now() end
  from jsonb_array_elements(coalesce(p_polls, '[]'::jsonb)) as x(p)
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

  -- Participants keep the archive's order (the export lists them by joined_at).
  insert into public.event_members (event_id, role, name, organisation, job_title, listed, joined_at)
  select v_event.id, 'participant', p ->> 'name', coalesce(p ->> 'organisation', ''), coalesce(p ->> 'role', ''),
         coalesce((p ->> 'listed')::boolean, true), now() + o * interval '1 microsecond'
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

create or replace function private.export_notes(p_thesis_id uuid, p_agenda_item_id uuid) returns jsonb
language sql stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object('kind', n.kind, 'text', n.text, 'author', n.speaker))
                            order by n.position, n.created_at), '[]'::jsonb)
  from public.notes n
  where (p_thesis_id is not null and n.thesis_id = p_thesis_id)
     or (p_agenda_item_id is not null and n.agenda_item_id = p_agenda_item_id)
$$;

create or replace function private.export_polls(p_thesis_id uuid, p_agenda_item_id uuid) returns jsonb
language sql stable security definer
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
    'question', p.question, 'kind', p.kind, 'options', to_jsonb(p.options), 'phase', p.phase,
    'results', case when p.status <> 'draft' and p.kind <> 'word_cloud' then private.poll_tally(p) -> 'counts' end))
    order by p.created_at), '[]'::jsonb)
  from public.polls p
  where (p_thesis_id is not null and p.thesis_id = p_thesis_id)
     or (p_agenda_item_id is not null and p.agenda_item_id = p_agenda_item_id)
$$;

create or replace function public.export_event(p_event_id uuid) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_event public.events;
begin
  perform private.require_role(p_event_id, 'organiser');
  select * into v_event from public.events where id = p_event_id;
  return jsonb_build_object(
    'format', 'kennisdag/event-archive@1',
    'event', jsonb_strip_nulls(jsonb_build_object(
      'title', v_event.title, 'question', v_event.question, 'date', v_event.starts_on, 'venue', v_event.venue,
      'language', v_event.language, 'organisers', to_jsonb(v_event.organisers), 'chair', v_event.chair_name,
      'author', v_event.author_name, 'photosUrl', v_event.photos_url)),
    -- The organisers who run the event in this copy are not participants of the day itself.
    'participants', coalesce((
      select jsonb_agg(jsonb_build_object('name', m.name, 'organisation', m.organisation, 'role', m.job_title,
                                          'listed', m.listed) order by m.joined_at, m.id)
      from public.event_members m
      where m.event_id = p_event_id and not (m.role = 'organiser' and m.user_id is not null)), '[]'::jsonb),
    'agenda', coalesce((
      select jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
        'title', a.title, 'kind', a.kind, 'speaker', a.speaker, 'plannedMinutes', a.planned_minutes,
        'notes', private.export_notes(null, a.id), 'polls', private.export_polls(null, a.id)))
        order by a.position)
      from public.agenda_items a where a.event_id = p_event_id), '[]'::jsonb),
    'theses', coalesce((
      select jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
        'text', t.text, 'status', t.status, 'author', t.author_name,
        'notes', private.export_notes(t.id, null), 'polls', private.export_polls(t.id, null)))
        order by t.discussed_order nulls last, t.position, t.created_at)
      from public.theses t where t.event_id = p_event_id and t.status <> 'merged'), '[]'::jsonb)
  );
end
$$;
