"""Small hand-written sample files shared by tests."""

# A frab/pretalx schedule.json: two rooms, three sessions, one speaker in two sessions.
SCHEDULE = {"schedule": {"version": "1.0", "conference": {"acronym": "demo", "title": "Demo Conf", "days": [
    {"index": 1, "date": "2026-12-01", "rooms": {
        "Main Hall": [
            {"guid": "a1", "id": 101, "date": "2026-12-01T09:00:00+01:00", "start": "09:00", "duration": "00:45",
             "room": "Main Hall", "title": "Opening keynote", "track": "Keynotes", "type": "Keynote",
             "abstract": "Where the field is going.", "description": "",
             "persons": [{"code": "SP1", "public_name": "Ada Byron", "biography": "Engineer."}]},
            {"guid": "a2", "id": 102, "date": "2026-12-01T10:00:00+01:00", "start": "10:00", "duration": "01:30",
             "room": "Main Hall", "title": "Hands-on data pipelines", "track": "Data", "type": "Workshop",
             "abstract": "Build one.", "persons": [{"code": "SP2", "public_name": "Alan Church"},
                                                   {"code": "SP1", "public_name": "Ada Byron"}]}],
        "Room B": [
            {"guid": "b1", "id": 201, "date": "2026-12-01T09:00:00+01:00", "start": "09:00", "duration": "00:30",
             "room": "Room B", "title": "Security basics", "track": "Security", "type": "Talk",
             "abstract": "Threat models.", "persons": []}]}}]}}}
