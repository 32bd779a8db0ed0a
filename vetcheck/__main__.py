"""Run vetcheck as `python -m vetcheck`."""

from vetcheck import main

main()
