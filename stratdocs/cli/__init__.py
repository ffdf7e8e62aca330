"""The `stratdocs` command line (SPEC §8): the only package that prints, exits or imports click.

`base` holds the group, global options, user-error mapping and exit codes; each sibling module
registers its commands on the group when imported.
"""

from stratdocs.cli.base import Options, UserError, cli, main
from stratdocs.cli import editing, plan, publish  # noqa: E402  (importing them registers the commands)

__all__ = ["Options", "UserError", "cli", "main", "editing", "plan", "publish"]
