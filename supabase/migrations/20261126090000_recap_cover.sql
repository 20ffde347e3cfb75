-- The recap's cover: the event's title, date, venue and organisers, and an optional logo the
-- organiser uploads. The server re-encodes an upload before it gets here; the table still takes only
-- a PNG or a JPEG (by its first bytes) of at most 512 KiB. Nobody reads or writes the table directly.

create table public.event_logos (
  event_id uuid primary key references public.events (id) on delete cascade,
  content_type text not null check (content_type in ('image/png', 'image/jpeg')),
  data bytea not null check (octet_length(data) between 8 and 524288),
  width integer not null check (width between 1 and 4096),
  height integer not null check (height between 1 and 4096),
  updated_at timestamptz not null default now(),
  check ((content_type = 'image/png' and substring(data from 1 for 8) = '\x89504e470d0a1a0a'::bytea)
      or (content_type = 'image/jpeg' and substring(data from 1 for 3) = '\xffd8ff'::bytea))
);

alter table public.event_logos enable row level security;
revoke all on public.event_logos from public, anon, authenticated;
grant all on public.event_logos to service_role;

-- The cover of an event's recap, for the functions below (which decide who may read it).
create or replace function private.recap_cover(p_event_id uuid) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'title', e.title, 'date', e.starts_on, 'venue', e.venue, 'language', e.language,
    'organisers', to_jsonb(case when cardinality(e.organisers) > 0 then e.organisers else array(
      select m.name from public.event_members m
      where m.event_id = e.id and m.role = 'organiser' order by m.joined_at, m.id) end),
    'logo', (select jsonb_build_object('contentType', l.content_type, 'data', encode(l.data, 'base64'),
                                       'width', l.width, 'height', l.height)
             from public.event_logos l where l.event_id = e.id))
  from public.events e where e.id = p_event_id
$$;

create or replace function public.get_recap_cover(p_event_id uuid) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
begin
  perform private.require_role(p_event_id, 'organiser');
  return private.recap_cover(p_event_id);
end
$$;

-- Anyone may read the cover of a published recap, as they may read the recap itself.
create or replace function public.get_published_recap_cover(p_slug text) returns jsonb
language sql stable security definer
set search_path = ''
as $$
  select private.recap_cover(r.event_id) from public.recaps r
  where r.public_slug = p_slug and r.status = 'published'
$$;

-- Sets (p_data as base64) or removes (p_data null) the event's logo; organisers only.
create or replace function public.set_event_logo(p_event_id uuid, p_content_type text, p_data text,
                                                 p_width integer, p_height integer) returns void
language plpgsql volatile security definer
set search_path = ''
as $$
begin
  perform private.require_role(p_event_id, 'organiser');
  if p_data is null then
    delete from public.event_logos where event_id = p_event_id;
    return;
  end if;
  insert into public.event_logos (event_id, content_type, data, width, height)
  values (p_event_id, p_content_type, decode(p_data, 'base64'), p_width, p_height)
  on conflict (event_id) do update set content_type = excluded.content_type, data = excluded.data,
    width = excluded.width, height = excluded.height, updated_at = now();
end
$$;

revoke execute on function private.recap_cover(uuid) from public, anon, authenticated;
grant execute on function private.recap_cover(uuid) to service_role;
revoke execute on function public.get_recap_cover(uuid), public.set_event_logo(uuid, text, text, integer, integer) from public, anon;
grant execute on function public.get_recap_cover(uuid), public.set_event_logo(uuid, text, text, integer, integer) to authenticated, service_role;
revoke execute on function public.get_published_recap_cover(text) from public;
grant execute on function public.get_published_recap_cover(text) to anon, authenticated, service_role;
