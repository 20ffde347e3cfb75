-- A title as the start of a public address and as a file name, by one rule: the title folded as a
-- name is (private.fold_name: accents dropped, "Één" is "een", lower case), every run of characters
-- other than a-z and 0-9 one hyphen, none at the ends, at most 60 characters. The public address of
-- a recap (publish_recap) and the names of its downloads and of the results table (recap_cover,
-- get_recap_source) come from here; the app server does not make names from titles itself.
create or replace function private.title_slug(p_title text) returns text
language sql immutable
set search_path = ''
as $$
  select rtrim(left(trim(both '-' from regexp_replace(private.fold_name(p_title), '[^a-z0-9]+', '-', 'g')), 60), '-')
$$;

-- Like fold_name, for the functions that use it only: they run it as its owner.
revoke execute on function private.title_slug(text) from public, anon, authenticated, service_role;

-- Publishing as before; a new address starts with the title by the rule above.
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
    select private.title_slug(e.title) || '-' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 8)
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

-- The cover of an event's recap, as before, with the title as the downloads' file name.
create or replace function private.recap_cover(p_event_id uuid) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'title', e.title, 'titleSlug', private.title_slug(e.title), 'date', e.starts_on, 'venue', e.venue,
    'language', e.language,
    'organisers', to_jsonb(case when cardinality(e.organisers) > 0 then e.organisers else array(
      select m.name from public.event_members m
      where m.event_id = e.id and m.role = 'organiser' order by m.joined_at, m.id) end),
    'logo', (select jsonb_build_object('contentType', l.content_type, 'data', encode(l.data, 'base64'),
                                       'width', l.width, 'height', l.height)
             from public.event_logos l where l.event_id = e.id))
  from public.events e where e.id = p_event_id
$$;

-- What a recap is written from, as before, with the title as the results table's file name. Theses
-- the chair never moderated (submitted) or turned down (rejected) never enter a recap. Members say
-- whether they attended: a guest who did not come is no participant of the day (but their name is
-- still withheld from the text unless they consented).
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
      'id', v_event.id, 'title', v_event.title, 'titleSlug', private.title_slug(v_event.title),
      'question', v_event.question, 'date', v_event.starts_on,
      'venue', v_event.venue, 'language', v_event.language, 'organisers', to_jsonb(v_event.organisers),
      'chair', v_event.chair_name, 'author', v_event.author_name, 'photosUrl', v_event.photos_url,
      'allowLlm', v_event.allow_llm),
    'members', coalesce((
      select jsonb_agg(jsonb_build_object('name', m.name, 'organisation', m.organisation, 'jobTitle', m.job_title,
                                          'listed', m.listed, 'role', m.role, 'hasAccount', m.user_id is not null,
                                          'attended', m.attended_at is not null)
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
