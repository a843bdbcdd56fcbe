"""Slack front end: Bolt app, Block Kit rendering, Slack text conventions."""
