"""What a page, a feed or an export shows: a person's home, the dashboard, calendar feeds, rows."""
