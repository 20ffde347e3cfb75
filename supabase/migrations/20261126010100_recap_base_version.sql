-- Saving edits names the version they started from. When a newer version was saved in the meantime
-- (another tab, another organiser) the save is refused with a sentence that says so, instead of
-- quietly forking the recap. A draft from the day's data starts from nothing and names no version.

drop function public.save_recap(uuid, text, text);

create function public.save_recap(p_event_id uuid, p_markdown text, p_engine text default 'manual',
                                  p_base_recap_id uuid default null)
returns public.recaps
language plpgsql security definer
set search_path = ''
as $$
declare
  v_base public.recaps;
  v_newest public.recaps;
  v_recap public.recaps;
begin
  perform private.require_role(p_event_id, 'organiser');
  if p_engine is null or p_engine not in ('builtin', 'llm', 'manual') then
    perform private.fail('KD400', 'Engine must be builtin, llm or manual.');
  end if;
  if p_markdown is null or length(p_markdown) > 500000 then
    perform private.fail('KD400', 'The recap must be text of at most 500,000 characters.');
  end if;
  -- One save of an event's recap at a time, so "the newest version" means the same to both.
  perform 1 from public.events where id = p_event_id for update;
  select * into v_newest from public.recaps where event_id = p_event_id order by version desc limit 1;
  if p_base_recap_id is not null then
    select * into v_base from public.recaps where id = p_base_recap_id and event_id = p_event_id;
    if not found then
      perform private.fail('KD404', 'The version these edits started from is not part of this event.');
    end if;
    if v_newest.id <> v_base.id then
      perform private.fail('KD409', format(
        'A newer version (v%s) of this recap was saved after v%s, the version these edits started from. Nothing was saved: open the newest version and make the edits there.',
        v_newest.version, v_base.version));
    end if;
  end if;
  insert into public.recaps (event_id, version, markdown, engine, created_by)
  values (p_event_id, coalesce(v_newest.version + 1, 1), p_markdown, p_engine, (select auth.uid()))
  returning * into v_recap;
  return v_recap;
end
$$;

revoke execute on function public.save_recap(uuid, text, text, uuid) from public, anon;
grant execute on function public.save_recap(uuid, text, text, uuid) to authenticated, service_role;

-- What a recap is written from. Theses the chair never moderated (submitted) or turned down
-- (rejected) are participants' raw text: they never enter a recap.
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
      from public.theses t where t.event_id = p_event_id and t.status not in ('submitted', 'rejected')), '[]'::jsonb)
  );
end
$$;
