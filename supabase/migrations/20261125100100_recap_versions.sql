-- Reading recap versions: every save is a new version, so an organiser can go back to any of them.

create or replace function private.recap_json(p_recap public.recaps) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_recap.id, 'eventId', p_recap.event_id, 'version', p_recap.version, 'markdown', p_recap.markdown,
    'engine', p_recap.engine, 'status', p_recap.status, 'slug', p_recap.public_slug,
    'publishedAt', p_recap.published_at, 'createdAt', p_recap.created_at)
$$;

create or replace function public.get_recap(p_recap_id uuid) returns jsonb
language plpgsql stable security definer
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
  return private.recap_json(v_recap);
end
$$;

-- The versions of an event's recap, newest first, without their text.
create or replace function public.list_recaps(p_event_id uuid) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
begin
  perform private.require_role(p_event_id, 'organiser');
  return coalesce((
    select jsonb_agg(private.recap_json(r) - 'markdown' order by r.version desc)
    from public.recaps r where r.event_id = p_event_id), '[]'::jsonb);
end
$$;

revoke execute on function private.recap_json(public.recaps) from public, anon;
grant execute on function private.recap_json(public.recaps) to authenticated, service_role;
revoke execute on function public.get_recap(uuid), public.list_recaps(uuid) from public, anon;
grant execute on function public.get_recap(uuid), public.list_recaps(uuid) to authenticated, service_role;
