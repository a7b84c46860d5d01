# The dossier fixtures (named citizens and officials of the demo, a submitted dossier).
from tests.dossiers.conftest import citizen, make_submitted, officials  # noqa: F401
