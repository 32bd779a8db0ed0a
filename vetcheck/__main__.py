"""Run vetcheck as `python -m vetcheck`."""

from vetcheck.cli import main

main()
