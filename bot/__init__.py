"""The composition root: settings, front ends (Slack, terminal) and the web app."""
