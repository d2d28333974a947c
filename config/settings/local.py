"""Development and the one-machine `simlane run`."""

from .base import *  # noqa: F403
from .base import env_bool

# Off unless asked for (DJANGO_DEBUG=true): Django's debug pages show settings, code and queries to whoever reaches
# the dashboard, and `simlane run` is also how a league runs SimLane for real on one machine.
DEBUG = env_bool("DJANGO_DEBUG", False)
