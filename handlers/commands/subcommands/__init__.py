"""The commands after `/agenda`, one module per command or family.

Each module declares ``COMMANDS``, a tuple of ``handlers.commands.registry.CommandSpec``; the registry reads
every module here (handlers/commands/registry.py). Adding a command is one new module here and its tests.
"""
