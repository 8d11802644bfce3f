"""The command line: parse arguments, call the service, render. Domain errors become messages and
exit codes here (and in ui/), nowhere else."""

from assistant.cli.commands import main

__all__ = ["main"]
