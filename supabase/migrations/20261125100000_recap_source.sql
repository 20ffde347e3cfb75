-- Everything the recap is written from, in one read: the event, who consented to be listed, the agenda
-- and the theses in the order they happened, with their notes and poll tallies (and every id, so a
-- drafted paragraph can say which notes it rests on).

create or replace function private.recap_notes(p_thesis_id uuid, p_agenda_item_id uuid) returns jsonb
language sql stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', n.id, 'kind', n.kind, 'text', n.text, 'speaker', n.speaker)
                            order by n.position, n.created_at), '[]'::jsonb)
  from public.notes n
  where (p_thesis_id is not null and n.thesis_id = p_thesis_id)
     or (p_agenda_item_id is not null and n.agenda_item_id = p_agenda_item_id)
$$;

create or replace function private.recap_polls(p_thesis_id uuid, p_agenda_item_id uuid) returns jsonb
language sql stable security definer
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
    'id', p.id, 'question', p.question, 'kind', p.kind, 'options', to_jsonb(p.options), 'phase', p.phase,
    'status', p.status) || private.poll_tally(p) order by p.created_at), '[]'::jsonb)
  from public.polls p
  where p.status <> 'draft'
    and ((p_thesis_id is not null and p.thesis_id = p_thesis_id)
      or (p_agenda_item_id is not null and p.agenda_item_id = p_agenda_item_id))
$$;

create or replace function public.get_recap_source(p_event_id uuid) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_event public.events;
begin
  perform private.require_role(p_event_id, 'organiser');
  select * into v_event from public.events where id = p_event_id;
  return jsonb_build_object(
    'event', jsonb_build_object(
      'id', v_event.id, 'title', v_event.title, 'question', v_event.question, 'date', v_event.starts_on,
      'venue', v_event.venue, 'language', v_event.language, 'organisers', to_jsonb(v_event.organisers),
      'chair', v_event.chair_name, 'author', v_event.author_name, 'photosUrl', v_event.photos_url,
      'allowLlm', v_event.allow_llm),
    'members', coalesce((
      select jsonb_agg(jsonb_build_object('name', m.name, 'organisation', m.organisation, 'jobTitle', m.job_title,
                                          'listed', m.listed, 'role', m.role, 'hasAccount', m.user_id is not null)
                       order by m.joined_at, m.id)
      from public.event_members m where m.event_id = p_event_id), '[]'::jsonb),
    'agenda', coalesce((
      select jsonb_agg(jsonb_build_object('id', a.id, 'title', a.title, 'kind', a.kind, 'speaker', a.speaker,
                                          'notes', private.recap_notes(null, a.id), 'polls', private.recap_polls(null, a.id))
                       order by a.position)
      from public.agenda_items a where a.event_id = p_event_id), '[]'::jsonb),
    'theses', coalesce((
      select jsonb_agg(jsonb_build_object('id', t.id, 'text', t.text, 'status', t.status,
                                          'discussedOrder', t.discussed_order, 'position', t.position,
                                          'notes', private.recap_notes(t.id, null), 'polls', private.recap_polls(t.id, null))
                       order by t.discussed_order nulls last, t.position, t.created_at)
      from public.theses t where t.event_id = p_event_id), '[]'::jsonb)
  );
end
$$;

revoke execute on function private.recap_notes(uuid, uuid), private.recap_polls(uuid, uuid) from public, anon;
grant execute on function private.recap_notes(uuid, uuid), private.recap_polls(uuid, uuid) to authenticated, service_role;
revoke execute on function public.get_recap_source(uuid) from public, anon;
grant execute on function public.get_recap_source(uuid) to authenticated, service_role;
