"""The agenda as handlers see it: asker and audience, timeline, audit, identities, caches, the index."""
