"""`python -m assessment` runs the ketenscan command line."""

from assessment.cli import main

main()
