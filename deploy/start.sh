#!/bin/sh
# The start sequence, in a container (Dockerfile CMD) or out of one (tests/test_deploy.py):
# bring the schema up to date and load the seed agenda, then serve.
#
# `agenda-bot seed` is idempotent and, on PostgreSQL, holds an advisory lock
# while it migrates and loads, so replicas starting together take turns.
# A failure here stops the start: a replica never serves a half-migrated schema.
set -eu

agenda-bot seed
echo "agenda-bot: database migrated and seeded; serving on ${AGENDA_HOST:-127.0.0.1}:${AGENDA_PORT:-3000}" >&2
# exec: the server becomes this process, so SIGTERM from the orchestrator reaches it
# directly and it shuts down gracefully (AGENDA_SHUTDOWN_SECONDS).
AGENDA_SEED_ON_START=false exec agenda-bot serve "$@"
