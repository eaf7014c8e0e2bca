"""Scripts and lifecycle hooks: run a config's `scripts` on this machine with the deployed stack's values.

`environment` builds a script's environment (the caller's, then the `STP_*` variables of its
`connectTo`, then its own `environment` with `$ResourceParam`, `$Secret`, `$SsmParam` and
`$Format` read from the deployed stack and AWS); `runner` runs its commands and files;
`hooks` runs the scripts a hook names, honouring `skipOnCI` / `skipOnLocal`. The deployed
stack's values come through a callback (the Automation API's stack outputs), so nothing
here loads the Pulumi SDK, and a script that reads nothing from the stack needs no Pulumi CLI.
"""

from stacktape_pulumi.errors import StacktapeError


class ScriptError(StacktapeError):
    """A script that cannot run, or that failed."""
