"""The commands after `/agenda`, one module per command or family.

Each module declares ``COMMANDS``, a tuple of ``handlers.registry.CommandSpec``; the registry reads
every module here (handlers/registry.py). Adding a command is one new module here and its tests.
"""
