-- A demo event for `supabase db reset` and local trials: a short masterclass with an agenda, theses
-- waiting in the queue and a demo organiser (demo@kennisdag.local, no password: set one in Studio
-- or sign in as your own organiser and ask to be added).
insert into auth.users (id, email, is_anonymous, raw_user_meta_data)
values ('00000000-0000-4000-8000-000000000001', 'demo@kennisdag.local', false, '{"name": "Demo Organiser"}')
on conflict (id) do nothing;
insert into public.organisers (user_id) values ('00000000-0000-4000-8000-000000000001') on conflict do nothing;

insert into public.events (id, title, question, starts_on, venue, language, join_code, status, organisers, chair_name, created_by)
values ('00000000-0000-4000-8000-0000000000e1', 'Kennisdag demo: werken met AI in de publieke sector',
        'Wat moet een organisatie regelen voordat medewerkers AI-assistenten gebruiken?', current_date, 'Utrecht', 'nl',
        'DEMO42', 'draft', array['Kennisdag'], 'Demo Organiser', '00000000-0000-4000-8000-000000000001')
on conflict (id) do nothing;

insert into public.event_secrets (event_id) values ('00000000-0000-4000-8000-0000000000e1') on conflict do nothing;

insert into public.event_members (event_id, user_id, role, name, organisation, job_title, listed)
values ('00000000-0000-4000-8000-0000000000e1', '00000000-0000-4000-8000-000000000001', 'organiser', 'Demo Organiser', 'Kennisdag', 'organisator', true)
on conflict do nothing;

insert into public.agenda_items (event_id, position, title, kind, speaker, planned_minutes)
select '00000000-0000-4000-8000-0000000000e1', p, t, k, s, m
from (values (0, 'Welkom en voorstelronde', 'other', null, 15),
             (1, 'AI in de praktijk bij de gemeente', 'talk', 'Demo Spreker', 20),
             (2, 'Rondetafel over de stellingen', 'discussion', null, 90),
             (3, 'Afsluiting en borrel', 'break', null, 30)) as a(p, t, k, s, m)
where not exists (select 1 from public.agenda_items where event_id = '00000000-0000-4000-8000-0000000000e1');

insert into public.theses (event_id, text, status, position)
select '00000000-0000-4000-8000-0000000000e1', t, 'approved', p
from (values (0, 'Een organisatie zonder AI-beleid heeft al schaduw-AI.'),
             (1, 'Medewerkers moeten zelf verantwoordelijk blijven voor elke tekst die een AI-assistent schrijft.'),
             (2, 'Open-source modellen zijn voor de overheid de enige verantwoorde keuze.')) as x(p, t)
where not exists (select 1 from public.theses where event_id = '00000000-0000-4000-8000-0000000000e1');
