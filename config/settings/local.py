"""Developer and demo settings: `make demo` uses these."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
