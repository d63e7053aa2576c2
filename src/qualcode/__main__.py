"""`python -m qualcode` runs the command-line interface."""

from qualcode.cli import main

if __name__ == "__main__":
    main()
