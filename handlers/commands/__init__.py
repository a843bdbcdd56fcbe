"""What people ask: the parser, questions, the command registry and its specs, each command's handler."""
