"""The `stacktape` provider plugin's entry point (`PulumiPlugin.yaml`), also `python -m stacktape_pulumi.provider`.

The Pulumi engine starts it with its own address as the first argument; it prints the port it
serves on and answers `GetSchema` and `Construct` until stopped.
"""

import sys

from stacktape_pulumi.provider.host import serve

if __name__ == "__main__":
    serve(sys.argv[1:])
