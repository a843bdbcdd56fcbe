"""A calendar feed: what it shows, its commitments' and meetings' events (iCalendar: scheduling/ics.py)."""
